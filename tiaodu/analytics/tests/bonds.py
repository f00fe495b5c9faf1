"""Special-bond funds for the statistics world (conftest.py), through the services.

As of 2026-08-31 (the statistics world's date), each entry's spending is the latest figure
stated by then, an approved report's or the ledger's:

| entry | funds | the ledger (as of) | approved reports | spent as of 08-31 |
|---|---|---|---|---|
| p1 黄岛区 | 1,000 | 600 (08-31) | July 400; August 900 waiting for review | 600: the ledger, later than July |
| p2 黄岛区 | 2,000 | 500 (07-31) | — | 500 |
| p3 崂山区 | 1,000 | 1,000 (09-30: after D) | July 300, amended to 350; August 700 | 700 |
| p4 崂山区 | 500 | 500 (06-30) | — | 500: all spent |

So the city has 4 entries, 4,500 allotted and 2,300 spent (51.11%); 黄岛区 3,000 and 1,100
(36.67%); 崂山区 1,500 and 1,200 (80.00%). As of 07-31: p1 400 (July's report; the ledger
is not known yet), p2 500, p3 350, p4 500.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tiaodu.projects import services as project_services
from tiaodu.reporting import services as reporting_services
from tiaodu.reporting.history import PastReport
from tiaodu.reporting.models import Period
from tiaodu.testing import TODAY


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_default_timezone())


def past_report(
    world: Any, key: str, period: Period, spent: str, *, approved: bool = True
) -> PastReport:
    """A report of the entry for the period stating `spent`, submitted by its owner unit's
    reporter two days after the period and approved by the city the same day (or waiting)."""
    after = period.end + dt.timedelta(days=2)
    reporter = {"p1": world.rita, "p3": world.bob, "p6": world.rita}[key]
    return PastReport(
        plan=world.plans[key],
        period=period,
        investment=Decimal(0),
        bond_funds_spent=Decimal(spent),
        submitted_at=_at(after, 9),
        submitted_by=reporter,
        approved_at=_at(after, 15) if approved else None,
        approved_by=world.alice,
    )


def monthly_periods() -> dict[int, Period]:
    """The monthly periods of 2026 up to the testing day's, by month."""
    reporting_services.open_periods(today=TODAY)
    return {p.start.month: p for p in Period.objects.filter(cycle="monthly", start__year=2026)}


def give_bond_funds(world: Any, key: str, funds: str, spent: str = "0") -> None:
    """The entry's funds, and what the ledger states spent as of its year-to-date date."""
    project_services.save_annual_plan(
        actor=world.alice,
        project=world.projects[key],
        year=2026,
        bond_funds=Decimal(funds),
        bond_funds_spent=Decimal(spent),
    )


def bond_world(world: Any) -> Any:
    """The statistics world with the funds and reports of the table above."""
    give_bond_funds(world, "p1", "1000", "600")
    give_bond_funds(world, "p2", "2000", "500")
    give_bond_funds(world, "p3", "1000", "1000")
    give_bond_funds(world, "p4", "500", "500")
    months = monthly_periods()
    july = past_report(world, "p3", months[7], "300")
    reporting_services.record_past_reports(
        actor=None,
        entries=[
            past_report(world, "p1", months[7], "400"),
            past_report(world, "p1", months[8], "900", approved=False),
            july,
            replace(july, bond_funds_spent=Decimal("350")),  # its amendment
            past_report(world, "p3", months[8], "700"),
        ],
    )
    return world
