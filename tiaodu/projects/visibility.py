"""Ways of reaching a project that higher apps add (this app cannot import them).

The scoping rules of `core.scoping` open a project by its region, owner unit, responsible
unit or assigned people. A department handler also sees the projects behind the problems
assigned to its department (DOMAIN.md §2), which only the problem ledger knows: it
registers, in its AppConfig.ready(), a function that gives for an actor a queryset of the
ids of the projects it opens (or None). `projects_visible_to` and `plans_visible_to` add
those projects to what the scoping rules open.

A task force's members see its projects and everything reached through them: their plan
entries, reports, problems and cards (DOMAIN.md §8). Such a reach is registered with
`whole_project=True`, and the selectors of those rows (which `core.scoping` opens by their
project's fields) add `whole_project_condition` to what the scoping rules open.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from tiaodu.core.scoping import Someone

# actor -> a queryset of project ids (`.values("project_id")`), or None when it opens none.
ProjectReach = Callable[[Someone], QuerySet[Any] | None]

_reaches: dict[str, ProjectReach] = {}
# The names of the reaches that open everything reached through the project.
_whole: set[str] = set()


def register_project_reach(name: str, reach: ProjectReach, *, whole_project: bool = False) -> None:
    """Add (or replace, by name) a way of reaching projects; `whole_project`: the reach also
    opens the project's reports and problems (not only the project and its plan entries)."""
    _reaches[name] = reach
    if whole_project:
        _whole.add(name)
    else:
        _whole.discard(name)


def extra_condition(actor: Someone, lookup: str) -> Q | None:
    """The rows whose `lookup` (the project's id: "pk" on a project, "project" on a plan
    entry) is among the projects the registered reaches open; None when they open none."""
    return _condition(actor, lookup, list(_reaches))


def whole_project_condition(actor: Someone, lookup: str) -> Q | None:
    """The rows whose `lookup` (the project's id: "project" on a report or a problem) is
    among the projects the whole-project reaches open; None when they open none."""
    return _condition(actor, lookup, sorted(_whole))


def _condition(actor: Someone, lookup: str, names: list[str]) -> Q | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    condition: Q | None = None
    for name in names:
        reach = _reaches[name]
        ids = reach(actor)
        if ids is None:
            continue
        term = Q(**{f"{lookup}__in": ids})
        condition = term if condition is None else condition | term
    return condition
