"""The notifications page: the user's own, newest first; opening one marks it read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tiaodu.core import notifications

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about (or back to the list)."""
    found = notifications.notifications_of(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    notifications.mark_read(user=request.user, notification_id=found.pk)
    safe = url_has_allowed_host_and_scheme(found.link, allowed_hosts={request.get_host()})
    return redirect(found.link if found.link and safe else reverse("core:notifications"))


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_read(user=request.user)
    return redirect("core:notifications")
