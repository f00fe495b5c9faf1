"""Everything an import looks up, read once before the rows (no query per row)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import REGION_KINDS, OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core.lookups import OneOf
from tiaodu.projects import figure_conditions
from tiaodu.projects.models import (
    PROJECT_RELATIONS,
    AnnualPlan,
    KeyProjectList,
    ListMembership,
    Project,
    TaskForce,
)

REGION_SUFFIXES = ("区", "县", "市", "旗")


def _one_of[M: Model](queryset: QuerySet[M], field: str, values: Iterable[Any]) -> list[M]:
    """The rows whose `field` is one of the values, in one query however many they are."""
    return list(queryset.filter(OneOf(F(field), values)))


def _short(name: str) -> str:
    return name[:-1] if len(name) > 2 and name.endswith(REGION_SUFFIXES) else name


class Regions:
    """The site's regions by name: exact, or with or without the 区/县/市 suffix."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[OrgUnit]] = defaultdict(list)
        self.by_short: dict[str, list[OrgUnit]] = defaultdict(list)
        self.root: OrgUnit | None = None
        for unit in OrgUnit.objects.filter(kind__in=REGION_KINDS).order_by("depth", "path"):
            if self.root is None:
                self.root = unit
            self.by_name[unit.name].append(unit)
            self.by_short[_short(unit.name)].append(unit)

    def find(self, name: str) -> tuple[OrgUnit | None, str]:
        """The region, or None and the fix."""
        found = self.by_name.get(name) or self.by_short.get(_short(name)) or []
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _(
                "There is no region “%(name)s” on this site: write the name of a district or "
                "county as the site's region list has it (for example 黄岛区)."
            ) % {"name": name}
        return None, _(
            "Several regions are named “%(name)s”: write the full name of the one meant."
        ) % {"name": name}


class Existing:
    """The projects of the sheet that exist already (by code, and by name + region)."""

    def __init__(
        self,
        *,
        codes: Iterable[str],
        names: Iterable[str],
        year: int,
        as_of: dt.date | None = None,
    ) -> None:
        queryset = Project.objects.select_related(*PROJECT_RELATIONS)
        projects = {p.pk: p for p in _one_of(queryset, "code", codes)}
        projects.update({p.pk: p for p in _one_of(queryset, "name", names)})
        self.project_ids = set(projects)
        self.by_code = {p.code: p for p in projects.values() if p.code}
        self.by_name: dict[tuple[str, int], list[Project]] = defaultdict(list)
        for project in sorted(projects.values(), key=lambda p: p.pk):
            self.by_name[(project.name, project.region_id)].append(project)
        self.plans: dict[int, AnnualPlan] = {}
        plans = AnnualPlan.objects.filter(year=year)
        if as_of is not None:
            # The figures known on the ledger's date, which a row stating the same leaves.
            plans = plans.annotate(
                known_ytd=figure_conditions.ytd_completed(as_of),
                known_spent=figure_conditions.bond_funds_spent(as_of),
            )
        for plan in _one_of(plans, "project_id", projects):
            self.plans[plan.project_id] = plan
        self.memberships: dict[int, set[int]] = defaultdict(set)
        # The lists each entry is on now: the ledger states them as of its date.
        pairs = ListMembership.objects.filter(
            OneOf(F("annual_plan_id"), [plan.pk for plan in self.plans.values()]),
            end__isnull=True,
        ).values_list("annual_plan_id", "key_project_list_id")
        for plan_id, list_id in pairs:
            self.memberships[plan_id].add(list_id)


