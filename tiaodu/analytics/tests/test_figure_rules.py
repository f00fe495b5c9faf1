"""The statistics' rules a site may change, and the date figures are of by default.

Time progress by month or by working days and the lagging margin are settings
(`TIAODU_TIME_PROGRESS`, `TIAODU_LAGGING_MARGIN`); whichever they are, the figure set's
`lagging`, the library's `figure=lagging` list and a project's own chart agree. Without a
date, figures are as of the last day ended periods cover, and time progress follows it.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import chinese_calendar
import pytest
from django.core import checks
from django.test import Client, override_settings
from django.urls import reverse

from tiaodu.analytics.figures import WHOLE_SITE, default_as_of, figure_set
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.core import clock
from tiaodu.reporting.periods import last_closed_day
from tiaodu.reporting.selectors import investment_series
from tiaodu.testing import PASSWORD

# p2: 1,000 of 4,000 by 31 July, a completion rate of 25.00% as of 31 August.
P2_RATE = Decimal(25)


def _working_days_share(day: dt.date) -> Decimal:
    """Time progress by working days, counted here from the official calendar itself."""
    year_days = chinese_calendar.get_workdays(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    elapsed = chinese_calendar.get_workdays(dt.date(day.year, 1, 1), day)
    return (Decimal(len(elapsed)) * 100 / len(year_days)).quantize(Decimal("0.01"))


def _listed_lagging(client: Client, as_of: dt.date) -> int:
    href = reverse("projects:list") + f"?year=2026&as_of={as_of}&figure=lagging"
    return int(client.get(href).context["table"].paginator.count)


@pytest.mark.parametrize(
    ("rule", "margin"), [("month", 10), ("month", 42), ("working_days", 10), ("working_days", 41)]
)
def test_lagging_follows_the_rule_and_margin_everywhere(
    client: Client, stats: Any, rule: str, margin: int
) -> None:
    with override_settings(TIAODU_TIME_PROGRESS=rule, TIAODU_LAGGING_MARGIN=margin):
        data = figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
        progress = Decimal(data["time_progress"])
        if rule == "month":
            assert progress == Decimal("66.67")
        else:
            assert progress == _working_days_share(AS_OF)
            assert progress != Decimal("66.67")
        # p2 is the only started entry with a rate below time progress at all.
        expected = 1 if progress - margin > P2_RATE else 0
        assert data["lagging"] == expected
        client.login(username=stats.alice.username, password=PASSWORD)
        assert _listed_lagging(client, AS_OF) == expected
        p2 = stats.plans["p2"]
        p2.refresh_from_db()
        series = investment_series(stats.alice, p2, AS_OF)
        assert series.lagging is bool(expected)
        assert series.time_progress_rate == progress


def test_the_two_rules_disagree_on_a_margin_between_them(stats: Any) -> None:
    """10 August 2026: 66.67% by month, 60.08% by working days (149 of 248). With a margin
    of 38 points p2's 25% lags by month (25 < 28.67) and not by working days (25 < 22.08
    fails); p1, started with nothing counted yet by then, lags by both."""
    day = dt.date(2026, 8, 10)
    answers = {}
    for rule in ("month", "working_days"):
        with override_settings(TIAODU_TIME_PROGRESS=rule, TIAODU_LAGGING_MARGIN=38):
            data = figure_set(actor=WHOLE_SITE, year=2026, as_of=day)
            answers[rule] = (data["time_progress"], data["lagging"])
    assert answers == {"month": ("66.67", 2), "working_days": ("60.08", 1)}


# The system checks read the database's features (SQLite's JSON support, for the models'
# checks), as `manage.py check` does: without the database this test passed only when an
# earlier test of its process had asked for them.
@pytest.mark.django_db
def test_a_wrong_rule_setting_is_a_system_check_error() -> None:
    with override_settings(TIAODU_TIME_PROGRESS="weeks"):
        ids = {message.id for message in checks.run_checks()}
    assert "tiaodu.E101" in ids
    with override_settings(TIAODU_LAGGING_MARGIN=120):
        ids = {message.id for message in checks.run_checks()}
    assert "tiaodu.E102" in ids
    assert not {"tiaodu.E101", "tiaodu.E102"} & {m.id for m in checks.run_checks()}


@pytest.mark.parametrize(
    ("today", "cycle", "expected"),
    [
        (dt.date(2026, 12, 6), "monthly", dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 1), "monthly", dt.date(2026, 11, 30)),
        (dt.date(2026, 11, 30), "monthly", dt.date(2026, 10, 31)),
        (dt.date(2026, 12, 15), "ten_day", dt.date(2026, 12, 10)),
        (dt.date(2026, 12, 6), "quarterly", dt.date(2026, 9, 30)),
    ],
)
def test_the_last_closed_day(today: dt.date, cycle: str, expected: dt.date) -> None:
    assert last_closed_day(today, cycle) == expected


def test_figures_default_to_the_last_closed_day_and_time_progress_follows(
    client: Client, stats: Any
) -> None:
    """On 6 December the figures are as of 30 November: time progress 91.67%, not 100%."""
    with clock.frozen(dt.date(2026, 12, 6)):
        assert default_as_of(2026) == dt.date(2026, 11, 30)
        assert default_as_of(2025) == dt.date(2025, 12, 31)
        assert default_as_of(2027) == dt.date(2027, 1, 1)
        client.login(username=stats.alice.username, password=PASSWORD)
        page = client.get(reverse("analytics:figures"))
        assert page.context["scope"].as_of == dt.date(2026, 11, 30)
        assert page.context["figures"]["time_progress"] == "91.67"
        api = client.get(reverse("api:stats"))
        assert api.json()["as_of"] == "2026-11-30"
        assert api.json()["time_progress"] == "91.67"
    # In early January this year's first period is still open: its first day.
    with clock.frozen(dt.date(2027, 1, 5)):
        assert default_as_of(2027) == dt.date(2027, 1, 1)
        assert default_as_of(2026) == dt.date(2026, 12, 31)
