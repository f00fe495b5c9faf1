"""The list change pages (动态调整): the queue of changes, a change's page (a leader approves
or refuses it there), and the two proposal pages — a replacement, with the candidates ranked
by readiness beside the outgoing entry, and a promotion. Reads through the permissions'
scopes (a district's dispatcher sees its own candidates only), writes through `changes`."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.campaigns import candidates as ranking
from tiaodu.campaigns import changes, listings, selectors
from tiaodu.campaigns.change_workflow import LIST_CHANGES
from tiaodu.campaigns.choices import ChangeAction, ChangeStatus
from tiaodu.campaigns.models import Campaign, ListChange
from tiaodu.campaigns.permissions import (
    change_relations,
    changes_visible_to,
    may_propose_change,
    reads_changes,
)
from tiaodu.core.listing import page_context
from tiaodu.projects.models import AnnualPlan, KeyProjectList

SIDE_BY_SIDE = 4  # candidates shown in columns beside the outgoing entry


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def change_list(request: SignedInRequest) -> HttpResponse:
    found = listings.changes_source(request)
    listing = listings.CHANGES
    context = {
        **page_context(request, listing, found),
        "pending": found.rows,
        "decided": found.data["decided"],
        "pending_rows": listing.table("pending").present(found.rows),
        "decided_rows": listing.table("decided").present(found.data["decided"]),
        "change_table": listing.table("pending"),
    }
    return render(request, "campaigns/change_list.html", context)


def _change_for(request: SignedInRequest, pk: int) -> ListChange:
    if not reads_changes(request.user):
        raise Http404
    return get_object_or_404(
        changes_visible_to(request.user).select_related(
            "key_list",
            "to_list",
            "campaign",
            "proposed_by",
            "decided_by",
            "outgoing__project__region",
            "incoming__project__region",
        ),
        pk=pk,
    )


@login_required
def change_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    change = _change_for(request, pk)
    columns = [ranking.outgoing_readiness(change.outgoing)]
    if change.incoming is not None:
        reference = change.outgoing.project.total_investment
        incoming = ranking.readiness_of(change.incoming, reference)
        columns.append(incoming)
    actions = LIST_CHANGES.actions_for(change_relations(request.user, change), change.status)
    return render(
        request,
        "campaigns/change_detail.html",
        {
            "change": change,
            "summary": changes.summary(change),
            "columns": columns,
            "actions": actions,
            "labels": dict(ChangeAction.choices),
        },
    )


@login_required
@require_POST
def change_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    change = _change_for(request, pk)
    action = request.POST.get("action", "")
    if action not in ChangeAction.values:
        raise Http404
    try:
        changes.decide(
            actor=request.user, change=change, action=action, note=request.POST.get("note", "")
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("campaigns:change", pk=pk)
    done = {
        ChangeAction.APPROVE: _("The change is approved: the lists have changed from today."),
        ChangeAction.REFUSE: _("The change is refused; the lists stay as they are."),
        ChangeAction.WITHDRAW: _("The proposal is withdrawn."),
    }
    messages.success(request, done[ChangeAction(action)])
    return redirect("campaigns:change", pk=pk)


def _outgoing(request: SignedInRequest, plan_pk: int) -> AnnualPlan:
    plan = get_object_or_404(
        AnnualPlan.objects.select_related("project__region", "project__responsible_unit"),
        pk=plan_pk,
    )
    if not may_propose_change(request.user, plan):
        raise Http404
    return plan


def _campaign(request: SignedInRequest, value: str) -> Campaign | None:
    if not value.isdigit():
        return None
    try:
        return selectors.campaign_for(request.user, int(value))
    except Http404:
        return None


def _lists_of(
    plan: AnnualPlan, campaign: Campaign | None
) -> tuple[list[KeyProjectList], KeyProjectList | None]:
    """The lists the entry is on now, and the one to change: the campaign's first list it is
    on, else its first (None: it is on none)."""
    on = plan.current_lists
    preferred = on
    if campaign is not None:
        in_campaign = set(campaign.lists.values_list("pk", flat=True))
        preferred = [item for item in on if item.pk in in_campaign] or on
    return on, preferred[0] if preferred else None


def _chosen_list(
    request: SignedInRequest, on: list[KeyProjectList], default: KeyProjectList | None
) -> KeyProjectList | None:
    """The list asked for, if the entry is on it, else `default`."""
    value = request.GET.get("list") or request.POST.get("list") or ""
    for item in on:
        if str(item.pk) == value:
            return item
    return default


@login_required
def change_replace(request: SignedInRequest, plan_pk: int) -> HttpResponse:
    """The replacement page: the outgoing entry and its candidates side by side."""
    outgoing = _outgoing(request, plan_pk)
    campaign = _campaign(request, request.GET.get("campaign") or request.POST.get("campaign", ""))
    on, default = _lists_of(outgoing, campaign)
    key_list = _chosen_list(request, on, default)
    ranked = ranking.candidates(request.user, outgoing, key_list) if key_list else []
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        found = {str(item.plan.pk): item.plan for item in ranked}
        incoming = found.get(request.POST.get("incoming", ""))
        if key_list is None:
            messages.error(request, _("The entry is on no list: there is nothing to replace."))
        elif incoming is None:
            messages.error(request, _("Choose the entry to take its place."))
        else:
            done = _proposed(
                request,
                lambda: changes.propose_replacement(
                    actor=request.user,
                    outgoing=outgoing,
                    key_list=key_list,
                    incoming=incoming,
                    reason=reason,
                    campaign=campaign,
                ),
            )
            if done is not None:
                return done
    first = ranking.outgoing_readiness(outgoing)
    return render(
        request,
        "campaigns/change_replace.html",
        {
            "outgoing": first,
            "columns": [first, *ranked[:SIDE_BY_SIDE]],
            "plan": outgoing,
            "campaign": campaign,
            "lists": on,
            "key_list": key_list,
            "side_by_side": ranked[:SIDE_BY_SIDE],
            "ranked": ranked,
            "band": int(ranking.band() * 100),
            "reason": reason,
            "chosen": request.POST.get("incoming", ""),
        },
    )


def _proposed(request: SignedInRequest, propose: Callable[[], ListChange]) -> HttpResponse | None:
    """Make the proposal: the change's page, or None with the refusal's message (a step not
    the actor's is a 404, as everywhere)."""
    try:
        change = propose()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return None
    if change.status == ChangeStatus.APPROVED:
        messages.success(request, _("The change is made: the lists have changed from today."))
    else:
        messages.success(request, _("The change is proposed and waits for a leader's approval."))
    return redirect("campaigns:change", pk=change.pk)


def _promotion_lists(plan: AnnualPlan, on: list[KeyProjectList]) -> QuerySet[KeyProjectList]:
    return (
        KeyProjectList.objects.filter(year=plan.year)
        .exclude(pk__in=[item.pk for item in on])
        .order_by("name")
    )


@login_required
def change_promote(request: SignedInRequest, plan_pk: int) -> HttpResponse:
    """The promotion page: from one of the entry's lists onto another list of its year."""
    outgoing = _outgoing(request, plan_pk)
    campaign = _campaign(request, request.GET.get("campaign") or request.POST.get("campaign", ""))
    on, default = _lists_of(outgoing, campaign)
    key_list = _chosen_list(request, on, default)
    targets = _promotion_lists(outgoing, on)
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        to_list = targets.filter(pk=request.POST.get("to_list") or 0).first()
        if key_list is None:
            messages.error(request, _("The entry is on no list: there is nothing to promote."))
        elif to_list is None:
            messages.error(request, _("Choose the list to promote it onto."))
        else:
            done = _proposed(
                request,
                lambda: changes.propose_promotion(
                    actor=request.user,
                    outgoing=outgoing,
                    key_list=key_list,
                    to_list=to_list,
                    reason=reason,
                    campaign=campaign,
                ),
            )
            if done is not None:
                return done
    return render(
        request,
        "campaigns/change_promote.html",
        {
            "plan": outgoing,
            "campaign": campaign,
            "lists": on,
            "key_list": key_list,
            "targets": targets,
            "reason": reason,
        },
    )
