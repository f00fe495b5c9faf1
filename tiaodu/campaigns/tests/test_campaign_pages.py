"""The campaign pages: the list with 'copy into this year', a campaign's attainment by
district with the projects holding each target back, for dispatchers and leaders of their
own regions; anyone else gets a 404."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tiaodu.campaigns.models import Campaign
from tiaodu.campaigns.tests.test_campaigns import campaign
from tiaodu.core import clock
from tiaodu.scoring.tests.test_compute import ledger
from tiaodu.testing import PERSONAS

ON = dt.date(2026, 6, 30)


@pytest.fixture
def running(world: Any) -> Campaign:
    ledger(world)
    return campaign(world)


def page(world: Any, name: str, url: str, **params: Any) -> Any:
    client = Client()
    client.force_login(world.users[name])
    with clock.frozen(ON):
        return client.get(url, params)


def test_who_opens_the_pages(world: Any, running: Campaign) -> None:
    detail = reverse("campaigns:detail", args=[running.pk])
    opened = {
        name
        for name in PERSONAS
        if page(world, name, reverse("campaigns:list")).status_code == 200
        and page(world, name, detail).status_code == 200
    }
    assert opened == {"alice", "dora", "lena"}


def test_the_whole_campaign_and_a_districts_own(world: Any, running: Campaign) -> None:
    url = reverse("campaigns:detail", args=[running.pk])
    whole = page(world, "alice", url)
    html = whole.content.decode()
    assert "黄岛区" in html and "崂山区" in html and "市南区" in html
    assert whole.context["days_left"] == 10
    # The start rate: of the new starts, p3 (崂山区) has not started by 30 June.
    start = whole.context["rows"][0]
    assert start["held_count"] == 1
    assert [plan.project.name for plan in start["held"]] == ["崂山科创园一期"]
    own = page(world, "dora", url)
    assert [region.name for region in own.context["regions"]] == ["黄岛区"]
    assert own.context["rows"][0]["held_count"] == 0  # p1 started in June
    assert "崂山科创园一期" not in own.content.decode()


def test_a_date_outside_the_window_is_brought_into_it(world: Any, running: Campaign) -> None:
    url = reverse("campaigns:detail", args=[running.pk])
    assert page(world, "alice", url, as_of="2026-12-31").context["as_of"] == running.end
    shown = page(world, "alice", url, as_of="June")
    assert shown.context["as_of"] == ON
    assert "YYYY-MM-DD" in shown.content.decode()


def test_copy_into_this_year(world: Any) -> None:
    from decimal import Decimal

    from tiaodu.campaigns import services
    from tiaodu.campaigns.choices import Indicator
    from tiaodu.projects import services as project_services

    project_services.create_key_project_list(actor=None, name="市重点项目", year=2025)
    last = services.create_campaign(
        actor=world.alice, name="2025年百日会战", year=2025,
        start=dt.date(2025, 8, 1), end=dt.date(2025, 11, 10),
        targets=[services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(100))],
    )  # fmt: skip
    listing = page(world, "alice", reverse("campaigns:list"))
    assert f'data-testid="copy-{last.pk}"' in listing.content.decode()
    assert (
        f'data-testid="copy-{last.pk}"'
        not in page(world, "dora", reverse("campaigns:list")).content.decode()
    )
    client = Client()
    client.force_login(world.dora)
    with clock.frozen(ON):
        assert client.post(reverse("campaigns:copy", args=[last.pk])).status_code == 404
    client.force_login(world.alice)
    with clock.frozen(ON):
        key = {"idempotency_key": "9f1e2d3c4b5a69788796a5b4c3d2e1f0"}
        response = client.post(reverse("campaigns:copy", args=[last.pk]), key)
        again = client.post(reverse("campaigns:copy", args=[last.pk]), key)  # pressed twice
    copied = Campaign.objects.get(year=2026)
    assert response.status_code == 302 and copied.name == "2026年百日会战"
    assert (
        again["Location"] == response["Location"] == reverse("campaigns:detail", args=[copied.pk])
    )
    assert 'name="idempotency_key"' in listing.content.decode()


def test_the_funds_spent_target_and_the_projects_holding_it_back(world: Any) -> None:
    from decimal import Decimal

    from tiaodu.campaigns import services
    from tiaodu.campaigns.choices import Indicator
    from tiaodu.campaigns.tests.test_campaigns import special_bonds

    ledger(world)
    special_bonds(world)
    target = services.TargetSpec(indicator=Indicator.FUNDS_SPENT_RATE, threshold=Decimal(100))
    found = campaign(world, targets=[target])
    response = page(world, "alice", reverse("campaigns:detail", args=[found.pk]))
    html = response.content.decode()
    assert "专项债券资金支出率" in html
    assert 'data-testid="overall">68.42%' in html
    row = response.context["rows"][0]
    assert row["held_count"] == 2
    assert [plan.project.name for plan in row["held"]] == [
        "黄岛港区集装箱码头三期",
        "崂山科创园一期",
    ]
