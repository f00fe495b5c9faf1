"""Who may do what in the project library: change it, and open its pages (reads are scoped
by `core.scoping`). The pages, the menu and the services ask these same checks."""

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.roles import BUSINESS_ROLES
from tiaodu.core.scoping import (
    Place,
    Relations,
    Someone,
    covers,
    dispatcher_paths,
    holds,
    relations_to,
)
from tiaodu.projects.import_models import LedgerImport
from tiaodu.projects.models import Project, TaskForce


def place_of(project: Project) -> Place:
    """The project in the tree as the workflows ask about it: its region, its owner unit and
    its service officer (the rows a project page has already read)."""
    officer = project.service_officer
    return Place(
        region_path=project.region.path,
        owner_unit_path=project.owner_unit.path if project.owner_unit is not None else "",
        service_officer_ids=(officer.user_id,) if officer and officer.user_id else (),
    )


def relations_to_project(actor: Someone, project: Project) -> Relations:
    """What the actor is to the project: a dispatcher of its region (which grants), the owner
    unit's reporter, its service officer."""
    return relations_to(actor, place_of(project))


def can_manage_region(actor: Someone, region: OrgUnit) -> bool:
    """A dispatcher manages the projects of its region subtree."""
    return covers(dispatcher_paths(actor), region.path)


def can_edit_project(actor: Someone, project: Project) -> bool:
    return can_manage_region(actor, project.region)


def can_create_project(actor: Someone) -> bool:
    return bool(dispatcher_paths(actor))


def can_import_ledger(actor: Someone) -> bool:
    """A dispatcher imports ledgers for its region (the import page and its jobs)."""
    return bool(dispatcher_paths(actor))


def can_see_import(actor: Someone, item: LedgerImport) -> bool:
    """An upload of the ledger is its uploader's, and of a dispatcher whose region covers
    one of the uploader's regions."""
    mine = dispatcher_paths(actor)
    if actor is None or not mine:
        return False
    if item.uploaded_by_id == actor.pk:
        return True
    return any(covers(mine, path) for path in dispatcher_paths(item.uploaded_by))


def reads_business_data(actor: Someone) -> bool:
    """Administrators and the auditor read no business data (DOMAIN.md §2): the library, the
    statistics and the supervision pages are for the business roles."""
    return holds(actor, *BUSINESS_ROLES)


def can_edit_task_force(actor: Someone, task_force: TaskForce) -> bool:
    """A dispatcher changes a task force when its region covers every project it serves."""
    projects = list(task_force.projects.select_related("region"))
    return bool(dispatcher_paths(actor)) and all(
        can_manage_region(actor, project.region) for project in projects
    )


def project_at(place: Place) -> Project:
    """An unsaved project standing at `place`: what the role–page matrix puts to a check that
    takes a project (accounts.capabilities); never saved."""
    officer = Person(user_id=place.service_officer_ids[0]) if place.service_officer_ids else None
    return Project(
        region=OrgUnit(path=place.region_path),
        owner_unit=OrgUnit(path=place.owner_unit_path),
        responsible_unit=OrgUnit(path=place.responsible_unit_path),
        service_officer=officer,
    )
