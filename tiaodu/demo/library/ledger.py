"""The demo's ledgers: one standard ledger (台账, DOMAIN.md §5) per plan year, as xlsx.

`builder.load` imports them as the city dispatcher, the way a site loads its library, so
the projects, their plan entries, the owner units and people that the rows name, the
lists and the year-to-date figures come in through the import. Last year's ledger says
what was known at that year's end: a start, a completion or a project code that came
later is blank there and arrives with this year's ledger, which updates the project.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tiaodu.demo.library import names
from tiaodu.demo.library.spec import DemoSpec, PlanSpec, ProjectSpec
from tiaodu.demo.library.timeline import ledger_date
from tiaodu.projects.choices import AnnualPlanLevel
from tiaodu.projects.ledger.writer import write_ledger_rows

LEVEL_ORDER = {value: rank for rank, value in enumerate(AnnualPlanLevel.values)}
PLACE_ORDER = {place.name: rank for rank, place in enumerate(names.PLACES)}


@dataclass(frozen=True)
class DemoLedger:
    """One year's ledger: its rows by column id, and the date its figures are as of (this
    year's: the end of the last month, `timeline.ledger_date`; its rows state the dates
    known on the demo's date)."""

    year: int
    as_of: date
    rows: tuple[dict[str, Any], ...]

    @property
    def filename(self) -> str:
        return f"demo-ledger-{self.year}.xlsx"

    def content(self) -> bytes:
        """The ledger as the standard template (the same writer as the library export)."""
        return write_ledger_rows(self.rows)


def ledgers(spec: DemoSpec) -> tuple[DemoLedger, ...]:
    """The ledgers of every plan year of the demo, oldest first (the order to import them)."""
    years = sorted({plan.year for project in spec.projects for plan in project.plans})
    result = []
    for year in years:
        # This year's figures are as of the last month's end; its dates are those known today.
        as_of = ledger_date(spec.as_of) if year == spec.year else date(year, 12, 31)
        known_on = spec.as_of if year == spec.year else as_of
        entries = [(project, plan) for project in spec.projects if (plan := project.plan(year))]
        entries.sort(key=_ledger_order)
        rows = tuple(
            ledger_row(project, plan, number=number, known_on=known_on)
            for number, (project, plan) in enumerate(entries, start=1)
        )
        result.append(DemoLedger(year=year, as_of=as_of, rows=rows))
    return tuple(result)


def _ledger_order(entry: tuple[ProjectSpec, PlanSpec]) -> tuple[int, int, Decimal, str]:
    """District by district, provincial projects first, the largest first (as ledgers are kept)."""
    project, plan = entry
    return (
        PLACE_ORDER[project.place],
        LEVEL_ORDER[plan.level],
        -project.total_investment,
        project.name,
    )


def ledger_row(
    project: ProjectSpec, plan: PlanSpec, *, number: int, known_on: date
) -> dict[str, Any]:
    """The ledger row of one plan entry, stating only what was known on `known_on`."""

    def known(day: date | None) -> date | None:
        return day if day is not None and day <= known_on else None

    code = project.code if project.code and int(project.code[:4]) <= known_on.year else ""
    ytd: Decimal | None = plan.ytd_completed
    if plan.ytd_as_of is None and not plan.ytd_completed:
        ytd = None  # no figure stated: a blank cell
    return {
        "sequence": number,
        "code": code,
        "name": project.name,
        "region": project.place,
        "level": plan.level,
        "nature": plan.nature,
        "reserve_stage": plan.reserve_stage,
        "category": project.category,
        "industry": project.industry,
        "funding_type": project.funding_type,
        "construction_content": project.construction_content,
        "total_investment": project.total_investment,
        "planned_investment": plan.planned_investment,
        "ytd_completed": ytd,
        "bond_funds": plan.bond_funds or None,
        "bond_funds_spent": plan.bond_funds_spent if ytd is not None and plan.bond_funds else None,
        "planned_start": plan.planned_start,
        "actual_start": known(project.actual_start),
        "planned_completion": plan.planned_completion,
        "actual_completion": known(project.actual_completion),
        "actual_production": known(project.actual_production),
        "statistics_inclusion": known(project.statistics_inclusion),
        "owner_unit": project.owner_unit,
        "responsible_unit": project.responsible_unit,
        "municipal_leader": project.municipal_leader or "",
        "sponsoring_leader": project.sponsoring_leader,
        "service_officer": project.service_officer,
        "contact_name": project.contact_name,
        "contact_phone": project.contact_phone,
        "lists": "；".join(sorted(plan.lists)),
        "longitude": project.longitude,
        "latitude": project.latitude,
        "remarks": "",
    }
