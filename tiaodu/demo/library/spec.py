"""What the demo is made of, as plain values: generated first, written afterwards.

Keeping the generation apart from the writing makes the demo checkable: the same seed,
year, size and as-of date give the same `DemoSpec`, and `digest` says so in one line.
Units and people are referred to by name (the demo keeps names unique).
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class UnitSpec:
    """A department or an owner unit under a place (or under the city when parent is "")."""

    name: str
    kind: str  # OrgUnitKind.DEPARTMENT or OrgUnitKind.OWNER_UNIT
    parent: str  # a place name, or "" for the city itself
    sector: str = ""  # owner units: what they build (see people.OWNER_SECTORS)
    brand: str = ""  # the trade name a project may carry
    credit_code: str = ""
    contact_phone: str = ""


@dataclass(frozen=True)
class PersonSpec:
    name: str
    title: str
    unit: str  # a place name, a unit name, or "" for the city
    phone: str
    duty: str  # mayor, municipal_leader, sponsoring_leader, responsible, service_officer


@dataclass(frozen=True)
class ProcedureSpec:
    kind: str
    status: str
    completed_on: date | None = None
    document_number: str = ""


@dataclass(frozen=True)
class PlanSpec:
    year: int
    nature: str
    level: str
    reserve_stage: str
    planned_investment: Decimal
    planned_start: date | None
    planned_completion: date | None
    planned_production: date | None
    lists: tuple[str, ...] = ()
    ytd_completed: Decimal = Decimal(0)
    ytd_as_of: date | None = None
    # Special-bond funds (专项债券资金), spent evenly from `bond_begins` (the later of 1 January
    # and the actual start) to `bond_done` (`timeline.bond_funds_spent`); the ledger states
    # what was spent by `ytd_as_of`.
    bond_funds: Decimal = Decimal(0)
    bond_funds_spent: Decimal = Decimal(0)
    bond_begins: date | None = None
    bond_done: date | None = None


@dataclass(frozen=True)
class ProjectSpec:
    code: str | None
    name: str
    place: str
    category: str
    industry: str
    funding_type: str
    construction_content: str
    total_investment: Decimal
    location: str
    longitude: Decimal
    latitude: Decimal
    owner_unit: str
    responsible_unit: str
    responsible_person: str
    municipal_leader: str | None
    sponsoring_leader: str
    service_officer: str
    contact_name: str
    contact_phone: str
    actual_start: date | None
    actual_completion: date | None
    actual_production: date | None
    statistics_inclusion: date | None
    plans: tuple[PlanSpec, ...]
    procedures: tuple[ProcedureSpec, ...]

    def plan(self, year: int) -> PlanSpec | None:
        return next((plan for plan in self.plans if plan.year == year), None)


@dataclass(frozen=True)
class ListSpec:
    year: int
    name: str
    description: str


@dataclass(frozen=True)
class AccountSpec:
    username: str
    display_name: str
    role: str
    scope: str | None  # the unit the role is anchored at (a place, unit, or "" for the city)
    unit: str | None  # the unit the account belongs to
    assigned_only: bool = False
    person: str | None = None  # the Person the account is linked to
    phone: str = ""


@dataclass(frozen=True)
class DemoSpec:
    seed: int
    year: int
    as_of: date
    root_code: str
    zones: tuple[str, ...]
    units: tuple[UnitSpec, ...]
    people: tuple[PersonSpec, ...]
    lists: tuple[ListSpec, ...]
    projects: tuple[ProjectSpec, ...]
    accounts: tuple[AccountSpec, ...]
    password: str

    def digest(self) -> str:
        """A fingerprint of everything generated (dataclass reprs are deterministic)."""
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()
