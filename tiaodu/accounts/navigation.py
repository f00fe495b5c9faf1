"""Menu entries per role. Each app's pages appear here once their URLs exist.

An entry may name a section: the menu bar shows a section with two or more entries for
the user as one dropdown (调度, 问题, 督办, 项目维护), so a dispatcher's dozen pages fit on
one line; a section with a single entry shows that entry itself.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaodu.core.roles import BUSINESS_ROLES, Role


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    icon: str


DISPATCH = NavSection(_("Dispatch"), "clipboard-data")
PROBLEMS = NavSection(_("Problems"), "alert-triangle")
SUPERVISION = NavSection(_("Supervision"), "file-alert")
MAINTENANCE = NavSection(_("Library upkeep"), "database-edit")


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    section: NavSection | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class NavEntry:
    """One place on the menu bar: an item, or a section's dropdown of items."""

    label: str | Promise
    icon: str
    items: list[NavItem]

    @property
    def is_dropdown(self) -> bool:
        return len(self.items) > 1

    @property
    def url(self) -> str:
        return self.items[0].url


def menu_bar(items: list[NavItem]) -> list[NavEntry]:
    """The items as the bar shows them: each section where its first item stands."""
    entries: list[NavEntry] = []
    by_section: dict[NavSection, NavEntry] = {}
    for item in items:
        section = item.section
        if section is None:
            entries.append(NavEntry(item.label, item.icon, [item]))
        elif section in by_section:
            by_section[section].items.append(item)
        else:
            entry = NavEntry(section.label, section.icon, [item])
            by_section[section] = entry
            entries.append(entry)
    for entry in by_section.values():
        if len(entry.items) == 1:
            entry.label, entry.icon = entry.items[0].label, entry.items[0].icon
    return entries


def menu_for(user: Any) -> list[NavItem]:
    roles = user.roles
    items = [NavItem(_("Home"), "core:home", "home")]
    if roles & BUSINESS_ROLES:
        items.append(NavItem(_("Project library"), "projects:list", "building-skyscraper"))
        items.append(NavItem(_("Statistics"), "analytics:figures", "chart-bar"))
    if roles & {Role.REPORTER, Role.SERVICE_OFFICER}:
        items.append(NavItem(_("My reports due"), "reporting:due", "clipboard-list", DISPATCH))
    if roles & {Role.DISPATCHER, Role.LEADER}:
        items.append(NavItem(_("Reporting completeness"), "reporting:board", "checklist", DISPATCH))
        items.append(NavItem(_("Problem ledger"), "problems:ledger", "alert-triangle", PROBLEMS))
        items.append(NavItem(_("Field rounds"), "supervision:rounds", "map-pin-check", SUPERVISION))
    if Role.DEPARTMENT_HANDLER in roles:
        items.append(NavItem(_("Problems to handle"), "problems:inbox", "inbox", PROBLEMS))
    if Role.REPORTER in roles:
        items.append(NavItem(_("Direct channel"), "problems:direct", "speakerphone", PROBLEMS))
    if roles & {Role.DISPATCHER, Role.LEADER}:
        items.append(
            NavItem(_("Supervision notices"), "supervision:notices", "file-alert", SUPERVISION)
        )
    elif roles & {Role.DEPARTMENT_HANDLER, Role.REPORTER}:
        items.append(
            NavItem(_("Notices to my unit"), "supervision:notices", "file-alert", SUPERVISION)
        )
    if roles & {Role.DISPATCHER, Role.LEADER, Role.DEPARTMENT_HANDLER}:
        items.append(
            NavItem(
                _("Consultations and joint meetings"),
                "supervision:meetings",
                "users-group",
                PROBLEMS,
            )
        )
    if Role.DISPATCHER in roles:
        items.append(
            NavItem(_("Reports to review"), "reporting:queue", "clipboard-check", DISPATCH)
        )
        items.append(NavItem(_("Dispatch settings"), "reporting:settings", "adjustments", DISPATCH))
        items.append(NavItem(_("New project"), "projects:create", "circle-plus", MAINTENANCE))
        items.append(NavItem(_("Import the ledger"), "projects:import", "file-import", MAINTENANCE))
    if Role.AUDITOR in roles:
        items.append(NavItem(_("Audit log"), "core:audit_log", "list-search"))
    if Role.SECURITY_ADMIN in roles:
        items.append(NavItem(_("Account locks"), "accounts:locks", "lock"))
    if Role.SYSTEM_ADMIN in roles:
        items.append(NavItem(_("Administration"), "management:index", "settings"))
    return items
