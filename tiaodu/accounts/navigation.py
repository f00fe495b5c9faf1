"""Menu entries per role. Each app's pages appear here once their URLs exist."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaodu.core.roles import BUSINESS_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def menu_for(user: Any) -> list[NavItem]:
    roles = user.roles
    items = [NavItem(_("Home"), "core:home", "home")]
    if roles & BUSINESS_ROLES:
        items.append(NavItem(_("Project library"), "projects:list", "building-skyscraper"))
        items.append(NavItem(_("Statistics"), "analytics:figures", "chart-bar"))
    if roles & {Role.REPORTER, Role.SERVICE_OFFICER}:
        items.append(NavItem(_("My reports due"), "reporting:due", "clipboard-list"))
    if roles & {Role.DISPATCHER, Role.LEADER}:
        items.append(NavItem(_("Reporting completeness"), "reporting:board", "checklist"))
        items.append(NavItem(_("Problem ledger"), "problems:ledger", "alert-triangle"))
        items.append(NavItem(_("Field rounds"), "supervision:rounds", "map-pin-check"))
    if Role.DEPARTMENT_HANDLER in roles:
        items.append(NavItem(_("Problems to handle"), "problems:inbox", "inbox"))
    if Role.REPORTER in roles:
        items.append(NavItem(_("Direct channel"), "problems:direct", "speakerphone"))
    if roles & {Role.DISPATCHER, Role.LEADER}:
        items.append(NavItem(_("Supervision notices"), "supervision:notices", "file-alert"))
    elif roles & {Role.DEPARTMENT_HANDLER, Role.REPORTER}:
        items.append(NavItem(_("Notices to my unit"), "supervision:notices", "file-alert"))
    if roles & {Role.DISPATCHER, Role.LEADER, Role.DEPARTMENT_HANDLER}:
        items.append(
            NavItem(_("Consultations and joint meetings"), "supervision:meetings", "users-group")
        )
    if Role.DISPATCHER in roles:
        items.append(NavItem(_("Reports to review"), "reporting:queue", "clipboard-check"))
        items.append(NavItem(_("Dispatch settings"), "reporting:settings", "adjustments"))
        items.append(NavItem(_("New project"), "projects:create", "circle-plus"))
        items.append(NavItem(_("Import the ledger"), "projects:import", "file-import"))
    if Role.AUDITOR in roles:
        items.append(NavItem(_("Audit log"), "core:audit_log", "list-search"))
    if Role.SECURITY_ADMIN in roles:
        items.append(NavItem(_("Account locks"), "accounts:locks", "lock"))
    if Role.SYSTEM_ADMIN in roles:
        items.append(NavItem(_("Administration"), "management:index", "settings"))
    return items
