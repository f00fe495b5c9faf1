"""The import page's writers: an upload checked and kept for its preview, imported (checked
again against the site as it then is) or discarded, and the passwords file taken once. Each
is audited; an upload is its uploader's alone."""

import datetime as dt
from dataclasses import asdict
from io import BytesIO
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.account_import.apply import (
    AppliedImport,
    apply_account_import,
    passwords_file,
)
from tiaodu.accounts.account_import.plan import AccountImportPlan, plan_account_import
from tiaodu.accounts.account_import.workbook import MAX_BYTES, WorkbookError, read
from tiaodu.accounts.import_models import AccountImport, AccountImportStatus
from tiaodu.accounts.models import User
from tiaodu.core import audit

# Each new account's password is hashed with the site's (deliberately slow) hasher: the page
# keeps one import within a request's time; the command has no such bound.
WEB_MAX_NEW_ACCOUNTS = 200
# A passwords file not downloaded within this time is erased (the accounts stay; their
# passwords are then reset one by one on the accounts' pages).
PASSWORDS_KEPT = dt.timedelta(hours=24)


def erase_expired_passwords() -> int:
    """Erase the passwords files older than `PASSWORDS_KEPT`; returns how many."""
    return AccountImport.objects.filter(
        passwords__isnull=False, applied_at__lt=timezone.now() - PASSWORDS_KEPT
    ).update(passwords=None)


def plan_of(*, actor: User, item: AccountImport) -> AccountImportPlan:
    """The upload checked against the site as it is now."""
    workbook = read(BytesIO(bytes(item.content)))
    return plan_account_import(
        actor=actor, workbook=workbook, max_new_accounts=WEB_MAX_NEW_ACCOUNTS
    )


def _keep(item: AccountImport, plan: AccountImportPlan) -> None:
    item.errors = [asdict(error) for error in plan.errors]
    item.summary = plan.summary()
    item.status = AccountImportStatus.FAILED if plan.errors else AccountImportStatus.CHECKED


@transaction.atomic
def check_upload(*, actor: User, handle: IO[bytes], name: str) -> AccountImport:
    """Read and check an uploaded workbook, and keep it with what the check found (every
    error, or what the import would write); a file that is no accounts workbook is refused
    with a ValidationError and nothing is kept."""
    erase_expired_passwords()
    content = handle.read(MAX_BYTES + 1)
    try:
        workbook = read(BytesIO(content))
    except WorkbookError as error:
        raise ValidationError(error.message, code="workbook") from error
    plan = plan_account_import(
        actor=actor, workbook=workbook, max_new_accounts=WEB_MAX_NEW_ACCOUNTS
    )
    item = AccountImport(uploaded_by=actor, original_name=name[:255], content=content)
    _keep(item, plan)
    item.save()
    audit.record(actor=actor, action=audit.AuditAction.CREATE, instance=item, changes={
        "status": ["", str(item.get_status_display())],
        "errors": ["", str(len(plan.errors))],
    })  # fmt: skip
    return item


@transaction.atomic
def import_upload(*, actor: User, item: AccountImport) -> AppliedImport | None:
    """Import a checked upload, all or nothing, after checking it again: None (and the
    upload marked with its errors) when the site changed under it in a way the workbook no
    longer fits. The new accounts' passwords file waits for its one download."""
    item = AccountImport.objects.select_for_update().get(pk=item.pk, uploaded_by=actor)
    if item.status != AccountImportStatus.CHECKED:
        raise ValidationError(_("This workbook is not waiting to be imported."), code="state")
    plan = plan_of(actor=actor, item=item)
    if plan.errors:
        _keep(item, plan)
        item.save(update_fields=["errors", "summary", "status"])
        return None
    result = apply_account_import(actor=actor, plan=plan, file_name=item.original_name)
    item.status = AccountImportStatus.APPLIED
    item.applied_at = timezone.now()
    item.summary = {**plan.summary(), **result.summary()}
    item.content = b""
    item.passwords = passwords_file(result.accounts) if result.accounts else None
    item.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        instance=item,
        changes={
            "status": [str(AccountImportStatus.CHECKED.label), str(item.get_status_display())]
        },
    )
    return result


@transaction.atomic
def discard_upload(*, actor: User, item: AccountImport) -> None:
    """Drop an upload that was not imported: its workbook is erased."""
    item = AccountImport.objects.select_for_update().get(pk=item.pk, uploaded_by=actor)
    if item.status in {AccountImportStatus.APPLIED, AccountImportStatus.DISCARDED}:
        raise ValidationError(_("This workbook was imported or discarded already."), code="state")
    before = str(item.get_status_display())
    item.status = AccountImportStatus.DISCARDED
    item.content = b""
    item.save(update_fields=["status", "content"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        instance=item,
        changes={"status": [before, str(item.get_status_display())]},
    )


@transaction.atomic
def take_passwords(*, actor: User, pk: int) -> tuple[AccountImport, bytes] | None:
    """The passwords file of the actor's own import, once: it is erased as it is handed
    out. None when there is none to take (another's import, taken already, or kept longer
    than `PASSWORDS_KEPT`, which erases it)."""
    erase_expired_passwords()
    item = (
        AccountImport.objects.select_for_update()
        .filter(pk=pk, uploaded_by=actor, passwords__isnull=False)
        .first()
    )
    if item is None or item.passwords is None:
        return None
    content = bytes(item.passwords)
    item.passwords = None
    item.passwords_taken_at = timezone.now()
    item.save(update_fields=["passwords", "passwords_taken_at"])
    with audit.in_site_language():
        message = _("passwords file of the new accounts downloaded and erased")
    audit.record(actor=actor, action=audit.AuditAction.EXPORT, instance=item, message=message)
    return item, content
