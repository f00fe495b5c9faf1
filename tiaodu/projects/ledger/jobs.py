"""The import page's writes: store an uploaded ledger, check it, apply it (each with actor=).

The file is checked for safety before it is stored: a refused file leaves nothing behind.
Confirming re-runs the check, since the library may have changed since the preview.
The background task saves its phase and rows done on the LedgerImport (`ProgressSaver`);
one that saved nothing for a while is stale (`LedgerImport.is_stale`): retried or discarded.
Each change of the import's status is a step of `workflow.LEDGER_IMPORTS`.
"""

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.core import audit, clock
from tiaodu.core.models import AuditAction
from tiaodu.core.progress import Every
from tiaodu.core.scoping import Actor
from tiaodu.core.workflow import TransitionRefused
from tiaodu.projects.import_models import (
    LedgerImport,
    LedgerImportPhase,
    LedgerImportRow,
    LedgerImportStatus,
)
from tiaodu.projects.ledger.errors import write_error_report
from tiaodu.projects.ledger.importer import LedgerPlan, apply_import, plan_import
from tiaodu.projects.ledger.progress import WRITING, Progress
from tiaodu.projects.ledger.safety import check_ledger_file
from tiaodu.projects.ledger.workflow import IMPORTER, LEDGER_IMPORTS
from tiaodu.projects.ledger.workflow import LedgerImportAction as A
from tiaodu.projects.permissions import can_import_ledger, can_see_import

FOLDER = "ledger-imports"
# What the audit log keeps of an upload and of its later steps (retry, new date, discard).
AUDITED = ["original_name", "year", "as_of", "status"]


def _audited(actor: Actor, item: LedgerImport, before: audit.Snapshot) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=item,
        changes=audit.diff(before, audit.snapshot(item, AUDITED)),
    )


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def file_of(item: LedgerImport) -> Path:
    return Path(settings.MEDIA_ROOT) / item.file_path


def relations(actor: Actor, item: LedgerImport) -> frozenset[str]:
    """The actor's part in the import's workflow: the importer (one who sees it), or none."""
    return frozenset({IMPORTER}) if can_see_import(actor, item) else frozenset()


def _require(actor: Actor, item: LedgerImport, action: str) -> frozenset[str]:
    """The actor's relations if the table lets it take the step now; the refusal the
    import page shows otherwise (nothing written)."""
    mine = relations(actor, item)
    if not mine:
        raise PermissionDenied
    try:
        LEDGER_IMPORTS.check(mine, item.status, action)
    except TransitionRefused:
        if item.status == LedgerImportStatus.APPLIED:
            raise ValidationError(_("This ledger was imported already.")) from None
        if item.status == LedgerImportStatus.DISCARDED:
            raise ValidationError(_("This import was discarded.")) from None
        raise ValidationError(_("Only a checked ledger without errors can be imported.")) from None
    return mine


def upload(
    *, actor: User, upload: IO[bytes], name: str, year: int, as_of: dt.date | None = None
) -> LedgerImport:
    """Check the file's safety, then store it (named for its kind: xlsx, xls or csv) and
    record it. Without `as_of` the check takes the date the file's headers state.

    A refused file raises LedgerFileError (its message says why and what to do) and
    nothing is stored.
    """
    if not can_import_ledger(actor):
        raise PermissionDenied(_("Only a dispatcher can import the ledger."))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    checked = check_ledger_file(upload)
    upload.seek(0)
    relative = f"{FOLDER}/{uuid.uuid4()}.{checked.kind}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := upload.read(1024 * 1024):
            out.write(chunk)
    item = LedgerImport.objects.create(
        uploaded_by=actor,
        file_path=relative,
        original_name=name[:255],
        year=year,
        as_of=as_of,
    )
    _audited(actor, item, {})
    return item


# What a check records; the task's state (running, failure, the progress) besides.
RECORD_FIELDS = [
    "status",
    "stated_as_of",
    "new_count",
    "updated_count",
    "unchanged_count",
    "error_count",
    "error_rows",
    "errors",
    "applied_at",
]
TASK_FIELDS = ["running", "failure", "phase", "rows_done", "rows_total", "progress_at"]


class Superseded(Exception):
    """A retry or a discard took the import over while this task was working on it."""


def _save(item: LedgerImport, fields: list[str]) -> None:
    """Save `fields` unless a later attempt took the import over (then raise Superseded)."""
    values = {name: getattr(item, name) for name in fields}
    if not LedgerImport.objects.filter(pk=item.pk, attempt=item.attempt).update(**values):
        raise Superseded


