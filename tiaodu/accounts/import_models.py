"""An accounts workbook on its way in: checked (its errors kept for the preview), then
imported or discarded; the new accounts' passwords file waits for one download."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, ready to import")
    FAILED = "failed", _("Has errors")
    APPLIED = "applied", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class AccountImport(models.Model):
    """One upload of the accounts workbook by an administrator, seen by that administrator
    only. The workbook is kept until it is imported or discarded (the import checks it
    again against the site as it then is); the passwords file of the accounts it created
    is kept until its one download, then erased."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="account_imports",
        verbose_name=_("uploaded by"),
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.BinaryField(_("workbook"), blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=AccountImportStatus.choices, db_index=True
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("error list"), default=list, blank=True)
    passwords = models.BinaryField(_("passwords file"), null=True, blank=True, editable=False)
    passwords_taken_at = models.DateTimeField(_("passwords downloaded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        app_label = "accounts"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("accounts import")
        verbose_name_plural = _("accounts imports")

    def __str__(self) -> str:
        return self.original_name or str(_("accounts workbook"))
