"""Every write of bulletins: draft, edit the commentary, take a step of the workflow, and
build the files (the background task). Each checks the actor through `permissions`, runs in
one transaction and records its audit event; a refusal writes nothing."""

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core import audit, clock
from tiaodu.core.workflow import TransitionRefused
from tiaodu.documents import contents, workflow
from tiaodu.documents.choices import (
    AFTER_FILE,
    CONTENT_READ,
    BuildStatus,
    BulletinAction,
    BulletinStatus,
)
from tiaodu.documents.files import render_all
from tiaodu.documents.models import Bulletin
from tiaodu.documents.permissions import may_draft, relations

# The commentary may be edited while the bulletin is a draft.
EDITABLE = (BulletinStatus.DRAFT,)


def _queue_build(bulletin: Bulletin) -> None:
    """Mark the files as to be built and build them in the background after the commit."""
    from tiaodu.documents import tasks

    bulletin.build_status, bulletin.build_progress, bulletin.build_error = BuildStatus.QUEUED, 0, ""
    bulletin.save(update_fields=["build_status", "build_progress", "build_error", "updated_at"])
    pk = bulletin.pk
    transaction.on_commit(lambda: tasks.build_bulletin.enqueue(pk))


@transaction.atomic
def draft_bulletin(*, actor: User, month: dt.date, region: OrgUnit) -> Bulletin:
    """A new draft of the month's bulletin of the region (one per month and region); its
    files are built in the background."""
    if not may_draft(actor, region):
        raise PermissionDenied(_("You may not draft bulletins of this region."))
    month = month.replace(day=1)
    if month > clock.today().replace(day=1):
        raise ValidationError(
            _("A bulletin is of a month that has begun; choose an earlier month.")
        )
    if Bulletin.objects.filter(month=month, region=region).exists():
        raise ValidationError(
            _("%(region)s already has a bulletin for %(month)s; open it instead.")
            % {"region": region.name, "month": f"{month:%Y-%m}"}
        )
    bulletin = Bulletin.objects.create(month=month, region=region, drafted_by=actor)
    audit.record_create(actor=actor, instance=bulletin)
    _queue_build(bulletin)
    return bulletin


@transaction.atomic
def save_commentary(*, actor: User, bulletin: Bulletin, commentary: Mapping[str, str]) -> Bulletin:
    """The dispatcher's paragraphs at the end of the sections (a draft only); rebuilds."""
    if workflow.DISPATCHER not in relations(actor, bulletin):
        raise PermissionDenied(_("You may not edit this bulletin."))
    if bulletin.status not in EDITABLE:
        raise ValidationError(_("Only a draft's commentary can be edited."))
    unknown = set(commentary) - set(contents.SECTIONS)
    if unknown:
        raise ValidationError(
            _("Unknown sections: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(bulletin)
    bulletin.commentary = {key: text.strip() for key, text in commentary.items() if text.strip()}
    bulletin.save(update_fields=["commentary", "updated_at"])
    audit.record_update(actor=actor, instance=bulletin, before=before)
    _queue_build(bulletin)
    return bulletin


def _next_number(year: int) -> int:
    """The year's next number; call inside the issuing transaction (the unique constraint
    refuses a number taken twice)."""
    taken = Bulletin.objects.filter(month__year=year).aggregate(top=Max("number"))["top"]
    return (taken or 0) + 1


@transaction.atomic
def take_action(*, actor: User, bulletin: Bulletin, action: str, note: str = "") -> Bulletin:
    """A step of the workflow table; issuing allocates the year's number and builds the
    issued version (red masthead, number, the issue date). A leader returns a bulletin with
    a note saying what to change, and may sign it off with one; the note is kept on it."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    mine = relations(actor, bulletin)
    try:
        workflow.BULLETINS.check(mine, bulletin.status, action)
    except TransitionRefused as refused:
        if refused.step is None:
            raise ValidationError(
                _("A bulletin that is %(status)s cannot be changed that way.")
                % {"status": bulletin.get_status_display()}
            ) from None
        raise PermissionDenied(_("You may not take this step on this bulletin.")) from None
    if action in (BulletinAction.SUBMIT, BulletinAction.ISSUE) and (
        bulletin.build_status != BuildStatus.DONE
    ):
        raise ValidationError(_("Wait until the files are built, then try again."))
    note = note.strip()
    if action == BulletinAction.RETURN and not note:
        raise ValidationError(_("Say in the note what to change before returning the bulletin."))
    before = audit.snapshot(bulletin)
    workflow.BULLETINS.apply(bulletin, action, mine)
    now = clock.now()
    if action in (BulletinAction.SIGN_OFF, BulletinAction.RETURN):
        bulletin.leader_note = note
    if action == BulletinAction.SIGN_OFF:
        bulletin.signed_off_by, bulletin.signed_off_at = actor, now
    if action == BulletinAction.ISSUE:
        bulletin.number = _next_number(bulletin.month.year)
        bulletin.issued_at = now
    bulletin.save()
    audit.record_update(actor=actor, instance=bulletin, before=before)
    if action == BulletinAction.ISSUE:
        _queue_build(bulletin)
    return bulletin


def build_files(*, bulletin: Bulletin) -> Bulletin:
    """Build the bulletin's three files from the figure set as of its month's end, as its
    drafter sees it, saving the progress as it goes; a failure is kept on the bulletin."""

    def progress(percent: int, status: str = BuildStatus.RUNNING) -> None:
        bulletin.build_status, bulletin.build_progress = status, percent
        bulletin.save(update_fields=["build_status", "build_progress", "updated_at"])

    progress(5)
    try:
        content = contents.build(
            actor=bulletin.drafted_by,
            month=bulletin.month,
            region=bulletin.region,
            number=bulletin.number,
            issued_on=bulletin.issued_at.date() if bulletin.issued_at else None,
            commentary=bulletin.commentary,
        )
        progress(CONTENT_READ)
        stem = f"bulletin-{bulletin.month:%Y-%m}-{bulletin.region.region_code or bulletin.pk}"
        files = render_all(
            content,
            issued=bulletin.is_issued,
            stem=stem,
            done=lambda ext: progress(AFTER_FILE[ext]),
        )
        for (name, data), field in zip(files.items(), bulletin.files().values(), strict=True):
            field.save(name, ContentFile(data), save=False)
        bulletin.built_at = clock.now()
        bulletin.build_status, bulletin.build_progress = BuildStatus.DONE, 100
        bulletin.save()
    except Exception as error:  # the page shows what failed; the bulletin can be rebuilt
        bulletin.build_status, bulletin.build_error = BuildStatus.FAILED, str(error)[:2000]
        bulletin.save(update_fields=["build_status", "build_error", "updated_at"])
        raise
    return bulletin


@transaction.atomic
def rebuild(*, actor: User, bulletin: Bulletin) -> Bulletin:
    """Build a draft's files again (after the data changed, or a failed build)."""
    if workflow.DISPATCHER not in relations(actor, bulletin):
        raise PermissionDenied(_("You may not edit this bulletin."))
    if bulletin.is_issued:
        raise ValidationError(_("An issued bulletin is kept as it was issued."))
    _queue_build(bulletin)
    return bulletin
