"""Qingdao's three assessment indicators per district (issue 10, part 4). Reading only.

For a plan year and a month of it, over the year up to the month's end (1 January to the
month's last day), each district (a region just below the site's top region) counts:

- new starts: its new-start plan entries of the year whose project's actual start falls
  in the period;
- new inclusions in the statistics (新入统): plan entries of the year whose project's
  statistics inclusion date falls in the period;
- completions: plan entries of the year whose project's actual completion falls in the
  period;

against its `DistrictTarget` of the year. Attainment = actual ÷ target (in %, one decimal;
an indicator without a target, or with a target of 0, has none). The overall attainment is
the mean of the indicators' attainments that exist. THE ORDER: overall attainment high to
low, then the name; a district without any target is listed after the ranked ones, with no
rank. The movement compares with the same ranking at the end of the month before (for
January: none).

A reader sees the districts its scope holds whole: a dispatcher's or a leader's region
grant over the district (`actor` None: every district). A project placed on the top region
itself belongs to no district and counts for none.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Someone, covers, grants_of
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.scoring.models import DistrictTarget
from tiaodu.scoring.rankings import district_id, top_region
from tiaodu.scoring.rules import month_end

INDICATORS = {
    "new_starts": gettext_lazy("New starts"),
    "inclusions": gettext_lazy("New inclusions in the statistics"),
    "completions": gettext_lazy("Completions"),
}
TENTH = Decimal("0.1")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def attainment(actual: int, target: int | None) -> Decimal | None:
    """actual ÷ target in %, one decimal; None without a target above 0."""
    if not target:
        return None
    return (Decimal(actual * 100) / target).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class IndicatorRow:
    """A district's actuals, targets and attainment for the period."""

    region: OrgUnit
    actuals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INDICATORS, 0))
    targets: dict[str, int] | None = None
    rank: int | None = None
    previous_rank: int | None = None
    # January has no month before it in the plan year: no movement is shown.
    compared: bool = True

    @property
    def name(self) -> str:
        return self.region.name

    @property
    def attainments(self) -> dict[str, Decimal | None]:
        return {
            key: attainment(self.actuals[key], self.targets[key] if self.targets else None)
            for key in INDICATORS
        }

    @property
    def overall(self) -> Decimal | None:
        """The mean of the attainments that exist; None when no indicator has a target."""
        found = [value for value in self.attainments.values() if value is not None]
        if not found:
            return None
        return (sum(found, Decimal(0)) / len(found)).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def movement(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def movement_text(self) -> str:
        moved = self.movement
        if moved is None:
            if self.rank is None or not self.compared:
                return ""
            return pgettext("ranking movement", "new")
        if moved > 0:
            return f"↑{moved}"
        if moved < 0:
            return f"↓{-moved}"
        return "—"

    def cells(self) -> list[tuple[str, str, int, int | None, Decimal | None]]:
        """(key, label, actual, target, attainment) of each indicator, in order."""
        attained = self.attainments
        return [
            (
                key,
                str(label),
                self.actuals[key],
                self.targets[key] if self.targets else None,
                attained[key],
            )
            for key, label in INDICATORS.items()
        ]

    def as_dict(self) -> dict[str, Any]:
        """The row as `manage.py rankings --json` prints it."""
        attained = self.attainments
        return {
            "rank": self.rank,
            "movement": self.movement,
            "movement_text": self.movement_text,
            "name": self.name,
            "region_code": self.region.region_code or "",
            **{
                key: {
                    "actual": self.actuals[key],
                    "target": self.targets[key] if self.targets else None,
                    "attainment": _number(attained[key]),
                }
                for key in INDICATORS
            },
            "overall": _number(self.overall),
        }


@dataclass
class Indicators:
    year: int
    month: dt.date
    start: dt.date
    end: dt.date
    rows: list[IndicatorRow]


def districts() -> list[OrgUnit]:
    """The regions just below the site's top region: by division code, then zones by name."""
    top = top_region()
    if top is None:
        return []
    return sorted(
        OrgUnit.objects.regions().filter(parent=top),
        key=lambda unit: (unit.region_code is None, unit.region_code or "", unit.name),
    )


def districts_for(actor: Someone | None) -> list[OrgUnit]:
    """The districts the reader's scope holds whole (all of them for `actor` None)."""
    every = districts()
    if actor is None:
        return every
    paths = [
        grant.unit_path
        for grant in grants_of(actor)
        if grant.role in (Role.DISPATCHER, Role.LEADER) and not grant.assigned_only
    ]
    return [district for district in every if covers(paths, district.path)]


def _actuals(
    actor: Someone | None, year: int, start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """Each district's counts (by district id) over the year's plan entries the reader may
    see."""
    visible = AnnualPlan.objects.all() if actor is None else plans_visible_to(actor)
    plans = visible.filter(year=year).select_related(None).prefetch_related(None).order_by()
    period = {"gte": start, "lte": end}
    conditions = {
        "new_starts": Q(nature=AnnualPlanNature.NEW_START)
        & Q(**{f"project__actual_start__{op}": day for op, day in period.items()}),
        "inclusions": Q(
            **{f"project__statistics_inclusion__{op}": day for op, day in period.items()}
        ),
        "completions": Q(
            **{f"project__actual_completion__{op}": day for op, day in period.items()}
        ),
    }
    top = top_region()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(INDICATORS, 0))
    for key, condition in conditions.items():
        for path in plans.filter(condition).values_list("project__region__path", flat=True):
            district = district_id(path, top)
            if district is not None:
                counts[district][key] += 1
    return counts


def _rank(rows: list[IndicatorRow]) -> list[IndicatorRow]:
    ranked = sorted(
        (row for row in rows if row.overall is not None),
        key=lambda row: (-(row.overall or Decimal(0)), row.name),
    )
    for place, row in enumerate(ranked, start=1):
        row.rank = place
    unranked = [row for row in rows if row.overall is None]
    return ranked + unranked


def _rows(
    actor: Someone | None, year: int, end: dt.date, chosen: list[OrgUnit]
) -> list[IndicatorRow]:
    counts = _actuals(actor, year, dt.date(year, 1, 1), end)
    targets = {
        target.region_id: {key: getattr(target, key) for key in INDICATORS}
        for target in DistrictTarget.objects.filter(year=year, region__in=chosen)
    }
    rows = [
        IndicatorRow(
            region=district,
            actuals=dict(counts.get(district.pk, dict.fromkeys(INDICATORS, 0))),
            targets=targets.get(district.pk),
        )
        for district in chosen
    ]
    return _rank(rows)


def indicators(*, actor: Someone | None, year: int, month: int) -> Indicators:
    """The districts' indicators for the year up to the end of its `month` (1–12; today, for
    the month under way), ranked, with the movement since the end of the month before."""
    first = dt.date(year, month, 1)
    # A month under way is counted up to today (what has happened so far).
    end = max(first, min(month_end(first), clock.today()))
    chosen = districts_for(actor)
    rows = _rows(actor, year, end, chosen)
    if month == 1:
        for row in rows:
            row.compared = False
    else:
        before = {
            row.region.pk: row.rank
            for row in _rows(actor, year, first - dt.timedelta(days=1), chosen)
        }
        for row in rows:
            row.previous_rank = before.get(row.region.pk)
    return Indicators(year=year, month=first, start=dt.date(year, 1, 1), end=end, rows=rows)
