"""The abstract model of a stored file: a report's photo or video, a visit's photo.

Each concrete model names its folder (`upload_folder`); files are kept under
`<folder>/<year>/<month>/`, dated in the site's time zone as Django dates a plain
`upload_to`. `store.store` fills the fields from an accepted upload.
"""

import posixpath
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.core.models import TimeStampedModel


def upload_to(instance: Any, filename: str) -> str:
    """`<folder>/<year>/<month>/<filename>`, the folder being the model's `upload_folder`."""
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    return posixpath.join(instance.upload_folder, now.strftime("%Y/%m"), filename)


class StoredFile(TimeStampedModel):
    """A file accepted by its content (`checks.inspect_upload`) and stored: a re-encoded photo
    with its thumbnail, or a video as uploaded, with what was read of it before storing."""

    upload_folder: ClassVar[str]

    file = models.FileField(_("file"), upload_to=upload_to, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"), validators=[MinValueValidator(1)])
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""

    @property
    def place(self) -> str:
        """Where the photo was taken, from its GPS position, in the reader's language."""
        if self.latitude is None or self.longitude is None:
            return ""
        north = _("%(degrees)s°N") if self.latitude >= 0 else _("%(degrees)s°S")
        east = _("%(degrees)s°E") if self.longitude >= 0 else _("%(degrees)s°W")
        return str(_("%(latitude)s, %(longitude)s")) % {
            "latitude": str(north) % {"degrees": f"{abs(self.latitude):.4f}"},
            "longitude": str(east) % {"degrees": f"{abs(self.longitude):.4f}"},
        }