def first_task_forces(project_ids: Iterable[int]) -> dict[int, TaskForce]:
    """The first task force (by id) of each of the projects, with its head and, as
    `region_paths`, the region paths of all the projects it serves."""
    links = TaskForce.projects.through.objects.select_related("taskforce__head").order_by(
        "taskforce_id"
    )
    found: dict[int, TaskForce] = {}
    for link in _one_of(links, "project_id", project_ids):
        found.setdefault(link.project_id, link.taskforce)
    forces = {force.pk: force for force in found.values()}
    paths: dict[int, set[str]] = defaultdict(set)
    pairs = TaskForce.projects.through.objects.filter(OneOf(F("taskforce_id"), forces)).values_list(
        "taskforce_id", "project__region__path"
    )
    for force_id, path in pairs:
        paths[force_id].add(path)
    for force in found.values():
        force.region_paths = paths[force.pk]  # type: ignore[attr-defined]
    return found


class Named:
    """Owner units, responsible units, people and lists by name; what is missing is made once."""

    def __init__(
        self,
        *,
        owner_units: Iterable[str],
        responsible_units: Iterable[str],
        people: Iterable[str],
        lists: Iterable[str],
        year: int,
    ) -> None:
        self.year = year
        self.owner_units: dict[str, list[OrgUnit]] = defaultdict(list)
        units = OrgUnit.objects.filter(kind=OrgUnitKind.OWNER_UNIT).order_by("pk")
        for unit in _one_of(units, "name", owner_units):
            self.owner_units[unit.name].append(unit)
        self.responsible_units: dict[str, list[OrgUnit]] = defaultdict(list)
        units = OrgUnit.objects.exclude(kind__in=REGION_KINDS).order_by("pk")
        for unit in sorted(_one_of(units, "name", responsible_units), key=_department_first):
            self.responsible_units[unit.name].append(unit)
        self.people: dict[str, list[Person]] = defaultdict(list)
        for person in sorted(_one_of(Person.objects.all(), "name", people), key=_pk):
            self.people[person.name].append(person)
        self.lists = {
            item.name: item
            for item in _one_of(KeyProjectList.objects.filter(year=year), "name", lists)
        }
        self.new_units: dict[tuple[int, str, str], OrgUnit] = {}
        self.new_people: dict[str, Person] = {}
        self.new_lists: dict[str, KeyProjectList] = {}

    def owner_unit(self, name: str, *, region: OrgUnit, current: OrgUnit | None) -> OrgUnit:
        if current is not None and current.name == name:
            return current
        candidates = self.owner_units.get(name, [])
        for unit in candidates:
            if unit.parent_id == region.pk:
                return unit
        for unit in candidates:
            if unit.path.startswith(region.path):
                return unit
        if candidates:
            return candidates[0]
        return self._new_unit(name, OrgUnitKind.OWNER_UNIT, region)

    def responsible_unit(self, name: str, *, root: OrgUnit, current: OrgUnit | None) -> OrgUnit:
        if current is not None and current.name == name:
            return current
        candidates = self.responsible_units.get(name, [])
        if candidates:
            return candidates[0]
        return self._new_unit(name, OrgUnitKind.DEPARTMENT, root)

    def _new_unit(self, name: str, kind: str, parent: OrgUnit) -> OrgUnit:
        key = (parent.pk, kind, name)
        if key not in self.new_units:
            self.new_units[key] = OrgUnit(name=name, kind=kind, parent=parent, path="/pending/")
        return self.new_units[key]

    def person(self, name: str, *, current: Person | None) -> Person:
        if current is not None and current.name == name:
            return current
        candidates = self.people.get(name)
        if candidates:
            return candidates[0]
        if name not in self.new_people:
            self.new_people[name] = Person(name=name)
        return self.new_people[name]

    def key_list(self, name: str) -> KeyProjectList:
        found = self.lists.get(name) or self.new_lists.get(name)
        if found is None:
            found = self.new_lists[name] = KeyProjectList(name=name, year=self.year)
        return found


def _pk(instance: Model) -> int:
    return int(instance.pk)


def _department_first(unit: OrgUnit) -> tuple[int, int]:
    return (0 if unit.kind == OrgUnitKind.DEPARTMENT else 1, unit.pk)
