"""The kinds of stored media files."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
