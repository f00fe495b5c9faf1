"""The project page's tabs that higher apps add (this app cannot import them).

An app registers a tab in its AppConfig.ready(): a key (the page's `?tab=`), a label, a
template and a function that reads what the template shows. The project page lists the
registered tabs after its own plans tab, and only the tab being shown reads anything, so
the page makes the same queries whatever the other tabs hold.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from tiaodu.projects.models import Project


@dataclass(frozen=True)
class ProjectTab:
    key: str
    label: str | Promise
    template: str
    # (actor, project) -> the template's context; called only when the tab is shown.
    context: Callable[[Any, Project], dict[str, Any]]
    order: int = 100


_tabs: dict[str, ProjectTab] = {}


def register_tab(tab: ProjectTab) -> None:
    """Add (or replace, by key) a tab of the project page."""
    _tabs[tab.key] = tab


def registered_tabs() -> list[ProjectTab]:
    """The registered tabs, in their order."""
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.key))
