"""The dispatcher's queue of supervision proposals: issue one through the notice form filled
in from it, or dismiss it with a reason. Reads through the selectors (a proposal outside the
dispatcher's regions is a 404), writes through `proposals`."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.refusals import errors_onto
from tiaodu.scoring import proposals, selectors, services
from tiaodu.scoring.choices import ProposalStatus
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.forms import NoticeForm
from tiaodu.supervision.notices.preview import preview_response
from tiaodu.supervision.paging import PAGE_SIZE


@login_required
def proposal_list(request: SignedInRequest) -> HttpResponse:
    """督办建议: the proposals about the dispatcher's projects, open ones first."""
    visible = selectors.proposals_visible_to(request.user)
    if not selectors.may_see_proposals(request.user):
        raise Http404
    status = request.GET.get("status", ProposalStatus.OPEN)
    if status not in (*ProposalStatus.values, "all"):
        status = ProposalStatus.OPEN
    months = list(visible.order_by("-month").values_list("month", flat=True).distinct())
    try:
        month = services.parse_month(request.GET["month"]) if request.GET.get("month") else None
    except ValidationError:
        month = None
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    if month is not None:
        visible = visible.filter(month=month)
    if kind:
        visible = visible.filter(kind=kind)
    shown = visible if status == "all" else visible.filter(status=status)
    page = Paginator(shown.order_by("-month", "kind", "project__name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    statuses = [
        (value, label, visible.filter(status=value).count())
        for value, label in ProposalStatus.choices
    ]
    filters = urlencode({"month": f"{month:%Y-%m}" if month else "", "kind": kind})
    return render(
        request,
        "scoring/proposal_list.html",
        {
            "page": page,
            "status": status,
            "statuses": statuses,
            "months": months,
            "month": month,
            "kind": kind,
            "kinds": NoticeKind.choices,
            "filters": filters,
            "query": f"status={status}&{filters}",
        },
    )


@login_required
def proposal_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    """The notice form, filled in from the proposal; issuing it decides the proposal."""
    proposal = selectors.proposal_for(request.user, pk)
    if proposal.status != ProposalStatus.OPEN or not proposals.may_decide(request.user, proposal):
        raise Http404
    initial: dict[str, Any] = proposals.notice_initial(proposal)
    form = NoticeForm(request.POST or None, actor=request.user, initial=initial)
    context = {
        "form": form,
        "source": proposal.project,
        "proposal": proposal,
        "deadlines": form.deadlines,
    }
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        if "confirm" not in request.POST:
            # As on the notice form: 签发 shows the notice first; only 确认签发 issues it.
            return preview_response(request, form, context)
        try:
            notice = proposals.issue_from_proposal(
                actor=request.user, proposal=proposal, **form.notice_fields()
            )
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                _("%(number)s was issued to %(unit)s. The unit has been notified.")
                % {"number": notice.number_label, "unit": notice.recipient_unit.name},
            )
            return redirect("supervision:notice", pk=notice.pk)
    return render(request, "scoring/proposal_issue.html", context)


@login_required
@require_POST
def proposal_dismiss(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, pk)
    try:
        proposals.dismiss_proposal(
            actor=request.user, proposal=proposal, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(getattr(error, "messages", None) or [str(error)])
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("The proposal about %(project)s was dismissed.") % {"project": proposal.project.name},
        )
    return redirect("scoring:proposals")
