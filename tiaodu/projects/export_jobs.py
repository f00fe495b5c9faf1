"""A large export of the library as a background task: asked for, written, downloaded.

`request_export` records what the reader asked (the list's query, the year, the date of
the figures, the filters in words) and queues `tasks.write_library_export`, which reads the
list again for the same reader, on the day it was asked (`core.clock`), and writes the file
into the media storage, saving the rows written at most once a second (`ProgressSaver`).
Only the reader who asked sees the export, and only while they read the library. Each
download is audited as the direct download is (`AuditAction.EXPORT`, the filters in
words). A file is kept TIAODU_EXPORT_KEEP_HOURS hours: every new request removes the older
ones (`remove_expired`). Each change of status is a step of `EXPORTS`.
"""

import time
import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import IO

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.core import audit, clock
from tiaodu.core.models import AuditAction
from tiaodu.core.progress import Every
from tiaodu.core.scoping import Actor
from tiaodu.core.summaries import export_message, filter_summary
from tiaodu.core.workflow import Transition, Workflow
from tiaodu.projects.export_models import LibraryExport, kept_for
from tiaodu.projects.export_models import LibraryExportStatus as S
from tiaodu.projects.exports import (
    export_as_of,
    export_plans,
    library_filterset,
    write_library_xlsx,
)
from tiaodu.projects.filters import AnnualPlanFilterSet
from tiaodu.projects.permissions import reads_business_data

# Who takes a step: the reader who asked (the task acts for them), and the keeping of
# files (the removal of old ones, whoever's request sets it off).
REQUESTER = "requester"
KEEPER = "keeper"


class ExportAction(StrEnum):
    START = "start"
    FINISH = "finish"
    FAIL = "fail"
    EXPIRE = "expire"


A = ExportAction
_REQUESTER = frozenset({REQUESTER})

EXPORTS = Workflow(
    [
        Transition(S.QUEUED, A.START, S.WRITING, _REQUESTER),
        Transition(S.WRITING, A.FINISH, S.DONE, _REQUESTER),
        Transition(S.QUEUED, A.FAIL, S.FAILED, _REQUESTER),
        Transition(S.WRITING, A.FAIL, S.FAILED, _REQUESTER),
        Transition(S.DONE, A.EXPIRE, S.EXPIRED, frozenset({KEEPER})),
        # A task whose worker stopped is given up when its file would have gone.
        Transition(S.QUEUED, A.EXPIRE, S.EXPIRED, frozenset({KEEPER})),
        Transition(S.WRITING, A.EXPIRE, S.EXPIRED, frozenset({KEEPER})),
        Transition(S.FAILED, A.EXPIRE, S.EXPIRED, frozenset({KEEPER})),
    ]
)

TASK_FIELDS = ["status", "rows_done", "rows_total", "progress_at", "file", "failure", "finished_at"]


def can_see(actor: Actor, item: LibraryExport) -> bool:
    """An export is its requester's, while they read the library."""
    return actor is not None and item.requested_by_id == actor.pk and reads_business_data(actor)


def request_export(
    *, actor: User, filterset: AnnualPlanFilterSet, query: QueryDict, year: int, rows: int
) -> LibraryExport:
    """Record the export of the (validated) library list and queue the task that writes it;
    the file's rows are those of the list when the task reads it (`rows` as counted now)."""
    if not reads_business_data(actor):
        raise PermissionDenied
    remove_expired()
    as_of = export_as_of(filterset, year)
    asked = query.urlencode()
    # The same list asked again while it is being written (a second click): that export.
    for working in LibraryExport.objects.filter(
        requested_by=actor, query=asked, year=year, as_of=as_of, status__in=[S.QUEUED, S.WRITING]
    ):
        if working.working:
            return working
    item = LibraryExport.objects.create(
        requested_by=actor,
        query=asked,
        year=year,
        as_of=as_of,
        requested_at=clock.now(),
        summary=audit_summary(filterset),
        rows_total=rows,
        progress_at=timezone.now(),
    )
    from tiaodu.projects import tasks

    pk = item.pk
    transaction.on_commit(lambda: tasks.write_library_export.enqueue(pk))
    return item


