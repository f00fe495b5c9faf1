"""The role–page matrix: what each role may open and do, asked of the apps' own checks.

Nothing here says what a role may do. The pages are the menu items the apps register
(`navigation.register_item`, each with the `visible` check its views ask) and the pages of
the administration area (`area_nav`); the actions are the checks the apps register here
(`register_action`), each a thin adapter around a function of the app's `permissions.py`.
The matrix asks each check for an in-memory user holding just one role (nothing is written,
nothing is read but the top of the tree), placed where the role is placed:

- at the top of the site and at a unit below it (a district for a dispatcher or a leader, a
  department for a handler, an owner unit for a reporter), so a check that depends on the
  level shows "site level only";
- for an action on one object, with the object inside that unit and outside it, so a check
  that depends on scope shows "own region" or "own unit"; roles anchored at no unit (a
  service officer, a leader of assigned projects) are asked with an object that names them
  and one that does not ("assigned projects").

Change a check, and the matrix changes with it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit, User
from tiaodu.accounts.navigation import registered_items
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Grant, Place, Someone

# An id that no row has: the in-memory users and the places below stand on it.
NOBODY = -1
# Path segments of units that do not exist, below the top of the tree.
LOWER, INSIDE, OUTSIDE = "999999991", "999999992", "999999993"

type PlaceCheck = Callable[[Someone, Place], bool]


@dataclass(frozen=True)
class ActionCheck:
    """One thing a user may do, asked of the app's check for an actor at a place."""

    key: str
    label: str | Promise
    section: str | Promise
    check: PlaceCheck
    order: int


_actions: dict[str, ActionCheck] = {}


def register_action(
    key: str, label: str | Promise, *, section: str | Promise, check: PlaceCheck, order: int
) -> None:
    """Add (or replace, by key) an action to the matrix: `check(actor, place)` answers
    whether the actor may take it on an object at `place` (a check of the actor alone
    ignores the place)."""
    _actions[key] = ActionCheck(key, label, section, check, order)


def actions() -> list[ActionCheck]:
    return sorted(_actions.values(), key=lambda action: action.order)


class Reach(StrEnum):
    """A cell of the matrix."""

    ALL = "all"
    SITE = "site"
    OWN_REGION = "own_region"
    OWN_UNIT = "own_unit"
    ASSIGNED = "assigned"
    NONE = "none"


REACH_LABELS: dict[Reach, str | Promise] = {
    Reach.ALL: _("Yes"),
    Reach.SITE: _("Site level only"),
    Reach.OWN_REGION: _("Own region"),
    Reach.OWN_UNIT: _("Own unit"),
    Reach.ASSIGNED: _("Assigned projects"),
    Reach.NONE: "—",
}

# Where each role is anchored below the top (None: at no unit), and what its scope is called.
REGION_ROLES = frozenset({Role.DISPATCHER, Role.LEADER})
UNIT_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.REPORTER})


def synthetic_user(role: str, unit_path: str = "", *, assigned_only: bool = False) -> User:
    """An unsaved user holding one role at `unit_path`: the checks read its grants only."""
    user = User(pk=NOBODY, username=f"matrix-{role}")
    user._scope_grants = [Grant(role=role, unit_path=unit_path, assigned_only=assigned_only)]
    return user


def _top_path() -> str:
    top = OrgUnit.objects.filter(parent=None).order_by("path").first()
    return top.path if top is not None else "/1/"


def _inside(path: str) -> Place:
    child = f"{path}{INSIDE}/"
    return Place(region_path=child, owner_unit_path=child, responsible_unit_path=child)


def _naming(role: str, user: User, path: str) -> Place:
    """A place outside every anchor that names the user where projects name people of the
    role: as its service officer, or as its leader."""
    outside = f"{path}{OUTSIDE}/"
    return Place(
        region_path=outside,
        owner_unit_path=outside,
        responsible_unit_path=outside,
        leader_ids=(user.pk,) if role == Role.LEADER else (),
        service_officer_ids=(user.pk,) if role == Role.SERVICE_OFFICER else (),
    )


def _outside(path: str) -> Place:
    outside = f"{path}{OUTSIDE}/"
    return Place(region_path=outside, owner_unit_path=outside, responsible_unit_path=outside)


def _reach(role: str, check: PlaceCheck, top: str) -> Reach:
    if role in REGION_ROLES or role in UNIT_ROLES:
        lower = synthetic_user(role, f"{top}{LOWER}/")
        if check(lower, _outside(top)):
            return Reach.ALL
        if check(lower, _inside(lower.scope_grants()[0].unit_path)):
            return Reach.OWN_REGION if role in REGION_ROLES else Reach.OWN_UNIT
        if role in REGION_ROLES and check(synthetic_user(role, top), _inside(top)):
            return Reach.SITE
        if role != Role.LEADER:
            return Reach.NONE
        # A leader may instead hold only the projects assigned to them.
        assigned = synthetic_user(role, assigned_only=True)
        return Reach.ASSIGNED if check(assigned, _naming(role, assigned, top)) else Reach.NONE
    user = synthetic_user(role)
    if check(user, _outside(top)):
        return Reach.ALL
    if role == Role.SERVICE_OFFICER and check(user, _naming(role, user, top)):
        return Reach.ASSIGNED
    return Reach.NONE


@dataclass(frozen=True)
class MatrixRow:
    label: str | Promise
    section: str | Promise
    cells: list[tuple[str, Reach]]

    def cell(self, role: str) -> Reach:
        return dict(self.cells)[role]


@dataclass(frozen=True)
class Matrix:
    roles: list[Role]
    pages: list[MatrixRow]
    actions: list[MatrixRow]


def _page_check(visible: Callable[[Someone], bool]) -> PlaceCheck:
    return lambda actor, _place: visible(actor)


def build_matrix(extra_pages: list[tuple[str | Promise, Callable[[Someone], bool]]]) -> Matrix:
    """Every registered page and action, for every role (see the module's docstring)."""
    top = _top_path()
    roles = list(Role)
    menu_section = _("Menu")
    # Grouped by section, each where its first item stands on the bar.
    items = registered_items()
    sections = list(dict.fromkeys(item.section for item in items))
    ordered = sorted(items, key=lambda item: sections.index(item.section))
    pages = [
        MatrixRow(
            item.label,
            item.section.label if item.section is not None else menu_section,
            [(role.value, _reach(role, _page_check(item.visible), top)) for role in roles],
        )
        for item in ordered
    ]
    area_section = _("Administration")
    pages += [
        MatrixRow(
            label,
            area_section,
            [(role.value, _reach(role, _page_check(visible), top)) for role in roles],
        )
        for label, visible in extra_pages
    ]
    rows = [
        MatrixRow(
            action.label,
            action.section,
            [(role.value, _reach(role, action.check, top)) for role in roles],
        )
        for action in actions()
    ]
    return Matrix(roles=roles, pages=pages, actions=rows)