class ProgressSaver:
    """The `progress` callback of a task: saves the phase and its rows done on the import,
    when a phase starts or ends and in between at most once every `every` seconds
    (`core.progress.Every`), so that a 20,000-row check writes a few dozen times, not once
    a row."""

    def __init__(
        self, item: LedgerImport, *, every: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.item = item
        self.every = Every(every, clock)

    def __call__(self, phase: str, done: int, total: int) -> None:
        item = self.item
        fresh = (phase, total) != (item.phase, item.rows_total)
        if not fresh and self.every.saved_at is not None and done == item.rows_done:
            return
        if not self.every.due(done, total, fresh=fresh):
            return
        item.phase, item.rows_done, item.rows_total = phase, done, total
        item.progress_at = timezone.now()
        _save(item, ["phase", "rows_done", "rows_total", "progress_at"])


def _plan(actor: Actor, item: LedgerImport, progress: Progress | None = None) -> LedgerPlan:
    return plan_import(
        actor=actor, source=file_of(item), year=item.year, as_of=item.as_of, progress=progress
    )


def _record(item: LedgerImport, plan: LedgerPlan) -> None:
    item.stated_as_of = plan.stated_as_of
    counts = plan.checked_counts
    item.new_count = counts["new"]
    item.updated_count = counts["updated"]
    item.unchanged_count = counts["unchanged"]
    item.error_count = len(plan.errors)
    item.error_rows = plan.error_rows
    item.errors = [asdict(error) for error in plan.errors]


ROW_BATCH = 1000


def record_rows(item: LedgerImport, plan: LedgerPlan) -> None:
    """The preview's rows: what each checked row does (none when the ledger has errors)."""
    LedgerImportRow.objects.filter(ledger_import=item).delete()
    rows = (
        LedgerImportRow(
            ledger_import=item,
            number=row.number,
            status=row.status,
            code=row.project.code or "",
            name=row.project.name,
            region=row.project.region.name,
            project_id=row.project.pk,
            changes=[list(change) for change in row.changes],
            columns=",".join(dict.fromkeys(change[0] for change in row.changes))[:500],
        )
        for row in plan.rows
    )
    LedgerImportRow.objects.bulk_create(rows, batch_size=ROW_BATCH)


def can_retry(item: LedgerImport) -> bool:
    """A stale task, or one that stopped unexpectedly, may be checked again from the file."""
    if LEDGER_IMPORTS.step(item.status, A.RETRY) is None:
        return False
    return item.is_stale or (not item.running and bool(item.failure))


def can_discard(item: LedgerImport) -> bool:
    """Any import not applied yet, unless its task is at work (a stale one may be)."""
    if LEDGER_IMPORTS.step(item.status, A.DISCARD) is None:
        return False
    return not item.running or item.is_stale


def start(*, actor: Actor, item: LedgerImport, apply: bool) -> LedgerImport:
    """Queue the check (or, after the preview, the import) as a background task.

    The task is enqueued when the current transaction commits; the page polls the progress.
    A running task is left alone, unless it is stale: then this attempt takes over.
    """
    from tiaodu.projects import tasks

    mine = relations(actor, item)
    if not mine:
        raise PermissionDenied
    if apply and A.APPLY not in LEDGER_IMPORTS.actions_for(mine, item.status):
        raise ValidationError(_("Only a checked ledger without errors can be imported."))
    if item.running and not item.is_stale:
        return item
    item.attempt += 1
    item.running = True
    item.failure = ""
    item.phase = LedgerImportPhase.QUEUED
    item.rows_done = item.rows_total = 0
    item.progress_at = timezone.now()
    item.save(update_fields=["attempt", *TASK_FIELDS])
    job = tasks.apply_ledger_import if apply else tasks.check_ledger_import
    pk, actor_pk, attempt = item.pk, actor.pk, item.attempt
    transaction.on_commit(lambda: job.enqueue(pk, actor_pk, attempt))
    return item


def retry(*, actor: Actor, item: LedgerImport) -> LedgerImport:
    """Check the stored file again, after a task that went stale or stopped unexpectedly."""
    mine = relations(actor, item)
    if not mine:
        raise PermissionDenied
    if not can_retry(item):
        raise ValidationError(_("This import cannot be retried."))
    before = audit.snapshot(item, AUDITED)
    LEDGER_IMPORTS.apply(item, A.RETRY, mine)
    item.save(update_fields=["status"])
    _audited(actor, item, before)
    return start(actor=actor, item=item, apply=False)


def can_date(item: LedgerImport) -> bool:
    """The date of the figures may be set (and the file checked again) while the import is
    not applied, discarded or at work."""
    return LEDGER_IMPORTS.step(item.status, A.SET_DATE) is not None and (
        not item.running or item.is_stale
    )


def set_as_of(*, actor: Actor, item: LedgerImport, as_of: dt.date | None) -> LedgerImport:
    """Give the date of the year-to-date figures (None: the file's own) and check again."""
    mine = relations(actor, item)
    if not mine:
        raise PermissionDenied
    if not can_date(item):
        raise ValidationError(_("The date of this import cannot be changed now."))
    if as_of is not None and as_of.year != item.year:
        raise ValidationError(
            _("The date must be in the plan year %(year)s.") % {"year": item.year}
        )
    before = audit.snapshot(item, AUDITED)
    LEDGER_IMPORTS.apply(item, A.SET_DATE, mine)
    item.as_of = as_of
    item.save(update_fields=["status", "as_of"])
    _audited(actor, item, before)
    return start(actor=actor, item=item, apply=False)


def discard(*, actor: Actor, item: LedgerImport) -> LedgerImport:
    """End an import that will not be applied; a task still working on it stops."""
    mine = relations(actor, item)
    if not mine:
        raise PermissionDenied
    if not can_discard(item):
        raise ValidationError(_("This import cannot be discarded."))
    before = audit.snapshot(item, AUDITED)
    item.attempt += 1
    LEDGER_IMPORTS.apply(item, A.DISCARD, mine)
    item.running = False
    item.failure = ""
    item.phase = ""
    item.save(update_fields=["attempt", "status", "running", "failure", "phase"])
    _audited(actor, item, before)
    return item


def run(
    *, actor: Actor, item: LedgerImport, apply: bool, attempt: int | None = None
) -> LedgerImport:
    """The work of the background task: check, and when asked and correct, apply.

    `attempt` is the import's attempt when the task was queued; if a retry or a discard has
    taken over since, the task stops without touching the import.
    """
    if attempt is not None and attempt != item.attempt:
        return item
    work = confirm if apply else check
    unexpected: Exception | None = None
    try:
        work(actor=actor, item=item, progress=ProgressSaver(item))
    except Superseded:
        return item
    except (PermissionDenied, ValidationError) as error:
        item.failure = " ".join(getattr(error, "messages", [str(error)]))
    except Exception as error:
        item.failure = _("The import stopped unexpectedly; nothing was imported. Try again.")
        unexpected = error
    item.running = False
    with contextlib.suppress(Superseded):
        _save(item, TASK_FIELDS)
    if unexpected is not None:
        raise unexpected  # the task's result records it, with its traceback
    return item


def check(*, actor: Actor, item: LedgerImport, progress: Progress | None = None) -> LedgerImport:
    """Check every row (writes nothing to the library) and record the counts and errors."""
    # Either outcome is a step from the same statuses: the one that fails says whether a
    # check may be made at all, before the file is read.
    mine = _require(actor, item, A.FAIL_CHECK)
    plan = _plan(actor, item, progress)
    _record(item, plan)
    LEDGER_IMPORTS.apply(item, A.FAIL_CHECK if plan.errors else A.PASS_CHECK, mine)
    with transaction.atomic():
        _save(item, RECORD_FIELDS)
        record_rows(item, plan)
    return item


def confirm(*, actor: Actor, item: LedgerImport, progress: Progress | None = None) -> LedgerImport:
    """Check again against the library as it is now and, if nothing is wrong, apply it all.

    The import and its record as applied commit together: a discard in between rolls both back.
    """
    mine = _require(actor, item, A.APPLY)
    plan = _plan(actor, item, progress)
    _record(item, plan)
    LEDGER_IMPORTS.apply(item, A.FAIL_CHECK if plan.errors else A.PASS_CHECK, mine)
    if plan.errors:
        with transaction.atomic():
            _save(item, RECORD_FIELDS)
            record_rows(item, plan)
        return item
    if progress is not None:
        # Said before the transaction, which nobody sees into until it commits.
        progress(WRITING, 0, len(plan.rows))
    with transaction.atomic():
        apply_import(actor=actor, plan=plan, progress=progress)
        LEDGER_IMPORTS.apply(item, A.APPLY, mine)
        item.applied_at = clock.now()
        _save(item, RECORD_FIELDS)
        record_rows(item, plan)
    return item


def error_report(*, actor: Actor, item: LedgerImport) -> bytes:
    """The error report (xlsx) of the stored file, as the check finds it now (audited as
    an export)."""
    plan = _plan(actor, item)
    raw = plan.sheet.raw if plan.sheet else None
    content = write_error_report(plan.errors, raw=raw)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        instance=item,
        message=_("Error report: %(count)s errors") % {"count": len(plan.errors)},
    )
    return content
