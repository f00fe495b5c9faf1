"""Writing a `DemoSpec` into the database the way a site is set up, in one transaction.

The order is a site's: the system sets up the regions, the departments, the city's own
groups and the people no ledger names, and the city dispatcher's account; the dispatcher
imports the ledger of each plan year (`demo.ledger`) through `plan_import` and
`apply_import`, which create the projects, their plan entries, the owner units and people
the rows name, the lists and the year-to-date figures; then what no ledger column carries
is written through the services: the units' credit codes, the people's positions, the
lists' descriptions, each project's location, responsible person and procedures, and the
accounts of the other roles; then the demo's other parts (`demo.parts`), such as the
dispatch rounds. The audit log reads like a real site's. One transaction
around the whole load keeps it fast on SQLite and all-or-nothing.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts import org_units
from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core import context
from tiaodu.demo.library import completion
from tiaodu.demo.library.ledger import DemoLedger, ledgers
from tiaodu.demo.library.spec import DemoSpec, UnitSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.projects.ledger.importer import apply_import, plan_import
from tiaodu.projects.models import Project

DEMO_USERNAMES = ("dispatcher", "district", "leader", "leader2", "handler", "officer",
                  "reporter", "bank", "sysadmin", "secadmin", "auditor")  # fmt: skip
IMPORTER = "dispatcher"  # the account that imports the ledgers
PEOPLE_COLUMNS = ("municipal_leader", "sponsoring_leader", "service_officer")


class LedgerRejected(RuntimeError):
    """The demo's own ledger did not pass the import's checks (a fault of the generator)."""


@dataclass(frozen=True)
class Imported:
    """One ledger import of the load: its year, as-of date and what it did to how many rows."""

    year: int
    as_of: date
    rows: int
    counts: dict[str, int]


@dataclass
class Loaded:
    """What a load wrote, for the summary."""

    root: OrgUnit
    users: dict[str, User]
    counts: Counter[str] = field(default_factory=Counter)
    imports: list[Imported] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the other parts' summary lines


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


def load(
    spec: DemoSpec,
    demo_ledgers: tuple[DemoLedger, ...] | None = None,
    parts: Sequence[DemoPart] = (),
) -> Loaded:
    """Write the whole demo, or nothing; the ledgers are `ledgers(spec)` unless given. The
    demo's other parts (`parts`) follow the library, in the same transaction."""
    if demo_ledgers is None:
        demo_ledgers = ledgers(spec)
    named_units = {row["owner_unit"] for ledger in demo_ledgers for row in ledger.rows}
    named_people = {
        row[column] for ledger in demo_ledgers for row in ledger.rows for column in PEOPLE_COLUMNS
    } - {""}
    # Owner units of the districts come with the ledger; the city's own groups are set up.
    imported_units = {
        item.name for item in spec.units if _by_ledger(item) and item.name in named_units
    }
    with context.bound(context.RequestContext(channel="command")), transaction.atomic():
        root, _created, _renamed = org_units.setup_regions(actor=None, region_code=spec.root_code)
        units = _units(spec, root, skip=imported_units)
        people = _people(spec, units, skip=named_people)
        users = _accounts(spec, units, people, only={IMPORTER})
        loaded = Loaded(root=root, users=users)
        for ledger in demo_ledgers:
            loaded.imports.append(_import(users[IMPORTER], ledger))
        units |= completion.complete_units(spec, units, imported_units)
        people |= completion.complete_people(spec, units, named_people)
        lists = completion.complete_lists(spec, users[IMPORTER])
        completion.complete_projects(spec, users[IMPORTER], root, people)
        users |= _accounts(spec, units, people, only=set(DEMO_USERNAMES) - {IMPORTER})
        loaded.counts.update(
            units=len(units), people=len(people), lists=lists, projects=len(spec.projects)
        )
        for part in parts:
            loaded.notes.extend(part.load(spec, loaded))
    return loaded


def _by_ledger(item: UnitSpec) -> bool:
    """Whether the unit is one a ledger brings: an owner unit of a district or zone."""
    return item.kind == OrgUnitKind.OWNER_UNIT and item.parent != ""


def _import(actor: User, ledger: DemoLedger) -> Imported:
    """Import one year's ledger as a dispatcher would: check it all, then apply it."""
    plan = plan_import(
        actor=actor, source=BytesIO(ledger.content()), year=ledger.year, as_of=ledger.as_of
    )
    if plan.errors:
        shown = "; ".join(f"{error.place()}: {error.fix}" for error in plan.errors[:5])
        raise LedgerRejected(f"{len(plan.errors)} errors in {ledger.filename}: {shown}")
    counts = plan.counts
    apply_import(actor=actor, plan=plan)
    return Imported(year=ledger.year, as_of=ledger.as_of, rows=len(plan.rows), counts=counts)


def _units(spec: DemoSpec, root: OrgUnit, *, skip: set[str]) -> dict[str, OrgUnit]:
    """Every unit by name ("" is the city) but those in `skip`, reusing what a setup made."""
    units: dict[str, OrgUnit] = {"": root}
    for region in OrgUnit.objects.filter(parent=root, kind=OrgUnitKind.COUNTY):
        units[region.name] = region
    for zone in spec.zones:
        units[zone], _created = org_units.add_functional_zone(actor=None, parent=root, name=zone)
    existing = {
        (unit.parent_id, unit.kind, unit.name): unit for unit in OrgUnit.objects.subtree_of(root)
    }
    for item in spec.units:
        if item.name in skip:
            continue
        parent = units[item.parent]
        unit = existing.get((parent.pk, item.kind, item.name))
        if unit is None:
            unit = org_units.create_org_unit(
                actor=None,
                name=item.name,
                kind=item.kind,
                parent=parent,
                credit_code=item.credit_code,
                contact_phone=item.contact_phone,
            )
        units[item.name] = unit
    return units


def _people(spec: DemoSpec, units: dict[str, OrgUnit], *, skip: set[str]) -> dict[str, Person]:
    return {
        item.name: account_services.create_person(
            actor=None,
            name=item.name,
            title=item.title,
            org_unit=units[item.unit],
            phone=item.phone,
        )
        for item in spec.people
        if item.name not in skip
    }


def _accounts(
    spec: DemoSpec, units: dict[str, OrgUnit], people: dict[str, Person], *, only: set[str]
) -> dict[str, User]:
    users: dict[str, User] = {}
    for item in spec.accounts:
        if item.username not in only:
            continue
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
