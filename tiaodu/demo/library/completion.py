"""What the ledger does not carry, written through the services after the demo's imports.

The import made the owner units and people that the rows name with their names only, and
the lists without descriptions; the projects have no location, responsible person,
planned production date or procedures, since no ledger column holds them. These functions
complete them from the `DemoSpec`, each write audited like an edit on a real site.
"""

from collections import defaultdict

from tiaodu.accounts import org_units
from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.projects import services as project_services
from tiaodu.projects.models import PROJECT_RELATIONS, KeyProjectList, Project


def complete_units(
    spec: DemoSpec, units: dict[str, OrgUnit], imported: set[str]
) -> dict[str, OrgUnit]:
    """The owner units the import created, by name, with their credit codes and phones."""
    found: dict[str, list[OrgUnit]] = defaultdict(list)
    owners = OrgUnit.objects.subtree_of(units[""]).filter(kind=OrgUnitKind.OWNER_UNIT)
    for unit in owners.filter(name__in=imported).order_by("pk"):
        found[unit.name].append(unit)
    result: dict[str, OrgUnit] = {}
    for item in spec.units:
        if item.name not in imported:
            continue
        # As the import chose: the unit of that name under the project's region, else the first.
        parent = units[item.parent]
        unit = next((u for u in found[item.name] if u.parent_id == parent.pk), found[item.name][0])
        org_units.update_org_unit(
            actor=None, unit=unit, credit_code=item.credit_code, contact_phone=item.contact_phone
        )
        result[item.name] = unit
    return result


def complete_people(
    spec: DemoSpec, units: dict[str, OrgUnit], named: set[str]
) -> dict[str, Person]:
    """The people the import created, by name, with their positions, units and phones."""
    # The import takes the first person of a name; so does this (the lowest id last).
    created = {
        person.name: person for person in Person.objects.filter(name__in=named).order_by("-pk")
    }
    result: dict[str, Person] = {}
    for item in spec.people:
        if item.name not in named:
            continue
        person = created[item.name]
        account_services.update_person(
            actor=None, person=person, title=item.title, org_unit=units[item.unit], phone=item.phone
        )
        result[item.name] = person
    return result


def complete_lists(spec: DemoSpec, actor: User) -> int:
    """Describe the lists the import created, and create those no row names; their count."""
    years = {item.year for item in spec.lists}
    existing = {
        (item.year, item.name): item for item in KeyProjectList.objects.filter(year__in=years)
    }
    for item in spec.lists:
        found = existing.get((item.year, item.name))
        if found is None:
            project_services.create_key_project_list(
                actor=actor, name=item.name, year=item.year, description=item.description
            )
        elif found.description != item.description:
            project_services.update_key_project_list(
                actor=actor, key_project_list=found, description=item.description
            )
    return len(spec.lists)


def complete_projects(
    spec: DemoSpec, actor: User, root: OrgUnit, people: dict[str, Person]
) -> None:
    """Each project's location, responsible person, planned production and procedures."""
    projects = {
        project.name: project
        for project in Project.objects.filter(region__path__startswith=root.path).select_related(
            *PROJECT_RELATIONS
        )
    }
    for item in spec.projects:
        project = projects[item.name]
        project_services.update_project(
            actor=actor,
            project=project,
            location=item.location,
            responsible_person=people[item.responsible_person],
        )
        for plan in item.plans:
            if plan.planned_production is not None:
                project_services.save_annual_plan(
                    actor=actor,
                    project=project,
                    year=plan.year,
                    planned_production=plan.planned_production,
                )
        project_services.set_procedures(
            actor=actor,
            project=project,
            rows=[
                {
                    "kind": row.kind,
                    "status": row.status,
                    "completed_on": row.completed_on,
                    "document_number": row.document_number,
                }
                for row in item.procedures
            ],
        )
