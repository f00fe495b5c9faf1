"""The import page's writes: store an uploaded ledger, check it, apply it (each with actor=).

The file is checked for safety before it is stored: a refused file leaves nothing behind.
Confirming re-runs the check, since the library may have changed since the preview.
"""

import datetime as dt
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.projects.import_models import LedgerImport, LedgerImportStatus
from tiaodu.projects.ledger.errors import write_error_report
from tiaodu.projects.ledger.importer import LedgerPlan, apply_import, plan_import
from tiaodu.projects.ledger.safety import check_ledger_file
from tiaodu.projects.permissions import dispatcher_paths

FOLDER = "ledger-imports"


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def file_of(item: LedgerImport) -> Path:
    return Path(settings.MEDIA_ROOT) / item.file_path


def can_see(actor: Any, item: LedgerImport) -> bool:
    """The uploader, or a dispatcher whose region covers one of the uploader's regions."""
    mine = dispatcher_paths(actor)
    if not mine:
        return False
    if item.uploaded_by_id == actor.pk:
        return True
    theirs = dispatcher_paths(item.uploaded_by)
    return any(path.startswith(own) for path in theirs for own in mine)


def upload(*, actor: Any, upload: IO[bytes], name: str, year: int, as_of: dt.date) -> LedgerImport:
    """Check the file's safety, then store it and record it.

    A refused file raises LedgerFileError (its message says why and what to do) and
    nothing is stored.
    """
    if not dispatcher_paths(actor):
        raise PermissionDenied(_("Only a dispatcher can import the ledger."))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    check_ledger_file(upload)
    upload.seek(0)
    relative = f"{FOLDER}/{uuid.uuid4()}.xlsx"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := upload.read(1024 * 1024):
            out.write(chunk)
    return LedgerImport.objects.create(
        uploaded_by=actor,
        file_path=relative,
        original_name=name[:255],
        year=year,
        as_of=as_of,
    )


def _plan(actor: Any, item: LedgerImport) -> LedgerPlan:
    return plan_import(actor=actor, source=file_of(item), year=item.year, as_of=item.as_of)


def _record(item: LedgerImport, plan: LedgerPlan) -> None:
    counts = plan.counts
    item.new_count = counts["new"]
    item.updated_count = counts["updated"]
    item.unchanged_count = counts["unchanged"]
    item.error_count = len(plan.errors)
    item.errors = [asdict(error) for error in plan.errors]


def _progress(item: LedgerImport, value: int) -> None:
    item.progress = value
    LedgerImport.objects.filter(pk=item.pk).update(progress=value)


def start(*, actor: Any, item: LedgerImport, apply: bool) -> LedgerImport:
    """Queue the check (or, after the preview, the import) as a background task.

    The task is enqueued when the current transaction commits; the page polls `progress`.
    """
    from tiaodu.projects import tasks

    if not can_see(actor, item):
        raise PermissionDenied
    if apply and item.status != LedgerImportStatus.CHECKED:
        raise ValidationError(_("Only a checked ledger without errors can be imported."))
    if item.running:
        return item
    item.running = True
    item.progress = 0
    item.failure = ""
    item.save(update_fields=["running", "progress", "failure"])
    job = tasks.apply_ledger_import if apply else tasks.check_ledger_import
    transaction.on_commit(lambda: job.enqueue(item.pk, actor.pk))
    return item


def run(*, actor: Any, item: LedgerImport, apply: bool) -> LedgerImport:
    """The work of the background task: check, and when asked and correct, apply."""
    try:
        _progress(item, 10)
        if apply:
            confirm(actor=actor, item=item, progress=True)
        else:
            check(actor=actor, item=item)
    except (PermissionDenied, ValidationError) as error:
        item.failure = " ".join(getattr(error, "messages", [str(error)]))
    except Exception:
        item.failure = _("The import stopped unexpectedly; nothing was imported. Try again.")
        item.running = False
        item.save()
        raise
    item.running = False
    item.progress = 100
    item.save()
    return item


def check(*, actor: Any, item: LedgerImport) -> LedgerImport:
    """Check every row (writes nothing to the library) and record the counts and errors."""
    plan = _plan(actor, item)
    _record(item, plan)
    item.status = LedgerImportStatus.FAILED if plan.errors else LedgerImportStatus.CHECKED
    item.save()
    return item


def confirm(*, actor: Any, item: LedgerImport, progress: bool = False) -> LedgerImport:
    """Check again against the library as it is now and, if nothing is wrong, apply it all."""
    if not can_see(actor, item):
        raise PermissionDenied
    if item.status == LedgerImportStatus.APPLIED:
        raise ValidationError(_("This ledger was imported already."))
    plan = _plan(actor, item)
    _record(item, plan)
    if plan.errors:
        item.status = LedgerImportStatus.FAILED
        item.save()
        return item
    if progress:
        _progress(item, 60)
    apply_import(actor=actor, plan=plan)
    item.status = LedgerImportStatus.APPLIED
    item.applied_at = timezone.now()
    item.save()
    return item


def error_report(*, actor: Any, item: LedgerImport) -> bytes:
    """The error report (xlsx) of the stored file, as the check finds it now."""
    plan = _plan(actor, item)
    raw = plan.sheet.raw if plan.sheet else None
    return write_error_report(plan.errors, raw=raw)
