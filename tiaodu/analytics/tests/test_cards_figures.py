"""The figure set's `cards` key (DOMAIN.md §6): the entries of the scope by the final colour
of their card for the as-of date's month, and those without one, in the totals and in every
breakdown, in the same queries whatever the number of entries."""

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from tiaodu.analytics.figures import card_figures, compute, figure_set, resolve_scope
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.analytics.tests.test_figures import add_projects, queries_of_figure_set
from tiaodu.core import clock
from tiaodu.scoring import services
from tiaodu.scoring.models import Card

AUGUST = dt.date(2026, 8, 1)


def colour(stats: Any, key: str, computed: str, revised: str = "") -> None:
    Card.objects.filter(plan=stats.plans[key], month=AUGUST).update(
        colour=computed, revised_colour=revised
    )


@pytest.fixture
def carded(stats: Any) -> Any:
    """August computed, then the colours set so that each count is known: p1 blue, p2
    yellow, p3 red, p4 red revised to yellow on appeal, p5 without a card (removed), p6 a
    reserve entry (never carded)."""
    with clock.frozen(dt.date(2026, 9, 20)):
        services.compute_cards(actor=None, month=AUGUST)
    assert Card.objects.filter(month=AUGUST).count() == 5  # every entry but the reserve one
    colour(stats, "p1", "blue")
    colour(stats, "p2", "yellow")
    colour(stats, "p3", "red")
    colour(stats, "p4", "red", "yellow")
    Card.objects.filter(plan=stats.plans["p5"]).delete()
    return stats


def counts(blue: int, yellow: int, red: int, none: int, month: str = "2026-08") -> dict:
    return {"month": month, "blue": blue, "yellow": yellow, "red": red, "none": none}


def test_city_counts_by_final_colour_and_every_breakdown(carded: Any) -> None:
    data = figure_set(actor=carded.alice, year=2026, as_of=AS_OF)
    assert data["cards"] == counts(1, 2, 1, 2)  # p4 counts as revised, yellow
    assert data["by_region"]["370211"]["cards"] == counts(1, 1, 0, 1)  # p1, p2, p6
    assert data["by_region"]["370212"]["cards"] == counts(0, 1, 1, 0)  # p3, p4
    assert data["by_region"]["370202"]["cards"] == counts(0, 0, 0, 1)  # p5
    assert data["by_region"]["370203"]["cards"] == counts(0, 0, 0, 0)
    assert data["by_level"]["provincial"]["cards"] == counts(1, 0, 0, 0)
    assert data["by_level"]["municipal"]["cards"] == counts(0, 2, 1, 2)
    assert data["by_category"]["industry"]["cards"] == counts(1, 0, 0, 0)
    assert data["by_category"]["infrastructure"]["cards"] == counts(0, 1, 0, 0)
    assert data["by_list"]["市重点项目"]["cards"] == counts(1, 1, 1, 0)  # p1–p3
    # Each breakdown's parts add up to the whole.
    for name in ("by_level", "by_region", "by_category"):
        for key in ("blue", "yellow", "red", "none"):
            assert sum(row["cards"][key] for row in data[name].values()) == data["cards"][key]


def test_a_district_sees_its_own_cards(carded: Any) -> None:
    data = figure_set(actor=carded.users["dora"], year=2026, as_of=AS_OF)
    assert data["cards"] == counts(1, 1, 0, 1)


def test_a_month_not_computed_counts_every_entry_as_without_a_card(carded: Any) -> None:
    """September has no cards yet: zeros, and none = every entry in scope."""
    data = figure_set(actor=carded.alice, year=2026, as_of=dt.date(2026, 9, 30))
    assert data["cards"] == counts(0, 0, 0, 6, month="2026-09")
    assert data["by_region"]["370211"]["cards"] == counts(0, 0, 0, 3, month="2026-09")


def test_the_as_of_dates_month_is_counted(carded: Any) -> None:
    """An as-of date early in August counts August's cards (the month of the date)."""
    data = figure_set(actor=carded.alice, year=2026, as_of=dt.date(2026, 8, 1))
    assert data["cards"] == counts(1, 2, 1, 2)


@override_settings(TIAODU_FIGURES_CACHE_SECONDS=0)  # the computation's own queries
def test_the_cards_add_no_query(carded: Any) -> None:
    before = queries_of_figure_set(carded.alice)
    add_projects(carded, 10)
    assert queries_of_figure_set(carded.alice) == before == 12


def test_stats_prints_the_cards(carded: Any) -> None:
    out = StringIO()
    call_command("stats", "--year", "2026", "--as-of", AS_OF.isoformat(), "--json", stdout=out)
    assert json.loads(out.getvalue())["cards"] == counts(1, 2, 1, 2)
    out = StringIO()
    call_command("stats", "--year", "2026", "--as-of", AS_OF.isoformat(), stdout=out)
    assert "2026-08" in out.getvalue() and "1 / 2 / 1" in out.getvalue()


@pytest.mark.parametrize(("who", "region"), [("alice", None), ("alice", "370212"), ("dora", None)])
def test_card_figures_alone_equal_the_figure_sets(
    carded: Any, who: str, region: str | None
) -> None:
    """`card_figures` (the bulletin's last month) says what the whole figure set says."""
    actor = getattr(carded, who)
    scope = resolve_scope(actor=actor, year=2026, as_of=AS_OF, region=region)
    assert card_figures(actor=actor, scope=scope) == compute(actor=actor, scope=scope).data["cards"]
