"""Appeals against cards (issue 10, part 6): the only writers of `Appeal` and `AppealFile`.

An owner unit's reporter or a district's dispatcher appeals a card within the rule set's
`appeal_working_days` (default 5) with a reason and evidence files; the site's dispatcher
upholds the card or revises its colour, with a reason. A revision sets the card's
`revised_colour` and leaves the computed `colour` as it was. Each call checks who may,
writes atomically, audits and notifies; a refusal (PermissionDenied, ValidationError or
UploadRefused, in the user's language) changes nothing and stores no file.
"""

import datetime as dt
from collections.abc import Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.core import audit, clock
from tiaodu.core.media import limits
from tiaodu.core.media.accepted import Accepted
from tiaodu.core.media.checks import inspect_upload
from tiaodu.core.media.documents import Document, inspect_document
from tiaodu.core.media.errors import RefusalReason, UploadRefused
from tiaodu.core.media.signatures import PDF, identify
from tiaodu.core.media.store import store
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.core.workdays import add_working_days
from tiaodu.core.workflow import TransitionRefused
from tiaodu.scoring import appeal_notifications, appeal_workflow, rules
from tiaodu.scoring.choices import AppealDecision, AppealStatus, Colour
from tiaodu.scoring.models import Appeal, AppealFile, Card
from tiaodu.scoring.permissions import appeal_relations, may_appeal

# An upload as the views hand it over: the file and the name the uploader gave it.
type Upload = tuple[IO[bytes], str]

MAX_FILES = 10
REASON_MAX = 2000
# A PDF (a certificate, a letter) is evidence too; up to the size of a photo.
PDF_MAX_BYTES = limits.PHOTO_MAX_BYTES


def window_opens(card: Card) -> dt.date:
    """The day the appeal window of a card opens: the day its colour was computed (as the
    site's clock reads it), or the day after the month's end if that is later (a card is
    only computed after its month, so in practice the computing day)."""
    computed = timezone.localdate(card.computed_at)
    after_month = rules.month_end(card.month) + dt.timedelta(days=1)
    return max(computed, after_month)


def appeal_deadline(card: Card) -> dt.date:
    """The last day to appeal: the N-th working day after the window opens (N the rule set's
    `appeal_working_days`; the opening day itself is not counted, as with every deadline
    in working days here, `core.workdays.add_working_days`). A card computed on Friday 4
    December 2026 may be appealed until Friday 11 December with N = 5. A recomputation that
    changes the card opens a new window."""
    return add_working_days(window_opens(card), card.rule_set.appeal_working_days)


def decide_by(appeal: Appeal) -> dt.date:
    """When the site's dispatcher should have decided: as many working days after the
    appeal as the appellant had to raise it (the queue is ordered by this day)."""
    raised = timezone.localdate(appeal.raised_at)
    return add_working_days(raised, appeal.card.rule_set.appeal_working_days)


def pending_appeal(card: Card) -> Appeal | None:
    return Appeal.objects.filter(card=card, status=AppealStatus.PENDING).first()


def refusal_to_appeal(actor: Actor, card: Card, today: dt.date | None = None) -> str:
    """Why the actor may not appeal the card now ("" when they may): the page shows this
    instead of the form, and `raise_appeal` refuses with it."""
    if not may_appeal(actor, card):
        return _("Only the project's owner unit or its district's dispatcher may appeal its card.")
    today = today or clock.today()
    deadline = appeal_deadline(card)
    if today > deadline:
        return _("The card could be appealed until %(date)s; that time is over.") % {
            "date": deadline.isoformat()
        }
    if pending_appeal(card) is not None:
        return _("This card already has an appeal waiting for a decision.")
    return ""


def _inspect(handle: IO[bytes], name: str) -> Accepted | Document:
    """A photo or video as `core.media` accepts it, or a PDF; refused with the file's name."""
    try:
        handle.seek(0)
        head = handle.read(limits.HEAD)
        handle.seek(0)
        if identify(head) is PDF:
            try:
                return inspect_document(handle, name=name, max_bytes=PDF_MAX_BYTES)
            except ValidationError as error:
                raise UploadRefused(
                    " ".join(error.messages), reason=RefusalReason.TOO_LARGE
                ) from error
            finally:
                handle.seek(0)
        return inspect_upload(handle, name=name)
    except UploadRefused as refused:
        raise UploadRefused(
            _("%(name)s: %(reason)s") % {"name": name, "reason": refused.message},
            reason=refused.reason,
        ) from refused


