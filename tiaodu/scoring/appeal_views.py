"""The card page and its appeals: `/evaluation/cards/<id>/` (the card's dimensions, reasons,
what restores blue and its appeals), the appeal form (a page of its own, for a reporter's
phone at the site), the site dispatcher's queue `/evaluation/appeals/` and the decision.

A card or an appeal outside the reader's scope is a 404. The services decide; a refusal
comes back on the form that was sent, and nothing has changed.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.listing import page_context
from tiaodu.core.media.errors import UploadRefused
from tiaodu.core.media.serving import serve_inline
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.scoring import appeals, listings, selectors
from tiaodu.scoring.appeal_forms import AppealForm, DecideForm
from tiaodu.scoring.choices import NOT_APPLICABLE, AppealStatus, Colour, Dimension, Evidence
from tiaodu.scoring.models import Card
from tiaodu.scoring.permissions import decides_appeals, may_appeal

WORSE_THAN_BLUE = frozenset({Colour.YELLOW, Colour.RED})


def _dimensions(card: Card) -> list[dict[str, Any]]:
    rows = []
    for dimension in Dimension:
        judged = card.dimensions.get(dimension.value) or {}
        colour = judged.get("colour", NOT_APPLICABLE)
        rows.append(
            {
                "key": dimension.value,
                "label": dimension.label,
                "colour": colour,
                "colour_label": Colour(colour).label if colour in Colour.values else "",
                "reason": judged.get("reason", ""),
                "restore": judged.get("restore", ""),
            }
        )
    return rows


def card_context(
    request: SignedInRequest,
    card: Card,
    *,
    decide_form: DecideForm | None = None,
    decide_failed: int | None = None,
) -> dict[str, Any]:
    actor = request.user
    today = clock.today()
    found = list(selectors.appeals_of(actor, card))
    deciding = decides_appeals(actor)
    for appeal in found:
        appeal.decide_form = None  # type: ignore[attr-defined]
        if deciding and appeal.status == AppealStatus.PENDING:
            failed = decide_form is not None and decide_failed == appeal.pk
            appeal.decide_form = decide_form if failed else DecideForm(prefix=f"a{appeal.pk}")  # type: ignore[attr-defined]
    return {
        "card": card,
        "project": card.project,
        "dimensions": _dimensions(card),
        "evidence": Evidence(card.evidence).label if card.evidence in Evidence.values else "",
        "appeals": found,
        "deadline": appeals.appeal_deadline(card),
        "appellant": may_appeal(actor, card),
        "why_not": appeals.refusal_to_appeal(actor, card, today),
        "decides": deciding,
        # Deciding from the queue leads back to it.
        "next": "queue" if request.GET.get("from") == "queue" or request.POST.get("next") else "",
        "today": today,
    }


@login_required
def card_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    card = selectors.card_for(request.user, pk)
    return render(request, "scoring/card.html", card_context(request, card))


@login_required
def appeal_raise(request: SignedInRequest, pk: int) -> HttpResponse:
    """申诉: the reason and the evidence; a refused file refuses the appeal, naming it."""
    card = selectors.card_for(request.user, pk)
    if not may_appeal(request.user, card):
        raise Http404
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST":

        def send() -> str | None:
            # Checked inside the key's claim: a repeat is sent to the card before the form
            # (and its evidence) is looked at again.
            if not form.is_valid():
                return None
            uploads = [(f, f.name or "") for f in form.cleaned_data["evidence"]]
            try:
                appeals.raise_appeal(
                    actor=request.user, card=card, reason=form.cleaned_data["reason"], files=uploads
                )
            except UploadRefused as refused:
                form.add_error("evidence", refused.message)
                return None
            except (PermissionDenied, ValidationError) as error:
                errors_onto(form, error)
                return None
            messages.success(
                request,
                _("Your appeal was sent. The city's dispatcher decides it; you will be told."),
            )
            return reverse("scoring:card", args=[card.pk])

        location = idempotency.form_once(request, "scoring.appeal", send)
        if location is not None:
            return redirect(location)
    context = {
        "card": card,
        "project": card.project,
        "form": form,
        "deadline": appeals.appeal_deadline(card),
        "why_not": appeals.refusal_to_appeal(request.user, card),
    }
    return render(request, "scoring/appeal_form.html", context)


def queue_context(
    request: SignedInRequest,
    *,
    decide_form: DecideForm | None = None,
    decide_failed: int | None = None,
) -> dict[str, Any]:
    """The pending appeals, the one to decide soonest first, each with what the card found
    wrong, the evidence and its decision form; then the latest decided (`listings.APPEALS`,
    which the export shares)."""
    found = listings.appeals_source(request)
    for appeal in found.rows:
        appeal.failing = [
            row for row in _dimensions(appeal.card) if row["colour"] in WORSE_THAN_BLUE
        ]
        failed = decide_form is not None and decide_failed == appeal.pk
        appeal.decide_form = decide_form if failed else DecideForm(prefix=f"a{appeal.pk}")
    listing = listings.APPEALS
    return {
        **page_context(request, listing, found),
        "pending": found.rows,
        "pending_rows": listing.table("pending").present(found.rows),
        "decided": found.data["decided"],
        "decided_rows": listing.table("decided").present(found.data["decided"]),
        "decided_table": listing.table("decided"),
        "today": found.data["today"],
        "next": "queue",
    }


@login_required
def appeal_queue(request: SignedInRequest) -> HttpResponse:
    """评价申诉: the pending appeals first, the one to decide soonest at the top, each
    decided on the spot (or on its card's page); then the latest decided."""
    return render(request, "scoring/appeal_queue.html", queue_context(request))


@login_required
@require_POST
def appeal_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_for(request.user, pk)
    card = selectors.card_for(request.user, appeal.card_id)
    form = DecideForm(request.POST, prefix=f"a{appeal.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            appeals.decide_appeal(
                actor=request.user,
                appeal=appeal,
                outcome=data["outcome"],
                reason=data["reason"],
                revised_colour=data["revised_colour"] or None,
            )
        except PermissionDenied as error:
            messages.error(request, refusal(error))
            return redirect("scoring:card", pk=card.pk)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            appeal.refresh_from_db()
            messages.success(
                request,
                _("The appeal is decided: %(status)s.") % {"status": appeal.get_status_display()},
            )
            if request.POST.get("next") == "queue":
                return redirect("scoring:appeals")
            return redirect(f"{reverse('scoring:card', args=[card.pk])}#appeal-{appeal.pk}")
    if request.POST.get("next") == "queue" and decides_appeals(request.user):
        context = queue_context(request, decide_form=form, decide_failed=appeal.pk)
        return render(request, "scoring/appeal_queue.html", context)
    context = card_context(request, card, decide_form=form, decide_failed=appeal.pk)
    return render(request, "scoring/card.html", context)


@login_required
def appeal_file(request: SignedInRequest, pk: int) -> HttpResponseBase:
    """An appeal's evidence, for those who see the card only."""
    item = selectors.appeal_file_for(request.user, pk)
    return serve_inline(item.file, item.content_type, request)


@login_required
def appeal_thumbnail(request: SignedInRequest, pk: int) -> HttpResponseBase:
    item = selectors.appeal_file_for(request.user, pk)
    return serve_inline(item.thumbnail, "image/jpeg", request)
