"""The big screen's pages (`/screen/`, docs/screen.md): the wall itself, the panels its
script fetches every minute, and the pairing page a wall display's browser opens once.

Who reads: a paired wall display (`accounts.displays`, a leader's read of its region with no
one signed in), or a signed-in reader of business data with their own scope. A revoked or
expired display gets a page without figures; so does a browser whose display cookie is not
(or no longer) valid.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tiaodu.accounts import displays
from tiaodu.accounts.displays import DisplayState
from tiaodu.analytics import screen
from tiaodu.analytics.figures import Scope, default_as_of, resolve_scope
from tiaodu.core.db_router import replica_reads
from tiaodu.core.scoping import Actor
from tiaodu.projects.permissions import reads_business_data
from tiaodu.projects.selectors import default_year

# The header the panels carry, so that the wall's script can tell them from a sign-in page
# or an error page it was sent instead (it then reloads the whole page).
MARK = "X-Tiaodu-Screen"


def _seconds(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high)


def _ended(request: HttpRequest, title: str, message: str, *, forget: bool) -> HttpResponse:
    """A page with no figures for a display that may not read (403), the cookie dropped when
    it names nothing."""
    response = render(
        request, "analytics/screen_ended.html", {"title": title, "message": message}, status=403
    )
    response[MARK] = "ended"
    if forget:
        displays.detach(response, path=reverse("screen:page"))
    return response


def _reader(request: HttpRequest) -> tuple[Actor | None, Scope | None, HttpResponse | None]:
    """Who reads the screen and its scope, or the response that refuses."""
    recognised = displays.display_from_request(request)
    reader = recognised.reader
    if reader is not None:
        year = default_year(reader)
        scope = resolve_scope(
            actor=reader, year=year, as_of=default_as_of(year), region=reader.display.region
        )
        return reader, scope, None
    if recognised.state in (DisplayState.REVOKED, DisplayState.EXPIRED):
        assert recognised.display is not None
        displays.refused(display=recognised.display, state=recognised.state)
        if recognised.state == DisplayState.REVOKED:
            title = _("This display has been revoked")
        else:
            title = _("This display has expired")
        message = _("It shows no figures. Ask the security administrator for a new wall display.")
        return None, None, _ended(request, title, message, forget=False)
    if recognised.state == DisplayState.UNKNOWN:
        message = _(
            "This browser's pairing is no longer valid. Ask the security administrator for "
            "a new pairing link."
        )
        return None, None, _ended(request, _("This display is not paired"), message, forget=True)
    user = request.user
    if not user.is_authenticated:
        return None, None, redirect_to_login(request.get_full_path())
    if not reads_business_data(user):
        raise Http404
    year = default_year(user)
    return user, resolve_scope(actor=user, year=year, as_of=default_as_of(year)), None


@never_cache
@replica_reads
def page(request: HttpRequest) -> HttpResponse:
    """The wall: header and clock, the panels, the rotation and refresh settings."""
    actor, scope, refusal = _reader(request)
    if refusal is not None:
        return refusal
    assert actor is not None and scope is not None
    view = request.GET.get("view", "")
    context = {
        **screen.build(actor, scope),
        "scope": scope,
        "views": screen.VIEWS,
        "pinned": view if view in screen.VIEWS else "",
        "active": view if view in screen.VIEWS else screen.VIEWS[0],
        "rotate": _seconds(request, "rotate", 20, 2, 600),
        "refresh": _seconds(request, "refresh", 60, 5, 3600),
    }
    return render(request, "analytics/screen.html", context)


@never_cache
@replica_reads
def panels(request: HttpRequest) -> HttpResponse:
    """The panels alone, fetched by the wall's script to refresh without a reload."""
    actor, scope, refusal = _reader(request)
    if refusal is not None:
        return refusal
    assert actor is not None and scope is not None
    context = {
        **screen.build(actor, scope),
        "scope": scope,
        "views": screen.VIEWS,
        "active": screen.VIEWS[0],
    }
    response = render(request, "analytics/_screen_body.html", context)
    response[MARK] = "1"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest, code: str) -> HttpResponse:
    """The pairing link: a confirmation (a link preview that fetches it spends nothing),
    then the browser's cookie and the wall."""
    if request.method == "POST":
        try:
            display, secret = displays.pair_display(code=code)
        except displays.PairingRefused as refused:
            return render(
                request, "analytics/screen_pair.html", {"refusal": str(refused)}, status=403
            )
        response = redirect("screen:page")
        displays.attach(response, display=display, secret=secret, path=reverse("screen:page"))
        return response
    found = displays.pairing_display(code)
    context: dict[str, object] = {"display": found}
    if found is None:
        context["refusal"] = _(
            "This pairing link has been used already, has expired or is not valid. Ask the "
            "security administrator for a new pairing link."
        )
    return render(request, "analytics/screen_pair.html", context, status=200 if found else 403)
