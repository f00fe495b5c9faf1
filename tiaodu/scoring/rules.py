"""The card rules of DOMAIN.md §6 applied to one plan entry's facts for a month.

Nothing here reads the database: `facts.gather` collects an entry's facts as of the month's
end, and `judge` turns them into the card's dimensions (colour, reason, what restores
blue), its colour and its score under a rule set. The comparisons are exact (decimal
amounts, whole months), so that a ratio of exactly 0.8 or 0.6 falls where the rule says:
yellow below 0.8 means 0.8 itself is blue.

The reasons are written in the site's language when the card is computed, as the audit
log's texts are; the card keeps them with its inputs.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Protocol

from django.utils.translation import get_language, gettext

from tiaodu.core.numbers import CENT
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.scoring.choices import NOT_APPLICABLE, Colour, Dimension, worst

TENTH = Decimal("0.1")


@lru_cache(maxsize=512)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


def _(message: str) -> str:
    """gettext, remembered per language: a month's computation asks the same few dozen
    messages for every one of tens of thousands of entries."""
    return _translated(get_language(), message)


class Rules(Protocol):
    """What `judge` needs of a rule set (a `RuleSet` row has all of it)."""

    investment_yellow: Decimal
    investment_red: Decimal
    start_yellow_months: int
    start_red_months: int
    statistics_yellow_months: int
    statistics_red_months: int
    problem_deduction: int

    @property
    def weights(self) -> dict[str, int]: ...


@dataclass
class Fixed:
    """A rule set's values read once (a `RuleSet` row builds its weights on every call):
    what a computation over every entry judges with."""

    investment_yellow: Decimal
    investment_red: Decimal
    start_yellow_months: int
    start_red_months: int
    statistics_yellow_months: int
    statistics_red_months: int
    problem_deduction: int
    weights: dict[str, int]

    @classmethod
    def of(cls, rules: Rules) -> "Fixed":
        return cls(
            investment_yellow=Decimal(rules.investment_yellow),
            investment_red=Decimal(rules.investment_red),
            start_yellow_months=rules.start_yellow_months,
            start_red_months=rules.start_red_months,
            statistics_yellow_months=rules.statistics_yellow_months,
            statistics_red_months=rules.statistics_red_months,
            problem_deduction=rules.problem_deduction,
            weights=dict(rules.weights),
        )


@dataclass(frozen=True)
class Facts:
    """One plan entry as known at the end of the card month."""

    plan_id: int
    project_id: int
    nature: str
    planned_investment: Decimal
    ytd: Decimal
    planned_start: dt.date | None
    actual_start: dt.date | None
    statistics_inclusion: dt.date | None
    planned_completion: dt.date | None
    actual_completion: dt.date | None
    # The labels of the periods of the month the entry had to report in, and of those
    # without a report handed in by their lock date.
    due_periods: tuple[str, ...] = ()
    missing_periods: tuple[str, ...] = ()
    overdue_problems: int = 0
    evidence: str = ""


@dataclass(frozen=True)
class Judged:
    """One dimension's verdict."""

    colour: str
    reason: str
    restore: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"colour": self.colour, "reason": self.reason, "restore": self.restore}


@dataclass
class Verdict:
    """A card as the rules make it (no colour: the entry gets no card this month)."""

    colour: str | None
    score: Decimal
    dimensions: dict[str, Judged] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def restore(self) -> list[str]:
        return [judged.restore for judged in self.dimensions.values() if judged.restore]


