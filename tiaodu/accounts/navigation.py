"""The menu: the items apps register, each shown to whoever its check lets open the page.

Each app registers its items in its `AppConfig.ready()` (`register_item`, as it registers
home panels with `core.home.register_panel`), with the check of its own `permissions.py`
that its views ask too; this module names no role and no higher app's page. An item's
`order` places it on the bar, whatever the order in which the apps load.

An item may count what waits for the user on its page (`badge`): the bar shows the
number beside it, and the sum on its section's dropdown.

An entry may name a section: the menu bar shows a section with two or more entries for
the user as one dropdown (调度, 问题, 督办, 项目维护), so a dispatcher's dozen pages fit on
one line; a section with a single entry shows that entry itself.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaodu.core.scoping import Someone


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    icon: str


DISPATCH = NavSection(_("Dispatch"), "clipboard-data")
PROBLEMS = NavSection(_("Problems"), "alert-triangle")
SUPERVISION = NavSection(_("Supervision"), "file-alert")
MAINTENANCE = NavSection(_("Library upkeep"), "database-edit")


def everyone(_user: Someone) -> bool:
    """Every signed-in user (the menu is only built for them)."""
    return True


@dataclass(frozen=True)
class NavItem:
    """One page on the menu: its label, its URL name and icon, the section it goes in, the
    check that decides who sees it and its place on the bar."""

    label: str | Promise
    url_name: str
    icon: str
    section: NavSection | None = None
    key: str = ""
    visible: Callable[[Someone], bool] = field(default=everyone, compare=False, repr=False)
    order: int = 100
    # How many things wait for the user on the page (a badge beside the label; 0 shows none).
    badge: Callable[[Someone], int] | None = field(default=None, compare=False, repr=False)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class NavEntry:
    """One place on the menu bar: an item, or a section's dropdown of items."""

    label: str | Promise
    icon: str
    items: list[NavItem]
    # The items' badges by key (`badge_counts`), for those that have one.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_dropdown(self) -> bool:
        return len(self.items) > 1

    @property
    def rows(self) -> list[tuple[NavItem, int]]:
        """Each item with its badge count (0: none)."""
        return [(item, self.counts.get(item.key, 0)) for item in self.items]

    @property
    def count(self) -> int:
        """The badges of the entry's items together (shown on a dropdown's toggle)."""
        return sum(self.counts.get(item.key, 0) for item in self.items)

    @property
    def url(self) -> str:
        return self.items[0].url


_items: dict[str, NavItem] = {}


def register_item(
    key: str,
    label: str | Promise,
    url_name: str,
    section: NavSection | None = None,
    *,
    icon: str,
    order: int,
    visible: Callable[[Someone], bool] = everyone,
    badge: Callable[[Someone], int] | None = None,
) -> None:
    """Add (or replace, by key) an item of the menu, shown to whom `visible(user)` allows,
    with `badge(user)` things waiting there if given."""
    _items[key] = NavItem(
        label, url_name, icon, section, key=key, visible=visible, order=order, badge=badge
    )


def badge_counts(user: Someone, items: list[NavItem]) -> dict[str, int]:
    """The badge of each item the user sees that has one (asked once per page)."""
    return {item.key: item.badge(user) for item in items if item.badge is not None}


def menu_bar(items: list[NavItem], counts: dict[str, int] | None = None) -> list[NavEntry]:
    """The items as the bar shows them: each section where its first item stands."""
    counts = counts or {}
    entries: list[NavEntry] = []
    by_section: dict[NavSection, NavEntry] = {}
    for item in items:
        section = item.section
        if section is None:
            entries.append(NavEntry(item.label, item.icon, [item], counts))
        elif section in by_section:
            by_section[section].items.append(item)
        else:
            entry = NavEntry(section.label, section.icon, [item], counts)
            by_section[section] = entry
            entries.append(entry)
    for entry in by_section.values():
        if len(entry.items) == 1:
            entry.label, entry.icon = entry.items[0].label, entry.items[0].icon
    return entries


def menu_for(user: Someone) -> list[NavItem]:
    """The items the user sees, in their order on the bar."""
    chosen = (item for item in _items.values() if item.visible(user))
    return sorted(chosen, key=lambda item: item.order)


def registered_items() -> list[NavItem]:
    """Every item of the menu, whoever sees it, in its order on the bar."""
    return sorted(_items.values(), key=lambda item: item.order)