def _colour_label(colour: str) -> str:
    with audit.in_site_language():
        return str(Colour(colour).label) if colour else ""


@transaction.atomic
def raise_appeal(*, actor: User, card: Card, reason: str, files: Sequence[Upload] = ()) -> Appeal:
    """Appeal the card with a reason (required) and evidence files (photos, videos or PDF,
    at most ten). Every file is checked before anything is written: one refused file
    refuses the appeal, naming it. Tells the site's dispatchers."""
    card = Card.objects.select_for_update().select_related("project", "rule_set").get(pk=card.pk)
    why_not = refusal_to_appeal(actor, card)
    if why_not:
        if not may_appeal(actor, card):
            raise PermissionDenied(why_not)
        raise ValidationError(why_not)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the card is wrong.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason to %(count)s characters.") % {"count": REASON_MAX}}
        )
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"files": _("Attach at most %(count)s files.") % {"count": MAX_FILES}}
        )
    accepted = [(name, _inspect(handle, name)) for handle, name in files]
    appeal = Appeal.objects.create(card=card, raised_by=actor, raised_at=clock.now(), reason=reason)
    audit.record_create(actor=actor, instance=appeal, parent=card.project)
    for name, upload in accepted:
        item = AppealFile(appeal=appeal, uploaded_by=actor)
        store(
            item,
            upload,
            stem=f"{card.project_id}-{appeal.pk}-{upload.sha256[:12]}",
            original_name=name,
        )
        item.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=item,
            parent=card.project,
            changes={"file": ["", item.original_name]},
        )
    appeal_notifications.on_raised(appeal)
    return appeal


@transaction.atomic
def decide_appeal(
    *,
    actor: Actor,
    appeal: Appeal,
    outcome: str,
    reason: str,
    revised_colour: str | None = None,
) -> Appeal:
    """The site's dispatcher upholds the card (`outcome="upheld"`) or revises its colour
    (`"revised"`, to `revised_colour`, which must differ from the colour that now counts),
    with a reason (required). A revision sets `card.revised_colour`; the computed colour
    stays. Tells the one who appealed."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("card__project", "card__rule_set", "raised_by")
        .get(pk=appeal.pk)
    )
    if outcome not in AppealDecision.values:
        raise ValidationError({"outcome": _("Uphold the card or revise its colour.")})
    try:
        appeal_workflow.APPEALS.check(appeal_relations(actor), appeal.status, outcome)
    except TransitionRefused as refused:
        if refused.step is None:
            raise ValidationError(
                _("This appeal was decided already: %(status)s.")
                % {"status": appeal.get_status_display()}
            ) from None
        raise PermissionDenied(_("Only a dispatcher of the whole site decides appeals.")) from None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    card = Card.objects.select_for_update().get(pk=appeal.card_id)
    if outcome == AppealDecision.REVISE:
        if revised_colour not in Colour.values:
            raise ValidationError({"revised_colour": _("Choose the colour the card gets.")})
        if revised_colour == card.final_colour:
            raise ValidationError(
                {
                    "revised_colour": _(
                        "The card is %(colour)s already: choose another colour, or uphold it."
                    )
                    % {"colour": Colour(card.final_colour).label}
                }
            )
    before = audit.snapshot(appeal)
    appeal.decided_by_id = actor.pk
    appeal.decided_at = clock.now()
    appeal.decision_reason = reason
    appeal.revised_colour = (revised_colour or "") if outcome == AppealDecision.REVISE else ""
    appeal_workflow.APPEALS.apply(appeal, outcome, appeal_relations(actor))
    appeal.save()
    audit.record_update(actor=actor, instance=appeal, before=before, parent=card.project)
    if outcome == AppealDecision.REVISE:
        was = card.revised_colour
        card.revised_colour = str(revised_colour)
        card.save(update_fields=["revised_colour", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=card,
            parent=card.project,
            changes={"revised_colour": [_colour_label(was), _colour_label(card.revised_colour)]},
        )
    appeal.card = card
    appeal_notifications.on_decided(appeal)
    return appeal
