from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")
    ISSUED = "issued", _("Issued")
    ARCHIVED = "archived", _("Archived")


class BulletinAction(models.TextChoices):
    SUBMIT = "submit", _("Submit for sign-off")
    RETURN = "return", _("Return to the draft")
    SIGN_OFF = "sign_off", _("Sign off")
    ISSUE = "issue", _("Issue")
    ARCHIVE = "archive", _("Archive")


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Building")
    DONE = "done", _("Built")
    FAILED = "failed", _("Failed")


# The build's progress (%) once the content is read and once each file is written.
CONTENT_READ = 40
AFTER_FILE = {"docx": 60, "pdf": 85, "xlsx": 95}
