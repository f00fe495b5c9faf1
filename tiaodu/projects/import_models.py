"""An uploaded ledger on its way in: stored, checked, then applied (the import page)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.projects.ledger import progress
from tiaodu.projects.ledger.columns import BY_ID


class LedgerImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked")
    FAILED = "failed", _("Has errors")
    APPLIED = "applied", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class LedgerImportPhase(models.TextChoices):
    """What the background task is doing (ledger.progress names the phases)."""

    QUEUED = "queued", _("Waiting for the background worker")
    READING = progress.READING, _("Reading the file")
    CHECKING = progress.CHECKING, _("Checking every cell")
    MATCHING = progress.MATCHING, _("Matching with the project library")
    WRITING = progress.WRITING, _("Writing to the project library")


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
    # The date of the year-to-date figures the uploader gave (None: the file's), and the
    # one the file's headers state (recorded by the check).
    as_of = models.DateField(_("as of"), null=True, blank=True)
    stated_as_of = models.DateField(_("as of, as the file states"), null=True, blank=True)
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
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("error list"), default=list, blank=True)
    # While a background task checks or applies the file: running, its phase, and how many
    # of the phase's rows are done, saved at most once a second (progress_at: the last save).
    running = models.BooleanField(_("running"), default=False)
    phase = models.CharField(
        _("phase"), max_length=16, choices=LedgerImportPhase.choices, blank=True
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the phase"), default=0)
    progress_at = models.DateTimeField(_("progress saved at"), null=True, blank=True)
    # Each start (and a discard) counts one up; a task whose attempt is no longer the
    # import's has been taken over by a retry or a discard, and stops.
    attempt = models.PositiveIntegerField(_("attempt"), default=0)
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

    @property
    def figures_as_of(self) -> dt.date | None:
        """The date the import states the year-to-date figures as of."""
        return self.as_of or self.stated_as_of

    @property
    def applying(self) -> bool:
        """The running task is the import after the confirmation (else it is a check)."""
        return self.running and self.status == LedgerImportStatus.CHECKED

    @property
    def steps(self) -> list[LedgerImportPhase]:
        """The phases the running task goes through, in order, from the queue on."""
        phases = list(LedgerImportPhase)
        return phases if self.applying else phases[:-1]

    @property
    def percent(self) -> int:
        """How much of the current phase is done, 0–100."""
        return self.rows_done * 100 // self.rows_total if self.rows_total else 0

    @property
    def checked_rows(self) -> int:
        """The rows that were checked one by one (none when the file or its headers are wrong)."""
        return self.new_count + self.updated_count + self.unchanged_count + self.error_rows

    @property
    def is_stale(self) -> bool:
        """Running, but no progress saved for TIAODU_LEDGER_IMPORT_STALE_MINUTES: its worker
        stopped (or none is running), and the page shows it as failed."""
        if not self.running:
            return False
        if self.progress_at is None:
            return True
        return timezone.now() - self.progress_at > stale_after()


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.TIAODU_LEDGER_IMPORT_STALE_MINUTES)


class LedgerRowStatus(models.TextChoices):
    NEW = "new", _("New project")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")


class LedgerImportRow(models.Model):
    """One checked row of an import as the preview lists it: what importing it does, and
    each changed field's value before and after (`ledger.changes`). The check writes them
    afresh; they stay with an applied import as its record."""

    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    number = models.PositiveIntegerField(_("row"))
    status = models.CharField(_("status"), max_length=16, choices=LedgerRowStatus.choices)
    code = models.CharField(_("project code"), max_length=64, blank=True)
    name = models.CharField(_("project name"), max_length=200)
    region = models.CharField(_("region"), max_length=100)
    project_id = models.PositiveIntegerField(_("project"), null=True, blank=True)
    # [[column id, before, after], …]; `columns` holds the ids between commas, for the filter.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    columns = models.CharField(_("changed columns"), max_length=500, blank=True)

    class Meta:
        app_label = "projects"
        ordering = ["ledger_import", "number"]
        verbose_name = _("ledger import row")
        verbose_name_plural = _("ledger import rows")
        indexes = [models.Index(fields=["ledger_import", "status", "number"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def changed(self) -> list[tuple[str, str, str]]:
        """(header, before, after) of each changed column, as the preview shows them."""
        return [(BY_ID[cid].header, before, after) for cid, before, after in self.changes]