@lru_cache(maxsize=256)
def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def months_between(later: dt.date, earlier: dt.date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s (negative if before)."""
    return (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month)


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def _month_label(day: dt.date) -> str:
    return _("%(year)d-%(month)02d") % {"year": day.year, "month": day.month}


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(TENTH, rounding=ROUND_HALF_UP)}%"


def _limit(ratio: Decimal) -> str:
    """A threshold as the rules state it: "60%", "62.5%"."""
    value = ratio * 100
    return (
        f"{value.quantize(Decimal(1))}%"
        if value == value.to_integral()
        else f"{value.normalize()}%"
    )


def _by_months(months: int, yellow: int, red: int) -> str:
    if months >= red:
        return Colour.RED
    if months >= yellow:
        return Colour.YELLOW
    return Colour.BLUE


def started(facts: Facts, end: dt.date) -> bool:
    return facts.actual_start is not None and facts.actual_start <= end


def investment(facts: Facts, month: dt.date, rules: Rules) -> tuple[Judged, Decimal | None]:
    """r = ytd ÷ (annual plan × month ÷ 12), for started entries with a positive plan."""
    end = month_end(month)
    if not started(facts, end):
        return Judged(NOT_APPLICABLE, _("Not started by the end of the month.")), None
    if facts.planned_investment <= 0:
        return Judged(NOT_APPLICABLE, _("No annual planned investment.")), None
    # r < t  ⇔  ytd × 12 < t × plan × month: exact on decimals, no rounded rate.
    due = facts.planned_investment * month.month
    ratio = facts.ytd * 12 / due
    shown = _percent(ratio)
    if facts.ytd * 12 < rules.investment_red * due:
        colour, below = Colour.RED, rules.investment_red
    elif facts.ytd * 12 < rules.investment_yellow * due:
        colour, below = Colour.YELLOW, rules.investment_yellow
    else:
        reason = _("The investment completed is %(rate)s of time progress.") % {"rate": shown}
        return Judged(Colour.BLUE, reason), ratio
    reason = _("The investment completed is %(rate)s of time progress, below %(limit)s.") % {
        "rate": shown,
        "limit": _limit(below),
    }
    needed = (rules.investment_yellow * due / 12 - facts.ytd).quantize(CENT, ROUND_CEILING)
    restore = _("Complete another %(amount)s (10k yuan) of investment.") % {
        "amount": _money(needed)
    }
    return Judged(colour, reason, restore), ratio


def start(facts: Facts, month: dt.date, rules: Rules) -> tuple[Judged, int | None]:
    """Months late = M − month of the planned start, for new starts not started by M's end."""
    end = month_end(month)
    if facts.nature != AnnualPlanNature.NEW_START:
        return Judged(NOT_APPLICABLE, _("Not a new start this year.")), None
    if started(facts, end):
        assert facts.actual_start is not None
        reason = _("Started on %(date)s.") % {"date": facts.actual_start.isoformat()}
        return Judged(NOT_APPLICABLE, reason), None
    if facts.planned_start is None:
        return Judged(NOT_APPLICABLE, _("No planned start date.")), None
    late = months_between(month, facts.planned_start)
    planned = _month_label(facts.planned_start)
    if late <= 0:
        reason = _("Planned to start in %(month)s; not yet due.") % {"month": planned}
        return Judged(Colour.BLUE, reason), late
    colour = _by_months(late, rules.start_yellow_months, rules.start_red_months)
    if colour == Colour.BLUE:
        reason = _("Planned to start in %(month)s; %(months)d month(s) late.") % {
            "month": planned,
            "months": late,
        }
        return Judged(colour, reason), late
    reason = _("Planned to start in %(month)s; not started %(months)d month(s) later.") % {
        "month": planned,
        "months": late,
    }
    restore = _("Start construction and report the actual start date.")
    return Judged(colour, reason, restore), late


def statistics(facts: Facts, month: dt.date, rules: Rules) -> tuple[Judged, int | None]:
    """Months = M − month of the actual start, for started entries not yet included."""
    end = month_end(month)
    if not started(facts, end):
        return Judged(NOT_APPLICABLE, _("Not started by the end of the month.")), None
    if facts.statistics_inclusion is not None and facts.statistics_inclusion <= end:
        reason = _("In the statistics since %(date)s.") % {
            "date": facts.statistics_inclusion.isoformat()
        }
        return Judged(NOT_APPLICABLE, reason), None
    assert facts.actual_start is not None
    months = months_between(month, facts.actual_start)
    colour = _by_months(months, rules.statistics_yellow_months, rules.statistics_red_months)
    reason = _("Started on %(date)s and not in the statistics %(months)d month(s) later.") % {
        "date": facts.actual_start.isoformat(),
        "months": months,
    }
    if colour == Colour.BLUE:
        return Judged(colour, reason), months
    return Judged(colour, reason, _("Have the project included in the statistics.")), months


def reporting(facts: Facts, month: dt.date) -> Judged:
    """Missing in some of the month's due periods: yellow; in all of them: red."""
    due, missing = len(facts.due_periods), len(facts.missing_periods)
    if not due:
        return Judged(NOT_APPLICABLE, _("No report was due this month."))
    if not missing:
        reason = _("All %(due)d report(s) due this month were handed in.") % {"due": due}
        return Judged(Colour.BLUE, reason)
    colour = Colour.RED if missing == due else Colour.YELLOW
    names = "、".join(facts.missing_periods)
    reason = _("%(missing)d of %(due)d report(s) due this month missing: %(periods)s.") % {
        "missing": missing,
        "due": due,
        "periods": names,
    }
    restore = _("Hand in the report of %(periods)s.") % {"periods": names}
    return Judged(colour, reason, restore)


def _completion_late(facts: Facts, month: dt.date) -> int | None:
    end = month_end(month)
    if facts.planned_completion is None or facts.planned_completion > end:
        return None
    if facts.actual_completion is not None and facts.actual_completion <= end:
        return None
    return months_between(month, facts.planned_completion)


def score(
    facts: Facts,
    month: dt.date,
    rules: Rules,
    ratio: Decimal | None,
    dimensions: dict[str, Judged],
    start_late: int | None,
) -> Decimal:
    """0–100: the weighted share of the parts that apply (DOMAIN.md §6's weights)."""
    parts: dict[str, Decimal] = {}
    if ratio is not None:
        parts["investment"] = min(ratio, Decimal(1))
    lates = [late for late in (start_late, _completion_late(facts, month)) if late is not None]
    if lates:
        parts["milestones"] = max(
            Decimal(0), 1 - Decimal(max(0, max(lates))) / max(1, rules.start_red_months)
        )
    judged = dimensions[Dimension.STATISTICS].colour
    if judged != NOT_APPLICABLE:
        shares = {str(Colour.BLUE): Decimal(1), str(Colour.YELLOW): Decimal("0.5")}
        parts["statistics"] = shares.get(judged, Decimal(0))
    elif facts.statistics_inclusion is not None:
        parts["statistics"] = Decimal(1)
    if facts.due_periods:
        parts["reporting"] = Decimal(len(facts.due_periods) - len(facts.missing_periods)) / len(
            facts.due_periods
        )
    weight = rules.weights["problems"]
    if weight:
        lost = min(weight, rules.problem_deduction * facts.overdue_problems)
        parts["problems"] = Decimal(weight - lost) / weight
    total = sum(rules.weights[name] for name in parts)
    if not total:
        return Decimal(100)
    points = sum((rules.weights[name] * share for name, share in parts.items()), Decimal(0))
    return (points * 100 / total).quantize(TENTH, rounding=ROUND_HALF_UP)


def judge(facts: Facts, month: dt.date, rules: Rules) -> Verdict:
    """The entry's card for the month under the rules; reserve entries get none."""
    if facts.nature == AnnualPlanNature.RESERVE:
        return Verdict(colour=None, score=Decimal(0))
    judged_investment, ratio = investment(facts, month, rules)
    judged_start, late = start(facts, month, rules)
    judged_statistics, statistics_months = statistics(facts, month, rules)
    dimensions = {
        Dimension.INVESTMENT.value: judged_investment,
        Dimension.START.value: judged_start,
        Dimension.STATISTICS.value: judged_statistics,
        Dimension.REPORTING.value: reporting(facts, month),
    }
    colour = worst([judged.colour for judged in dimensions.values()])
    inputs = {
        "month_end": month_end(month).isoformat(),
        "time_progress": f"{month.month}/12",
        "planned_investment": str(facts.planned_investment),
        "ytd": str(facts.ytd),
        "ratio": None if ratio is None else str(ratio.quantize(Decimal("0.0001"))),
        "planned_start": _iso(facts.planned_start),
        "actual_start": _iso(facts.actual_start),
        "months_late": late,
        "statistics_inclusion": _iso(facts.statistics_inclusion),
        "months_not_included": statistics_months,
        "planned_completion": _iso(facts.planned_completion),
        "actual_completion": _iso(facts.actual_completion),
        "due_periods": list(facts.due_periods),
        "missing_periods": list(facts.missing_periods),
        "overdue_problems": facts.overdue_problems,
        "evidence": facts.evidence,
    }
    return Verdict(
        colour=colour,
        score=score(facts, month, rules, ratio, dimensions, late),
        dimensions=dimensions,
        inputs=inputs,
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
