"""The default rules of DOMAIN.md §6 on one entry's facts, at every threshold's edge."""

import datetime as dt
from decimal import Decimal

import pytest

from tiaodu.scoring.choices import NOT_APPLICABLE, Colour
from tiaodu.scoring.models import RuleSet
from tiaodu.scoring.rules import Facts, judge

JUNE = dt.date(2026, 6, 1)  # time progress 6/12: r = ytd ÷ (plan × 0.5)
DEFAULTS = RuleSet()


def facts(**changes: object) -> Facts:
    values: dict[str, object] = {
        "plan_id": 1,
        "project_id": 1,
        "nature": "continuing",
        "planned_investment": Decimal("1200.00"),
        "ytd": Decimal("600.00"),
        "planned_start": dt.date(2025, 3, 1),
        "actual_start": dt.date(2025, 3, 10),
        "statistics_inclusion": dt.date(2025, 4, 2),
        "planned_completion": None,
        "actual_completion": None,
    }
    values.update(changes)
    return Facts(**values)  # type: ignore[arg-type]


def dimension(entry: Facts, name: str, month: dt.date = JUNE) -> str:
    return judge(entry, month, DEFAULTS).dimensions[name].colour


@pytest.mark.parametrize(
    ("ytd", "colour"),
    [
        ("600.00", Colour.BLUE),  # r = 1
        ("480.00", Colour.BLUE),  # r = 0.8 exactly: not below 0.8
        ("479.99", Colour.YELLOW),
        ("360.00", Colour.YELLOW),  # r = 0.6 exactly: not below 0.6
        ("359.99", Colour.RED),
        ("0.00", Colour.RED),
    ],
)
def test_investment_thresholds(ytd: str, colour: str) -> None:
    assert dimension(facts(ytd=Decimal(ytd)), "investment") == colour


def test_investment_applies_to_started_entries_with_a_plan() -> None:
    assert dimension(facts(actual_start=None), "investment") == NOT_APPLICABLE
    assert dimension(facts(actual_start=dt.date(2026, 7, 1)), "investment") == NOT_APPLICABLE
    assert dimension(facts(planned_investment=Decimal(0)), "investment") == NOT_APPLICABLE
    # Started on the month's last day: it applies.
    assert dimension(facts(actual_start=dt.date(2026, 6, 30), ytd=Decimal(0)), "investment") == (
        Colour.RED
    )


def test_investment_reason_and_what_restores_blue() -> None:
    verdict = judge(facts(ytd=Decimal("337.80")), JUNE, DEFAULTS)
    investment = verdict.dimensions["investment"]
    assert investment.colour == Colour.RED
    assert "56.3%" in investment.reason and investment.reason.endswith(" 60%。")
    # Blue again at r = 0.8: 1200 × 0.5 × 0.8 = 480, less the 337.80 done.
    assert "142.20" in investment.restore
    assert verdict.restore == [investment.restore]


@pytest.mark.parametrize(
    ("month", "colour"),
    [
        (dt.date(2026, 2, 1), Colour.BLUE),  # before the planned month
        (dt.date(2026, 3, 1), Colour.BLUE),  # 0 months late
        (dt.date(2026, 4, 1), Colour.YELLOW),  # 1
        (dt.date(2026, 5, 1), Colour.YELLOW),  # 2
        (dt.date(2026, 6, 1), Colour.RED),  # 3
        (dt.date(2026, 11, 1), Colour.RED),
    ],
)
def test_start_months_late(month: dt.date, colour: str) -> None:
    entry = facts(
        nature="new_start",
        planned_start=dt.date(2026, 3, 20),
        actual_start=None,
        statistics_inclusion=None,
        ytd=Decimal(0),
    )
    assert dimension(entry, "start", month) == colour