def audit_summary(filterset: AnnualPlanFilterSet) -> str:
    """The chosen filters in words, as the export's audit event says them."""
    return export_message(None, filter_summary(filterset.form))


class ProgressSaver:
    """The writer's `progress`: saves the rows written, at the start and the end and in
    between at most once every `every` seconds (`core.progress.Every`)."""

    def __init__(
        self,
        item: LibraryExport,
        *,
        every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.item = item
        self.every = Every(every, clock)

    def __call__(self, done: int, total: int) -> None:
        if not self.every.due(done, total):
            return
        item = self.item
        item.rows_done, item.rows_total, item.progress_at = done, total, timezone.now()
        LibraryExport.objects.filter(pk=item.pk, status=S.WRITING).update(
            rows_done=done, rows_total=total, progress_at=item.progress_at
        )


def run(item: LibraryExport) -> LibraryExport:
    """The work of the background task: read the list as its reader asked it, write the
    file, keep it. A task delivered twice does the work once."""
    if item.status != S.QUEUED:
        return item
    source, target = EXPORTS.apply(item, A.START, _REQUESTER)
    item.progress_at = timezone.now()
    taken = LibraryExport.objects.filter(pk=item.pk, status=source).update(
        status=target, progress_at=item.progress_at
    )
    if not taken:
        return item  # another delivery of the task took it first
    actor = item.requested_by
    unexpected: Exception | None = None
    try:
        if not reads_business_data(actor):
            raise PermissionDenied
        # The filters as on the day it was asked (a list as it stood, "today" in a figure).
        with clock.frozen(item.requested_at):
            filterset = library_filterset(actor, QueryDict(item.query), item.year)
            plans = export_plans(filterset)
        content = write_library_xlsx(plans, as_of=item.as_of, progress=ProgressSaver(item))
        item.file.save(f"{uuid.uuid4()}.xlsx", ContentFile(content), save=False)
        EXPORTS.apply(item, A.FINISH, _REQUESTER)
    except PermissionDenied:
        item.failure = _("You may no longer read the project library; nothing was exported.")
        EXPORTS.apply(item, A.FAIL, _REQUESTER)
    except Exception as error:
        item.failure = _("The export stopped unexpectedly. Export the list again.")
        EXPORTS.apply(item, A.FAIL, _REQUESTER)
        unexpected = error
    item.finished_at = timezone.now()
    # Saved unless the export was given up meanwhile (its file is then removed).
    values = {name: getattr(item, name) for name in TASK_FIELDS}
    saved = LibraryExport.objects.filter(pk=item.pk, status=S.WRITING).update(**values)
    if not saved and item.file:
        item.file.delete(save=False)
    if unexpected is not None:
        raise unexpected  # the task's result records it, with its traceback
    return item


def open_file(*, actor: Actor, item: LibraryExport) -> IO[bytes]:
    """The written file, open for reading; its download audited as the direct download's.
    FileNotFoundError when it is gone."""
    if not can_see(actor, item):
        raise PermissionDenied
    if item.status != S.DONE or not item.file:
        raise FileNotFoundError(item.file.name)
    handle: IO[bytes] = item.file.open("rb")
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_label=_("Project library"),
        message=item.summary,
    )
    return handle


def remove_expired() -> int:
    """Remove the files kept longer than TIAODU_EXPORT_KEEP_HOURS, and give up the tasks
    asked for that long ago; the records stay (removed). Safe to run twice at once."""
    before = timezone.now() - kept_for()
    old = LibraryExport.objects.filter(finished_at__lt=before, status__in=[S.DONE, S.FAILED])
    stopped = LibraryExport.objects.filter(
        requested_at__lt=before, status__in=[S.QUEUED, S.WRITING]
    )
    removed = 0
    for item in [*old, *stopped]:
        source, target = EXPORTS.apply(item, A.EXPIRE, frozenset({KEEPER}))
        claimed = LibraryExport.objects.filter(pk=item.pk, status=source).update(
            status=target, file=""
        )
        if not claimed:
            continue  # another request removed it first
        if item.file:
            item.file.delete(save=False)
        removed += 1
    return removed
