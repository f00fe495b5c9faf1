"""Acts on administrators' accounts waiting for a second administrator (三权分立): the list,
confirm, refuse or withdraw (`accounts.confirmations`; docs/administration.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts import confirmations
from tiaodu.accounts.area_nav import area_context, require
from tiaodu.accounts.models import AdminActionRequest, AdminActionStatus
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.refusals import refusal

PER_PAGE = 50


@login_required
def request_list(request: SignedInRequest) -> HttpResponse:
    """Pending requests first (with the buttons this administrator may press), then the
    last 30 days' decided and expired ones; those left unconfirmed past their day are
    marked expired first (`confirmations.expire_overdue`)."""
    require(request, "requests")
    now = timezone.now()
    confirmations.expire_overdue(now)
    page = Paginator(confirmations.recent_requests(), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "item": item,
            "open": item.is_open_at(now),
            "expired": item.status in {AdminActionStatus.PENDING, AdminActionStatus.EXPIRED}
            and not item.is_open_at(now),
            "may_confirm": item.is_open_at(now) and confirmations.may_confirm(request.user, item),
            "mine": item.requested_by_id == request.user.pk,
        }
        for item in page
    ]
    context = {**area_context(request, "requests"), "page": page, "rows": rows, "query": ""}
    return render(request, "accounts/area/requests.html", context)


def _decide(request: SignedInRequest, pk: int, *, confirm: bool) -> HttpResponse:
    require(request, "requests")
    item = get_object_or_404(AdminActionRequest.objects.select_related("target"), pk=pk)
    try:
        if confirm:
            confirmations.confirm(actor=request.user, request=item)
        else:
            decided = confirmations.refuse(actor=request.user, request=item)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
    else:
        if confirm:
            text = _("Confirmed: %(act)s is done.")
        elif decided.requested_by_id == request.user.pk:
            text = _("Withdrawn: %(act)s will not be done.")
        else:
            text = _("Refused: %(act)s will not be done.")
        messages.success(request, text % {"act": item})
    return redirect("administration:requests")


@login_required
@require_POST
def request_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@login_required
@require_POST
def request_refuse(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)
