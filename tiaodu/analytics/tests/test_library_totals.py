"""The library's year-to-date and completion-rate columns and its 合计 row say the figure
set's numbers for the same filters and date; a lagging entry shows by how much."""

from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from tiaodu.analytics.figures import figure_set
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.testing import PASSWORD


def _page(client: Client, query: str) -> Any:
    return client.get(reverse("projects:list") + "?" + query)


def test_the_total_row_is_the_figure_sets(client: Client, stats: Any) -> None:
    client.login(username=stats.alice.username, password=PASSWORD)
    data = figure_set(actor=stats.alice, year=2026, as_of=AS_OF)
    page = _page(client, f"year=2026&as_of={AS_OF}")
    totals = page.context["table"].totals
    assert totals["count"] == data["projects"] == 6
    assert format(totals["ytd"], ".2f") == data["ytd_completed"]
    assert format(totals["planned_investment"], ".2f") == data["annual_plan"]
    assert format(totals["completion_rate"], "f") == data["completion_rate"]
    html = page.content.decode()
    assert "合计（6 个项目）" in html
    assert f"{Decimal(data['ytd_completed']):,.2f}" in html


def test_a_district_and_a_figure_narrow_the_total(client: Client, stats: Any) -> None:
    client.login(username=stats.alice.username, password=PASSWORD)
    huangdao = stats.huangdao.pk
    data = figure_set(actor=stats.alice, year=2026, as_of=AS_OF, region=stats.huangdao)
    page = _page(client, f"year=2026&as_of={AS_OF}&region={huangdao}")
    assert format(page.context["table"].totals["ytd"], ".2f") == data["ytd_completed"]
    lagging = _page(client, f"year=2026&as_of={AS_OF}&figure=lagging")
    table = lagging.context["table"]
    assert table.totals["count"] == data["lagging"] == 1
    # p2: 25.00% against 66.67%, 41.67 points behind, in red.
    html = lagging.content.decode()
    assert "25.00%" in html
    assert "-41.67" in html and "text-danger" in html


def test_the_rate_column_sorts(client: Client, stats: Any) -> None:
    client.login(username=stats.alice.username, password=PASSWORD)
    page = _page(client, f"year=2026&as_of={AS_OF}&sort=completion_rate")
    rates = [row.record.completion for row in page.context["table"].page.object_list]
    known = [rate for rate in rates if rate is not None]
    assert known == sorted(known) and len(known) >= 3
