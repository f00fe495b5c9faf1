"""A large export of the project library, written by a background task (the export page).

Below `TIAODU_EXPORT_BACKGROUND_ROWS` rows the library's export is a direct download; from
there on the library records what was asked (the list's query, its year and 截至 date) as a
LibraryExport and a task writes the file, saving the rows written, which the export page
polls. The file is kept in the media storage for `TIAODU_EXPORT_KEEP_HOURS`.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.projects.import_models import stale_after


class LibraryExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the background worker")
    WRITING = "writing", _("Writing the file")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("File removed")


# Where the files are kept in the media storage.
FOLDER = "library-exports"


class LibraryExport(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="library_exports",
        verbose_name=_("requested by"),
    )
    # The library list's query (its filters), its plan year and the date of its figures.
    query = models.TextField(_("query"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    # When it was asked for (the site's clock): the day the filters are read on.
    requested_at = models.DateTimeField(_("requested at"))
    # The chosen filters in words, as the audit event of the download says them.
    summary = models.CharField(_("filters"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=LibraryExportStatus.choices,
        default=LibraryExportStatus.QUEUED,
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    progress_at = models.DateTimeField(_("progress saved at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=FOLDER, max_length=255, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        app_label = "projects"
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("project library export")
        verbose_name_plural = _("project library exports")
        indexes = [models.Index(fields=["status", "finished_at"], name="libraryexport_kept_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.as_of} ({self.get_status_display()})"

    @property
    def working(self) -> bool:
        """Queued or being written, and not stale."""
        return self.status in (LibraryExportStatus.QUEUED, LibraryExportStatus.WRITING) and (
            not self.is_stale
        )

    @property
    def percent(self) -> int:
        """How much of the file is written, 0–100."""
        return self.rows_done * 100 // self.rows_total if self.rows_total else 0

    @property
    def is_stale(self) -> bool:
        """Queued or writing, but no progress saved for TIAODU_LEDGER_IMPORT_STALE_MIN
        minutes: its worker stopped (or none is running), and the page says so."""
        if self.status not in (LibraryExportStatus.QUEUED, LibraryExportStatus.WRITING):
            return False
        if self.progress_at is None:
            return True
        return timezone.now() - self.progress_at > stale_after()

    @property
    def kept_until(self) -> dt.datetime | None:
        """When the file is removed (None until it is written)."""
        if self.finished_at is None or self.status != LibraryExportStatus.DONE:
            return None
        return self.finished_at + kept_for()


def kept_for() -> dt.timedelta:
    return dt.timedelta(hours=settings.TIAODU_EXPORT_KEEP_HOURS)
