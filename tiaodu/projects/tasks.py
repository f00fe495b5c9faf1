"""Background tasks of the project library: checking and applying an uploaded ledger, and
writing a large export of the library (export_jobs.run).

Each task takes ids and the import's attempt (task arguments are stored as JSON) and saves
the LedgerImport's phase and rows done, which the import page polls (jobs.run).
"""

from django.tasks import task

from tiaodu.accounts.models import User
from tiaodu.core import context
from tiaodu.projects.export_models import LibraryExport
from tiaodu.projects.import_models import LedgerImport
from tiaodu.projects.ledger import jobs


@task
def check_ledger_import(import_id: int, actor_id: int, attempt: int | None = None) -> None:
    item = LedgerImport.objects.get(pk=import_id)
    actor = User.objects.get(pk=actor_id)
    with context.bound(context.RequestContext(channel="system")):
        jobs.run(actor=actor, item=item, apply=False, attempt=attempt)


@task
def apply_ledger_import(import_id: int, actor_id: int, attempt: int | None = None) -> None:
    item = LedgerImport.objects.get(pk=import_id)
    actor = User.objects.get(pk=actor_id)
    with context.bound(context.RequestContext(channel="system")):
        jobs.run(actor=actor, item=item, apply=True, attempt=attempt)


@task
def write_library_export(export_id: int) -> None:
    from tiaodu.projects import export_jobs

    item = LibraryExport.objects.select_related("requested_by").get(pk=export_id)
    with context.bound(context.RequestContext(channel="system")):
        export_jobs.run(item)