def test_start_applies_to_new_starts_not_started() -> None:
    started = facts(nature="new_start", planned_start=dt.date(2026, 3, 1))
    assert dimension(started, "start") == NOT_APPLICABLE
    assert dimension(facts(planned_start=dt.date(2026, 1, 1)), "start") == NOT_APPLICABLE
    unplanned = facts(nature="new_start", planned_start=None, actual_start=None)
    assert dimension(unplanned, "start") == NOT_APPLICABLE


@pytest.mark.parametrize(
    ("month", "colour"),
    [
        (dt.date(2026, 3, 1), Colour.BLUE),  # started this month: 0
        (dt.date(2026, 4, 1), Colour.YELLOW),  # 1
        (dt.date(2026, 5, 1), Colour.RED),  # 2
        (dt.date(2026, 9, 1), Colour.RED),
    ],
)
def test_statistics_inclusion_months(month: dt.date, colour: str) -> None:
    entry = facts(actual_start=dt.date(2026, 3, 28), statistics_inclusion=None)
    assert dimension(entry, "statistics", month) == colour


def test_statistics_inclusion_counts_by_the_months_end() -> None:
    included_later = facts(
        actual_start=dt.date(2026, 3, 28), statistics_inclusion=dt.date(2026, 7, 1)
    )
    assert dimension(included_later, "statistics") == Colour.RED
    assert dimension(included_later, "statistics", dt.date(2026, 7, 1)) == NOT_APPLICABLE
    assert dimension(facts(actual_start=None), "statistics") == NOT_APPLICABLE


@pytest.mark.parametrize(
    ("due", "missing", "colour"),
    [
        ((), (), NOT_APPLICABLE),
        (("上旬", "中旬", "下旬"), (), Colour.BLUE),
        (("上旬", "中旬", "下旬"), ("中旬",), Colour.YELLOW),
        (("上旬", "中旬", "下旬"), ("上旬", "中旬"), Colour.YELLOW),
        (("上旬", "中旬", "下旬"), ("上旬", "中旬", "下旬"), Colour.RED),
        (("6月",), ("6月",), Colour.RED),
    ],
)
def test_reporting(due: tuple[str, ...], missing: tuple[str, ...], colour: str) -> None:
    verdict = judge(facts(due_periods=due, missing_periods=missing), JUNE, DEFAULTS)
    assert verdict.dimensions["reporting"].colour == colour
    if missing:
        assert all(name in verdict.dimensions["reporting"].restore for name in missing)


def test_the_card_is_the_worst_dimension_and_reserve_entries_get_none() -> None:
    entry = facts(ytd=Decimal("470"), due_periods=("6月",), missing_periods=("6月",))
    verdict = judge(entry, JUNE, DEFAULTS)
    assert verdict.dimensions["investment"].colour == Colour.YELLOW
    assert verdict.colour == Colour.RED
    assert judge(facts(nature="reserve"), JUNE, DEFAULTS).colour is None
    # Nothing applies (a continuing entry not started, nothing due): no card either.
    assert judge(facts(actual_start=None), JUNE, DEFAULTS).colour is None


def test_score_orders_entries_within_a_colour() -> None:
    assert judge(facts(), JUNE, DEFAULTS).score == Decimal("100.0")
    low = judge(facts(ytd=Decimal("300")), JUNE, DEFAULTS)
    lower = judge(facts(ytd=Decimal("100"), overdue_problems=1), JUNE, DEFAULTS)
    assert low.colour == lower.colour == Colour.RED
    # investment 0.5 × 50, statistics 10, problems 10 of 70 applicable points.
    assert low.score == Decimal("64.3")
    assert lower.score < low.score


def test_other_thresholds_from_a_newer_version() -> None:
    strict = RuleSet(investment_yellow=Decimal("0.90"), investment_red=Decimal("0.70"))
    entry = facts(ytd=Decimal("500"))  # r = 0.833
    assert judge(entry, JUNE, DEFAULTS).colour == Colour.BLUE
    assert judge(entry, JUNE, strict).colour == Colour.YELLOW
