"""An uploaded ledger on its way in: stored, checked, then applied (the import page)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked")
    FAILED = "failed", _("Has errors")
    APPLIED = "applied", _("Imported")


class LedgerImport(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ledger_imports",
        verbose_name=_("uploaded by"),
    )
    file_path = models.CharField(_("file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=LedgerImportStatus.choices,
        default=LedgerImportStatus.UPLOADED,
    )
    new_count = models.PositiveIntegerField(_("new rows"), default=0)
    updated_count = models.PositiveIntegerField(_("updated rows"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("error list"), default=list, blank=True)
    # While a background task checks or applies the file: running, and how far (0–100).
    running = models.BooleanField(_("running"), default=False)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        app_label = "projects"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self) -> str:
        return f"{self.original_name or self.file_path} ({self.year})"
