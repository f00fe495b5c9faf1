"""Who may do what with supervision notices, and who opens which of their pages. The pages,
the menu and the services ask these same checks. (Meetings keep theirs in
`meetings/permissions.py`, field rounds in `rounds/permissions.py`.)"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from tiaodu.accounts.choices import REGION_KINDS
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Grant, Someone, covers, dispatcher_paths, grant_paths, holds
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.supervision.notices import workflow
from tiaodu.supervision.notices.models import Notice


def covers_projects(actor: Someone, projects: Iterable[Project]) -> bool:
    """A dispatcher whose region holds every one of the projects."""
    paths = dispatcher_paths(actor)
    return bool(paths) and all(covers(paths, project.region.path) for project in projects)


class UnitReader:
    """A unit's users as one reader: the reporters and department handlers anchored at it
    (and, for a region, its leaders), nobody in particular. It reads projects through the
    same scoping as they do (`projects_visible_to`: owned by the unit or in its charge, or
    behind a problem assigned to it), to tell which projects a notice to the unit may name.

    `pk` is 0, which no account has: the reaches that match a person (a task force's
    members) open nothing for it."""

    pk = 0
    is_authenticated = True

    def __init__(self, unit: OrgUnit) -> None:
        self.unit = unit

    def get_username(self) -> str:
        return ""

    def scope_grants(self) -> list[Grant]:
        path = self.unit.path
        grants = [Grant(role=Role.REPORTER, unit_path=path)]
        grants.append(Grant(role=Role.DEPARTMENT_HANDLER, unit_path=path))
        if self.unit.kind in REGION_KINDS:
            grants.append(Grant(role=Role.LEADER, unit_path=path))
        return grants


def out_of_reach(unit: OrgUnit, projects: Iterable[Project]) -> list[Project]:
    """The projects the unit's users could not open: a notice to the unit may not name them
    (its page and documents would show their names, codes and owners)."""
    chosen = list(projects)
    reached = set(
        projects_visible_to(UnitReader(unit))
        .filter(pk__in=[project.pk for project in chosen])
        .values_list("pk", flat=True)
    )
    return [project for project in chosen if project.pk not in reached]


def reach_refusal(unit: OrgUnit, projects: Iterable[Project]) -> str | None:
    """Why a notice to the unit cannot name these projects, naming those outside its reach;
    None when all are within it."""
    outside = out_of_reach(unit, projects)
    if not outside:
        return None
    names = "、".join(
        f"{project.name}（{project.code}）" if project.code else project.name for project in outside
    )
    return _(
        "%(projects)s are not within the reach of %(unit)s (neither built nor in its "
        "charge, and with no problem assigned to it): a notice to it cannot name them."
    ) % {"projects": names, "unit": unit.name}


def may_issue(actor: Someone, notice: Notice) -> bool:
    """The issuing side of a notice: a dispatcher over all of its projects."""
    return covers_projects(actor, notice.projects.select_related("region"))


def may_respond(actor: Someone, notice: Notice) -> bool:
    """A department handler or a reporter whose unit is (or holds) the recipient unit."""
    paths = grant_paths(actor, Role.DEPARTMENT_HANDLER, Role.REPORTER)
    return covers(paths, notice.recipient_unit.path)


def relations(actor: Someone, notice: Notice) -> frozenset[str]:
    """The actor's parts in the notice's workflow: issuer, recipient, both or none."""
    found = set()
    if may_issue(actor, notice):
        found.add(workflow.ISSUER)
    if may_respond(actor, notice):
        found.add(workflow.RECIPIENT)
    return frozenset(found)


def may_issue_notice(actor: Someone) -> bool:
    """A dispatcher issues notices about the projects of its regions (签发督办)."""
    return bool(dispatcher_paths(actor))


def oversees_notices(actor: Someone) -> bool:
    """Dispatchers and leaders follow the notices of their scope (督办通知 in the menu)."""
    return holds(actor, Role.DISPATCHER, Role.LEADER)


def answers_notices(actor: Someone) -> bool:
    """Department handlers and reporters answer the notices addressed to their unit."""
    return holds(actor, Role.DEPARTMENT_HANDLER, Role.REPORTER)
