"""Writing a `DemoSpec` into the database, through the services, in one transaction.

Every row is written by `tiaodu.accounts.services` or `tiaodu.projects.services`, so the
demo's audit log reads like a real site's: the system set up the units, the people and
the accounts, and the city dispatcher entered the projects. One transaction around the
whole load keeps it fast on SQLite (one commit instead of thousands) and all-or-nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core import context
from tiaodu.projects import services as project_services
from tiaodu.projects.demo.spec import DemoSpec, PlanSpec, ProjectSpec
from tiaodu.projects.models import KeyProjectList, Project

DEMO_USERNAMES = ("dispatcher", "district", "leader", "leader2", "handler", "officer",
                  "reporter", "sysadmin", "secadmin", "auditor")  # fmt: skip


@dataclass
class Loaded:
    """What a load wrote, for the summary."""

    root: OrgUnit
    users: dict[str, User]
    counts: Counter[str] = field(default_factory=Counter)


def demo_present() -> bool:
    """Whether this database already holds the demo (its dispatcher and its projects)."""
    return User.objects.filter(username="dispatcher").exists() and Project.objects.exists()


def conflicts() -> list[str]:
    """What in the database stands in the demo's way (projects, or its account names)."""
    found = []
    if Project.objects.exists():
        found.append(_("%(count)d projects") % {"count": Project.objects.count()})
    taken = User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    if taken:
        found.append(_("the accounts %(names)s") % {"names": ", ".join(sorted(taken))})
    return found


def load(spec: DemoSpec) -> Loaded:
    """Write the whole demo, or nothing."""
    with context.bound(context.RequestContext(channel="command")), transaction.atomic():
        root, _created, _renamed = account_services.setup_regions(
            actor=None, region_code=spec.root_code
        )
        units = _units(spec, root)
        people = _people(spec, units)
        loaded = Loaded(root=root, users=_accounts(spec, units, people))
        lists = {
            (item.year, item.name): project_services.create_key_project_list(
                actor=None, name=item.name, year=item.year, description=item.description
            )
            for item in spec.lists
        }
        dispatcher = loaded.users["dispatcher"]
        for project in spec.projects:
            _project(project, dispatcher, units, people, lists)
        loaded.counts.update(
            units=len(units), people=len(people), lists=len(lists), projects=len(spec.projects)
        )
    return loaded


def _units(spec: DemoSpec, root: OrgUnit) -> dict[str, OrgUnit]:
    """Every unit by name ("" is the city), reusing those a previous setup already made."""
    units: dict[str, OrgUnit] = {"": root}
    for region in OrgUnit.objects.filter(parent=root, kind=OrgUnitKind.COUNTY):
        units[region.name] = region
    for zone in spec.zones:
        units[zone], _created = account_services.add_functional_zone(
            actor=None, parent=root, name=zone
        )
    existing = {
        (unit.parent_id, unit.kind, unit.name): unit for unit in OrgUnit.objects.subtree_of(root)
    }
    for item in spec.units:
        parent = units[item.parent]
        unit = existing.get((parent.pk, item.kind, item.name))
        if unit is None:
            unit = account_services.create_org_unit(
                actor=None,
                name=item.name,
                kind=item.kind,
                parent=parent,
                credit_code=item.credit_code,
                contact_phone=item.contact_phone,
            )
        units[item.name] = unit
    return units


def _people(spec: DemoSpec, units: dict[str, OrgUnit]) -> dict[str, Person]:
    return {
        item.name: account_services.create_person(
            actor=None,
            name=item.name,
            title=item.title,
            org_unit=units[item.unit],
            phone=item.phone,
        )
        for item in spec.people
    }


def _accounts(
    spec: DemoSpec, units: dict[str, OrgUnit], people: dict[str, Person]
) -> dict[str, User]:
    users: dict[str, User] = {}
    for item in spec.accounts:
        person = people.get(item.person) if item.person else None
        user = account_services.create_user(
            actor=None,
            username=item.username,
            password=spec.password,
            display_name=item.display_name,
            org_unit=units[item.unit] if item.unit is not None else None,
            phone=item.phone or (person.phone if person else ""),
        )
        account_services.assign_role(
            actor=None,
            user=user,
            role=item.role,
            org_unit=units[item.scope] if item.scope is not None else None,
            assigned_only=item.assigned_only,
        )
        if person is not None:
            account_services.update_person(actor=None, person=person, user=user)
        users[item.username] = user
    return users


def _plan_fields(plan: PlanSpec) -> dict[str, Any]:
    return {
        "year": plan.year,
        "nature": plan.nature,
        "level": plan.level,
        "reserve_stage": plan.reserve_stage,
        "planned_investment": plan.planned_investment,
        "planned_start": plan.planned_start,
        "planned_completion": plan.planned_completion,
        "planned_production": plan.planned_production,
        "ytd_completed": plan.ytd_completed,
        "ytd_as_of": plan.ytd_as_of,
    }


def _project(
    item: ProjectSpec,
    actor: User,
    units: dict[str, OrgUnit],
    people: dict[str, Person],
    lists: dict[tuple[int, str], KeyProjectList],
) -> Project:
    first, *later = item.plans
    # A new plan entry is on no list yet, so an empty list needs no membership sync (None).
    project = project_services.create_project(
        actor=actor,
        plan=_plan_fields(first),
        lists=[lists[(first.year, name)] for name in first.lists] or None,
        code=item.code,
        name=item.name,
        region=units[item.place],
        category=item.category,
        industry=item.industry,
        funding_type=item.funding_type,
        construction_content=item.construction_content,
        total_investment=item.total_investment,
        location=item.location,
        longitude=item.longitude,
        latitude=item.latitude,
        owner_unit=units[item.owner_unit],
        responsible_unit=units[item.responsible_unit],
        responsible_person=people[item.responsible_person],
        municipal_leader=people[item.municipal_leader] if item.municipal_leader else None,
        sponsoring_leader=people[item.sponsoring_leader],
        service_officer=people[item.service_officer],
        contact_name=item.contact_name,
        contact_phone=item.contact_phone,
        actual_start=item.actual_start,
        actual_completion=item.actual_completion,
        actual_production=item.actual_production,
        statistics_inclusion=item.statistics_inclusion,
    )
    for plan in later:
        project_services.save_annual_plan(
            actor=actor,
            project=project,
            lists=[lists[(plan.year, name)] for name in plan.lists] or None,
            **_plan_fields(plan),
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
    return project
