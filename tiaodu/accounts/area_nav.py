"""The administration area's own navigation (its left column), each page with the check
its view asks; the role–page matrix lists these pages too."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.permissions import (
    confirms_admin_actions,
    manages_accounts,
    manages_displays,
    manages_sessions,
    opens_user_list,
    reads_role_matrix,
    sets_security_policy,
    unlocks_accounts,
)
from tiaodu.core.permissions import manages_site
from tiaodu.core.scoping import Someone


@dataclass(frozen=True)
class AreaPage:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    group: str | Promise
    visible: Callable[[Someone], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ORGANISATION = _("Organisation and accounts")
SECURITY = _("Security")
MESSAGING = _("Messaging")

AREA_PAGES = [
    AreaPage("units", _("Org units"), "administration:units", "sitemap", ORGANISATION, manages_accounts),
    AreaPage("users", _("Users and roles"), "administration:users", "users", ORGANISATION, opens_user_list),
    AreaPage("import", _("Import from Excel"), "administration:import", "file-import", ORGANISATION, opens_user_list),
    AreaPage("roles", _("What each role may do"), "administration:roles", "table-options", ORGANISATION, reads_role_matrix),
    AreaPage("policy", _("Security policy"), "administration:policy", "shield-lock", SECURITY, sets_security_policy),
    AreaPage("locks", _("Account locks"), "accounts:locks", "lock", SECURITY, unlocks_accounts),
    AreaPage("sessions", _("Signed-in sessions"), "administration:sessions", "device-desktop", SECURITY, manages_sessions),
    AreaPage("tokens", _("API tokens"), "administration:tokens", "api", SECURITY, manages_sessions),
    AreaPage("displays", _("Wall displays"), "accounts:displays", "device-tv", SECURITY, manages_displays),
    AreaPage("requests", _("Waiting for confirmation"), "administration:requests", "user-check", SECURITY, confirms_admin_actions),
    AreaPage("raw", _("Raw data upkeep"), "management:index", "tool", ORGANISATION, manages_site),
    # The messaging channels' pages (tiaodu.messaging, an app above this one, named by URL).
    AreaPage("channels", _("Messaging channels"), "messaging:channels", "message-chatbot", MESSAGING, manages_site),
    AreaPage("dead_letters", _("Failed messages"), "messaging:dead_letters", "mail-x", MESSAGING, manages_site),
]  # fmt: skip


def pages_for(user: Someone) -> list[AreaPage]:
    return [page for page in AREA_PAGES if page.visible(user)]


def opens_area(user: Someone) -> bool:
    """Whoever sees at least one page of the area (the three administrators)."""
    return any(page.visible(user) for page in AREA_PAGES)


def require(request: HttpRequest, key: str) -> None:
    """A page of the area for whom its check allows; a 404 for everyone else."""
    page = next(page for page in AREA_PAGES if page.key == key)
    if not page.visible(request.user):
        raise Http404


def area_context(request: HttpRequest, key: str) -> dict[str, object]:
    """What the area's layout needs: its pages for this user, grouped, and the current one."""
    groups: dict[str, list[AreaPage]] = {}
    for page in pages_for(request.user):
        groups.setdefault(str(page.group), []).append(page)
    return {"area_groups": list(groups.items()), "area_current": key}
