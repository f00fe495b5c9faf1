"""One number everywhere: for every persona, the home page, the dashboard, the statistics
page, the API and the ledger pages their links open say the same figures — the figure set
of the reader's scope as of the last closed day (here 31 August, on 3 September)."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tiaodu.analytics.figures import figure_set
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.core import clock
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.permissions import reads_ledger
from tiaodu.testing import problem_in

TODAY = dt.date(2026, 9, 3)
PERSONAS = ["alice", "dora", "lena", "leo", "hank", "sam", "rita", "bob"]


@pytest.fixture
def busy(stats: Any) -> Any:
    """The statistics world with problems: two raised and assigned in June (deadlines in
    June: overdue by 31 August), one of them resolved on 20 August (no longer open, though
    not yet closed), and one raised on 2 September (after the figures' date)."""
    june = dt.date(2026, 6, 1)
    with clock.frozen(june):
        problem_in(stats, ProblemStatus.IN_PROGRESS, today=june)
        resolved = problem_in(stats, ProblemStatus.IN_PROGRESS, today=june)
    with clock.frozen(dt.date(2026, 8, 20)):
        services.resolve_problem(actor=stats.hank, problem=resolved, resolution="已解决。")
    with clock.frozen(dt.date(2026, 9, 2)):
        problem_in(stats, ProblemStatus.ASSIGNED, today=dt.date(2026, 9, 2))
    return stats


def _shown(html: str, key: str) -> Decimal:
    """The value of a headline card (data-figure=KEY) as a number: "12", "1,234.56", or
    the first of "3 / 5"."""
    found = re.search(rf'data-figure="{key}".*?data-value>([^<]*)<', html, re.S)
    assert found, key
    return Decimal(found.group(1).split("/")[0].strip().replace(",", ""))


def _yi(amount: str) -> Decimal:
    return (Decimal(amount) / 10000).quantize(Decimal("0.01"))


def _count(client: Client, href: str) -> int:
    context = client.get(href).context
    if "table" in context:
        return int(context["table"].paginator.count)
    return int(context["page"].paginator.count)


@override_settings(TIAODU_DASHBOARD_CACHE_SECONDS=0)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_shared_figures_are_equal_on_every_page(
    client: Client, busy: Any, persona: str
) -> None:
    user = busy.users[persona]
    client.force_login(user)
    with clock.frozen(TODAY):
        expected = figure_set(actor=user, year=2026, as_of=AS_OF)
        statistics = client.get(reverse("analytics:figures"))
        dashboard = client.get(reverse("dashboard:page"))
        home = client.get(reverse("core:home")).content.decode()
        api = client.get(reverse("api:stats")).json()

        assert statistics.context["figures"] == expected
        assert dashboard.context["board"]["figures"] == expected
        for key in ("projects", "ytd_completed", "completion_rate", "lagging", "problems"):
            assert api[key] == expected[key], key

        # The headline cards of the home page and the dashboard, and the lists they open.
        board = dashboard.context["board"]
        links = {item["key"]: item["link"] for item in board["headline"]}
        for html in (home, dashboard.content.decode()):
            assert _shown(html, "projects") == expected["projects"]
            assert _shown(html, "annual_plan") == _yi(expected["annual_plan"])
            assert _shown(html, "ytd_completed") == _yi(expected["ytd_completed"])
            assert _shown(html, "new_start") == expected["new_start"]["started"]
            assert _shown(html, "lagging") == expected["lagging"]
            assert _shown(html, "completed") == expected["completed"]["count"]
        assert _count(client, links["projects"]) == expected["projects"]
        assert _count(client, links["lagging"]) == expected["lagging"]
        assert _count(client, links["new_start"]) == expected["new_start"]["started"]
        assert _count(client, links["completed"]) == expected["completed"]["count"]

        # The problems: the chart's bars add up to the figure set's, and the ledger the
        # statistics page links to lists exactly those problems.
        charts = {chart["id"]: chart for chart in board["charts"]}
        open_bars, overdue_bars = charts["problems"]["series"]
        assert sum(open_bars["values"]) == expected["problems"]["open"]
        assert sum(overdue_bars["values"]) == expected["problems"]["overdue"]
        query = statistics.context["ledger_query"]
        if reads_ledger(user):
            ledger = reverse("problems:ledger")
            assert (
                _count(client, f"{ledger}?{query}&overdue=yes") == expected["problems"]["overdue"]
            )
            assert _count(client, f"{ledger}?{query}&status=open") == expected["problems"]["open"]
            page = client.get(f"{ledger}?{query}")
            assert page.context["counts"]["overdue"] == expected["problems"]["overdue"]
            for link, value in zip(overdue_bars["links"], overdue_bars["values"], strict=True):
                assert _count(client, link) == value
        else:
            assert query == ""


def test_the_world_is_not_trivial(busy: Any) -> None:
    """The comparison above means something: the city's figures are not all zero."""
    with clock.frozen(TODAY):
        city = figure_set(actor=busy.alice, year=2026, as_of=AS_OF)
    assert city["projects"] == 6
    assert city["lagging"] == 1
    assert city["problems"]["open"] == 1
    assert city["problems"]["overdue"] == 1
    assert Decimal(city["ytd_completed"]) > 0
