"""The security administrator's wall displays (大屏终端): list, create (the pairing link
shown once), a new pairing link, revoke (docs/screen.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tiaodu.accounts import displays
from tiaodu.accounts.forms import DisplayForm
from tiaodu.accounts.models import Display
from tiaodu.accounts.permissions import manages_displays
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.refusals import errors_onto, refusal

# The big screen's pairing page, named as a string (analytics owns it; docs/architecture.md).
PAIR_URL = "screen:pair"
# The link just issued, kept in the session until the list shows it once (after a redirect,
# so that reloading the list creates nothing).
ISSUED = "tiaodu_display_link"


def _require_manager(request: SignedInRequest) -> None:
    if not manages_displays(request.user):
        raise Http404


def _pairing_link(request: SignedInRequest, code: str) -> str:
    return request.build_absolute_uri(reverse(PAIR_URL, args=[code]))


def _issued(request: SignedInRequest, display: Display, code: str) -> HttpResponse:
    """Keep the new link for the list to show once, and go there."""
    request.session[ISSUED] = {"name": display.name, "link": _pairing_link(request, code)}
    return redirect("accounts:displays")


@never_cache
@login_required
def display_list(request: SignedInRequest) -> HttpResponse:
    """The displays, their state, and the form that creates one."""
    _require_manager(request)
    form = DisplayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            display, code = displays.create_display(
                actor=request.user,
                name=form.cleaned_data["name"],
                region=form.cleaned_data["region"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return _issued(request, display, code)
    context = {
        "form": form,
        "issued": request.session.pop(ISSUED, None),
        "displays": Display.objects.select_related("region", "created_by", "revoked_by"),
        "now": timezone.now(),
    }
    return render(request, "accounts/displays.html", context)


@login_required
@require_POST
def new_link(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    display = get_object_or_404(Display, pk=pk)
    try:
        code = displays.new_pairing_link(actor=request.user, display=display)
    except ValidationError as error:
        messages.error(request, refusal(error))
        return redirect("accounts:displays")
    return _issued(request, display, code)


@login_required
@require_POST
def revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    display = get_object_or_404(Display, pk=pk)
    displays.revoke_display(actor=request.user, display=display)
    messages.success(
        request,
        _("The display “%(name)s” is revoked: it shows no figures from its next refresh.")
        % {"name": display.name},
    )
    return redirect("accounts:displays")
