"""Dates and plan entries of a demo project, consistent with its nature and the as-of date.

For the demo year Y and the as-of date D: a new start is planned to start in Y and has
started if that date is past (most do; the rest are should-have-started); a continuing
project started before Y and ends after it; a completing one ends in Y, and has finished
if its planned completion is past (most do); a reserve project is in one of the five
stages and plans to start after Y. The previous year's entry tells the same story.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tiaodu.demo.library.spec import PlanSpec
from tiaodu.projects.choices import AnnualPlanLevel as L
from tiaodu.projects.choices import AnnualPlanNature as N
from tiaodu.projects.choices import ReserveStage as R

NATURES = ((N.NEW_START, 25), (N.CONTINUING, 55), (N.COMPLETING, 10), (N.RESERVE, 10))
STAGES = (
    (R.AGREEMENT_SIGNED, 30),
    (R.PROPOSAL_FEASIBILITY, 25),
    (R.APPROVAL_LAND_PLANNING, 20),
    (R.PRELIMINARY_DESIGN, 15),
    (R.PRE_CONSTRUCTION, 10),
)
# Starts cluster in spring (集中开工), completions towards the year's end.
START_MONTHS = (
    (2, 6),
    (3, 20),
    (4, 18),
    (5, 14),
    (6, 12),
    (7, 8),
    (8, 7),
    (9, 7),
    (10, 5),
    (11, 3),
)
COMPLETION_MONTHS = tuple((month, month) for month in range(3, 13))
LOWER_LEVEL: dict[str, str] = {L.PROVINCIAL: L.MUNICIPAL, L.MUNICIPAL: L.COUNTY, L.COUNTY: L.COUNTY}

# Longer than any period stays open (five working days, a Golden Week included).
LEDGER_LAG_DAYS = 14


def weighted(rng: random.Random, pairs: tuple[tuple[object, int], ...]) -> object:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def day_between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))


def day_in(rng: random.Random, year: int, months: tuple[tuple[int, int], ...]) -> date:
    month = int(weighted(rng, months))  # type: ignore[call-overload]
    return date(year, month, rng.randint(1, 28))


def add_months(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month + 1, min(day.day, 28))


def clamp(day: date, first: date, last: date) -> date:
    return max(first, min(day, last))


@dataclass
class Timeline:
    nature: str
    reserve_stage: str = ""
    planned_start: date | None = None
    planned_completion: date | None = None
    planned_production: date | None = None
    actual_start: date | None = None
    actual_completion: date | None = None
    actual_production: date | None = None
    statistics_inclusion: date | None = None

    def start_overdue(self, as_of: date) -> bool:
        """Planned to start by `as_of` and not started (应开未开)."""
        planned = self.planned_start
        return self.actual_start is None and planned is not None and planned <= as_of


def _started_before(rng: random.Random, year: int, shares: tuple[int, int, int]) -> date:
    start_year = int(
        weighted(rng, ((year - 1, shares[0]), (year - 2, shares[1]), (year - 3, shares[2])))
    )  # type: ignore[call-overload]
    return day_in(rng, start_year, START_MONTHS)


def draw_timeline(
    rng: random.Random,
    *,
    nature: str,
    months: tuple[int, int],
    year: int,
    as_of: date,
    produces: bool,
) -> Timeline:
    """The dates of a project whose nature in `year` is `nature`, as of `as_of`."""
    first_day = date(year, 1, 1)
    duration = rng.randint(*months)
    line = Timeline(nature)
    if nature == N.NEW_START:
        line.planned_start = day_in(rng, year, START_MONTHS)
        line.planned_completion = add_months(line.planned_start, duration)
        if line.planned_start <= as_of and rng.random() < 0.82:
            late = line.planned_start + timedelta(days=rng.randint(-25, 45))
            line.actual_start = clamp(late, first_day, as_of)
        elif line.planned_start > as_of and rng.random() < 0.06:
            early = max(first_day, line.planned_start - timedelta(days=60))
            if early <= as_of:
                line.actual_start = day_between(rng, early, as_of)
    elif nature in {N.CONTINUING, N.COMPLETING}:
        shares = (55, 30, 15) if nature == N.CONTINUING else (45, 40, 15)
        line.actual_start = _started_before(rng, year, shares)
        # The plan said a little earlier or later, within the year of the start.
        slack = min(45, (line.actual_start - date(line.actual_start.year, 1, 15)).days)
        line.planned_start = line.actual_start - timedelta(days=rng.randint(-20, slack))
        if nature == N.CONTINUING:
            next_year = date(year + 1, rng.randint(1, 12), rng.randint(1, 28))
            line.planned_completion = max(add_months(line.actual_start, duration), next_year)
        else:
            line.planned_completion = day_in(rng, year, COMPLETION_MONTHS)
            _maybe_complete(rng, line, first_day, as_of)
    else:
        line.reserve_stage = str(weighted(rng, STAGES))
        line.planned_start = date(year + 1, rng.randint(1, 12), rng.randint(1, 28))
        line.planned_completion = add_months(line.planned_start, duration)
    if produces and line.planned_completion is not None:
        line.planned_production = add_months(line.planned_completion, rng.randint(1, 3))
        if line.actual_completion is not None and rng.random() < 0.75:
            produced = line.actual_completion + timedelta(days=rng.randint(0, 60))
            line.actual_production = produced if produced <= as_of else None
    if line.actual_start is not None and rng.random() < 0.88:
        included = line.actual_start + timedelta(days=rng.randint(20, 75))
        line.statistics_inclusion = included if included <= as_of else None
    return line


def _maybe_complete(rng: random.Random, line: Timeline, first_day: date, as_of: date) -> None:
    assert line.planned_completion is not None and line.actual_start is not None
    earliest = max(first_day, line.actual_start)
    if line.planned_completion <= as_of:
        if rng.random() < 0.65:
            finished = line.planned_completion + timedelta(days=rng.randint(-40, 30))
            line.actual_completion = clamp(finished, earliest, as_of)
    elif rng.random() < 0.08:
        early = max(earliest, line.planned_completion - timedelta(days=120))
        if early <= as_of:
            line.actual_completion = day_between(rng, early, as_of)


def money(value: float) -> Decimal:
    """万元, rounded to whole 10 万元 as plans are written."""
    tens = (Decimal(f"{value:.4f}") / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return tens * 10


def planned_investment(rng: random.Random, nature: str, total: Decimal) -> Decimal:
    shares: dict[str, tuple[float, float]] = {
        N.NEW_START: (0.10, 0.35),
        N.CONTINUING: (0.15, 0.40),
        N.COMPLETING: (0.08, 0.30),
    }
    share = shares.get(nature)
    if share is None:  # reserve: preliminary costs at most
        return Decimal(0) if rng.random() < 0.5 else money(float(total) * rng.uniform(0.005, 0.03))
    return money(float(total) * rng.uniform(*share))


def current_plan(
    rng: random.Random, line: Timeline, year: int, level: str, total: Decimal
) -> PlanSpec:
    return PlanSpec(
        year=year,
        nature=str(line.nature),
        level=str(level),
        reserve_stage=line.reserve_stage,
        planned_investment=planned_investment(rng, line.nature, total),
        planned_start=line.planned_start,
        planned_completion=line.planned_completion,
        planned_production=line.planned_production,
    )


def previous_plan(
    rng: random.Random, line: Timeline, year: int, level: str, total: Decimal
) -> PlanSpec | None:
    """Last year's entry of the project, if it was in last year's plan."""
    previous = year - 1
    stage = ""
    planned_completion = line.planned_completion
    if line.nature == N.NEW_START:
        if rng.random() >= 0.65:
            return None
        nature = N.RESERVE
        stage = str(
            weighted(
                rng,
                (
                    (R.APPROVAL_LAND_PLANNING, 30),
                    (R.PRELIMINARY_DESIGN, 40),
                    (R.PRE_CONSTRUCTION, 30),
                ),
            )
        )
    elif line.nature == N.RESERVE:
        if rng.random() >= 0.35:
            return None
        nature = N.RESERVE
        stage = R.values[rng.randint(0, R.values.index(line.reserve_stage))]
    else:
        if rng.random() >= 0.92:
            return None
        assert line.actual_start is not None
        if line.actual_start.year == previous:
            nature = N.NEW_START
        elif rng.random() < (0.15 if line.nature == N.COMPLETING else 0.05):
            nature = N.COMPLETING  # it was to finish last year and slipped
            planned_completion = date(previous, rng.randint(9, 12), rng.randint(1, 28))
        else:
            nature = N.CONTINUING
    planned_start = line.planned_start
    if nature == N.NEW_START and planned_start is not None:
        planned_start = max(planned_start, date(previous, 1, 1))
    return PlanSpec(
        year=previous,
        nature=str(nature),
        level=str(LOWER_LEVEL[level] if rng.random() < 0.12 else level),
        reserve_stage=stage,
        planned_investment=planned_investment(rng, nature, total),
        planned_start=planned_start,
        planned_completion=planned_completion,
        planned_production=line.planned_production,
    )


def ledger_date(as_of: date) -> date:
    """The date this year's ledger states its year-to-date figures as of: the end of the
    last quarter that ended two weeks ago or more (the statistics bureau's quarterly
    figures, out by then); in the first quarter the end of the last such month, or `as_of`
    itself early in January. What
    was done since is what the dispatch rounds' reports add (DOMAIN.md §3); so every period
    still open to reports on `as_of` (locked five working days after its end) is after the
    ledger's date, the reports up to it can all be approved, adding up to the ledger's
    figure, and the months since the ledger are judged on the reports (the monthly cards)."""
    settled = as_of - timedelta(days=LEDGER_LAG_DAYS)
    quarter_end = date(settled.year, (settled.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    if quarter_end.year == as_of.year:
        return quarter_end
    month_end = settled.replace(day=1) - timedelta(days=1)  # the first quarter: the month's
    return month_end if month_end.year == as_of.year else as_of


def with_year_to_date(plan: PlanSpec, line: Timeline, as_of: date) -> PlanSpec:
    """The plan entry with the year-to-date completed investment a ledger would state.

    A started project has done roughly the share of its plan that the year had run by the
    ledger's date (`ledger_date`: month ÷ 12), some ahead and some behind, so the demo shows
    lagging projects too. Last year's entries are closed on 31 December. The draws use their
    own generator, seeded from the entry, so that adding them leaves the rest of the demo as
    it was.
    """
    closed = date(plan.year, 12, 31) if plan.year < as_of.year else ledger_date(as_of)
    started = line.actual_start is not None and line.actual_start <= closed
    if not started or plan.planned_investment <= 0:
        return plan
    draw = random.Random(f"{plan.year}:{plan.planned_investment}:{line.actual_start}")
    if plan.year < as_of.year:
        share = draw.uniform(0.75, 1.08)
    else:
        share = min(1.1, closed.month / 12 * draw.uniform(0.5, 1.3))
    return replace(
        plan, ytd_completed=money(float(plan.planned_investment) * share), ytd_as_of=closed
    )


CENT = Decimal("0.01")
BOND_SHARE = (0.25, 0.6)  # of the annual plan, paid out of the year's special-bond funds


def spent_by(funds: Decimal, begins: date | None, done: date | None, day: date) -> Decimal:
    """What is spent of special-bond funds by the day: nothing before the spending begins
    (nothing at all without a beginning), then evenly up to all of it on `done`."""
    if not funds or begins is None or done is None or day < begins:
        return Decimal(0)
    if day >= done:
        return funds
    share = Decimal((day - begins).days) / Decimal((done - begins).days)
    return (funds * share).quantize(CENT, rounding=ROUND_HALF_UP)


def bond_funds_spent(plan: PlanSpec, day: date) -> Decimal:
    """What the entry has spent of its special-bond funds by the day (`spent_by`)."""
    return spent_by(plan.bond_funds, plan.bond_begins, plan.bond_done, day)


def with_bond_funds(plan: PlanSpec, line_start: date | None, name: str) -> PlanSpec:
    """The entry of a special-bond project (专项债券项目) with its funds, a share of its annual
    plan, spent from its start (or 1 January) until a day between June and the next January:
    many are spent by the autumn, some not by the year's end. The ledger states what was
    spent by its date. Its own generator, seeded from the entry, leaves the rest of the demo
    as it was."""
    if plan.planned_investment <= 0:
        return plan
    draw = random.Random(f"{plan.year}:{name}:bonds")
    funds = money(float(plan.planned_investment) * draw.uniform(*BOND_SHARE))
    first_day = date(plan.year, 1, 1)
    done = first_day + timedelta(days=draw.randint(151, 395))  # 1 June to 31 January
    started = line_start if line_start is not None and line_start.year <= plan.year else None
    begins = max(first_day, started) if started is not None else None
    if begins is not None and done <= begins:
        done = begins + timedelta(days=90)
    bonded = replace(plan, bond_funds=funds, bond_begins=begins, bond_done=done)
    if plan.ytd_as_of is None:
        return bonded
    return replace(bonded, bond_funds_spent=bond_funds_spent(bonded, plan.ytd_as_of))
