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

What a reader may see keys the values kept for it (the figure set, the library's 合计, the
home page's completeness): `reader_key` names the reader by its grants, and by its account
only when the account itself opens rows — so a second dispatcher of a region finds the
figures the first one's reads kept, and the morning's warm round computes them once.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from tiaodu.core.scoping import Someone, grants_of, opens_by_account

# actor -> a queryset of project ids (`.values("project_id")`), or None when it opens none.
ProjectReach = Callable[[Someone], QuerySet[Any] | None]

_reaches: dict[str, ProjectReach] = {}
# The names of the reaches that open everything reached through the project.
_whole: set[str] = set()
# By the name of a reach whose projects follow from the account itself, not from its grants
# alone: whether the account opens anything through it.
_personal: dict[str, Callable[[Someone], bool]] = {}


def register_project_reach(
    name: str,
    reach: ProjectReach,
    *,
    whole_project: bool = False,
    personal: Callable[[Someone], bool] | None = None,
) -> None:
    """Add (or replace, by name) a way of reaching projects; `whole_project`: the reach also
    opens the project's reports and problems (not only the project and its plan entries);
    `personal`, for a reach that follows from the account itself (a task force's members)
    rather than from its grants alone (a department's handlers): whether the account opens
    anything through it (`reader_key`)."""
    _reaches[name] = reach
    if whole_project:
        _whole.add(name)
    else:
        _whole.discard(name)
    if personal is not None:
        _personal[name] = personal
    else:
        _personal.pop(name, None)


def reader_key(actor: Someone) -> str:
    """Who reads, as far as what they may see goes: the actor's grants, and its account when
    the account itself opens something — a grant that opens rows by the account (a service
    officer's, an assigned leader's) or a personal reach (a task force the account is in,
    which also opens the notices addressed to its head). Two accounts with the same key see
    the same rows."""
    grants = grants_of(actor)
    parts = sorted(f"{grant.role}:{grant.unit_path}:{int(grant.assigned_only)}" for grant in grants)
    if any(opens_by_account(grant) for grant in grants) or any(
        opens(actor) for opens in _personal.values()
    ):
        parts.insert(0, f"account:{getattr(actor, 'pk', None)}")
    return "|".join(parts)


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
