"""The figure set's `bond_funds` key: the special-bond funds allotted to the scope's entries
and what is spent of them as of the date, the latest figure stated by then (an approved
report's or the ledger's), in the totals, the breakdowns, the page, the command and the
library's figure filter (the world of bonds.py)."""

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tiaodu.analytics.figures import figure_set
from tiaodu.analytics.tests.bonds import bond_world
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.analytics.tests.test_page import links, listed, page


@pytest.fixture
def bonds(stats: Any) -> Any:
    return bond_world(stats)


def funds(count: int, allotted: str, spent: str, rate: str | None) -> dict[str, Any]:
    return {"count": count, "allotted": allotted, "spent": spent, "spent_rate": rate}


def test_the_city_and_each_breakdown(bonds: Any) -> None:
    data = figure_set(actor=bonds.alice, year=2026, as_of=AS_OF)
    assert data["bond_funds"] == funds(4, "4500.00", "2300.00", "51.11")
    assert data["by_region"]["370211"]["bond_funds"] == funds(2, "3000.00", "1100.00", "36.67")
    assert data["by_region"]["370212"]["bond_funds"] == funds(2, "1500.00", "1200.00", "80.00")
    assert data["by_region"]["370202"]["bond_funds"] == funds(0, "0.00", "0.00", None)
    assert data["by_level"]["provincial"]["bond_funds"] == funds(1, "1000.00", "600.00", "60.00")
    # p1–p3 are on the list: 1,000 + 2,000 + 1,000 allotted, 600 + 500 + 700 spent.
    assert data["by_list"]["市重点项目"]["bond_funds"] == funds(3, "4000.00", "1800.00", "45.00")


@pytest.mark.parametrize(
    ("as_of", "spent", "rate"),
    [
        # Only p4's ledger figure (06-30) is known; p1's July report is not yet.
        (dt.date(2026, 6, 30), "500.00", "11.11"),
        # p1 July's report 400 (its ledger says 08-31), p2 500, p3 July amended 350, p4 500.
        (dt.date(2026, 7, 31), "1750.00", "38.89"),
        (AS_OF, "2300.00", "51.11"),
        # p3's ledger figure (09-30) is later than its August report: all 1,000 spent.
        (dt.date(2026, 9, 30), "2600.00", "57.78"),
    ],
)
def test_the_latest_figure_stated_by_the_date(
    bonds: Any, as_of: dt.date, spent: str, rate: str
) -> None:
    data = figure_set(actor=bonds.alice, year=2026, as_of=as_of)
    assert data["bond_funds"] == funds(4, "4500.00", spent, rate)


def test_a_district_dispatcher_sees_her_district(bonds: Any) -> None:
    data = figure_set(actor=bonds.dora, year=2026, as_of=AS_OF)
    assert data["bond_funds"] == funds(2, "3000.00", "1100.00", "36.67")


def test_the_library_lists_the_entries_with_funds_and_those_not_all_spent(
    client: Any, bonds: Any
) -> None:
    client.force_login(bonds.alice)
    names = {key: project.name for key, project in bonds.projects.items()}
    query = "?year=2026&as_of=2026-08-31&figure="
    with_funds = listed(client, reverse("projects:list") + query + "bond_funds")
    assert with_funds == sorted(names[key] for key in ("p1", "p2", "p3", "p4"))
    unspent = listed(client, reverse("projects:list") + query + "bond_funds_unspent")
    assert unspent == sorted(names[key] for key in ("p1", "p2", "p3"))


def test_the_page_shows_the_share_spent_and_links_the_projects(client: Any, bonds: Any) -> None:
    response = page(client, bonds.alice)
    text = response.content.decode()
    assert 'data-testid="figure-bond-spent-rate">51.11%' in text
    bond_links = {href: n for href, n in links(response).items() if "figure=bond_funds" in href}
    assert list(bond_links.values()) == [4]
    for href, count in bond_links.items():
        assert len(listed(client, href)) == count
    assert 'data-testid="bond-unspent-link"' in text


def test_the_page_without_funds_has_no_rate(client: Any, stats: Any) -> None:
    text = page(client, stats.alice).content.decode()
    assert 'data-testid="figure-bond-spent-rate">—' in text
    assert 'data-testid="bond-unspent-link"' not in text


def test_the_command_prints_it(bonds: Any) -> None:
    out = StringIO()
    call_command("stats", "--year", "2026", "--as-of", "2026-08-31", "--json", stdout=out)
    assert json.loads(out.getvalue())["bond_funds"] == funds(4, "4500.00", "2300.00", "51.11")
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("stats", "--year", "2026", "--as-of", "2026-08-31", stdout=out)
    text = out.getvalue()
    assert "有专项债券资金的项目: 4\n" in text
    assert "专项债券资金已支出 / 下达（万元）: 2300.00 / 4500.00 (51.11%)\n" in text
