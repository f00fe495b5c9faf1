"""The list change pages: the replacement page ranks the candidates beside the outgoing entry
(a district's dispatcher sees its own district's only), a proposal is made with a reason, a
leader approves it on the change's page, the promotion page, the queue, and the project's
tab with its lists over time. Anyone else gets a 404 and nothing changes."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tiaodu.campaigns.choices import ChangeStatus
from tiaodu.campaigns.models import ListChange
from tiaodu.campaigns.tests.conftest import TODAY
from tiaodu.campaigns.tests.test_campaigns import campaign
from tiaodu.campaigns.tests.test_list_changes import replace
from tiaodu.core import clock
from tiaodu.projects import services as project_services
from tiaodu.projects.models import ListMembership
from tiaodu.testing import PERSONAS, assert_nothing_written


def client_of(world: Any, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def replace_url(world: Any) -> str:
    return reverse("campaigns:change_replace", args=[world.plans["p2"].pk])


def test_the_replacement_page_puts_the_candidates_beside_the_outgoing_entry(city: Any) -> None:
    response = client_of(city, "alice").get(replace_url(city))
    assert response.status_code == 200
    columns = response.context["columns"]
    assert columns[0].plan == city.plans["p2"]
    assert {column.plan.project.name for column in columns[1:]} == {
        "黄岛智能制造产业园",
        "崂山海洋科技中心",
    }
    html = response.content.decode()
    assert "成熟度" in html and "±30%" in html and "提出替换" in html


def test_a_district_sees_its_own_candidates_on_the_page(city: Any) -> None:
    response = client_of(city, "dora").get(replace_url(city))
    names = {column.plan.project.name for column in response.context["columns"][1:]}
    assert names == {"黄岛智能制造产业园"}
    assert "崂山海洋科技中心" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(set(PERSONAS) - {"alice", "dora"}))
def test_others_cannot_open_the_replacement_page(city: Any, name: str) -> None:
    assert client_of(city, name).get(replace_url(city)).status_code == 404


def test_propose_then_approve_on_the_pages(city: Any) -> None:
    alice = client_of(city, "alice")
    # Without a reason: the message, and nothing written.
    with assert_nothing_written(ListChange, ListMembership):
        response = alice.post(
            replace_url(city), {"list": city.key_list.pk, "incoming": city.plans["p7"].pk}
        )
    assert "请填写调整理由" in response.content.decode()
    response = alice.post(
        replace_url(city),
        {"list": city.key_list.pk, "incoming": city.plans["p7"].pk, "reason": "土地未落实"},
    )
    change = ListChange.objects.get()
    assert response["Location"] == reverse("campaigns:change", args=[change.pk])
    # The city leader finds it in the queue and approves it on its page.
    cleo = client_of(city, "cleo")
    queue = cleo.get(reverse("campaigns:changes"))
    assert queue.context["pending"] == [change]
    page = cleo.get(reverse("campaigns:change", args=[change.pk]))
    assert page.context["actions"] == ["approve", "refuse"]
    # 黄岛区's dispatcher reads it but may not decide it.
    dora = client_of(city, "dora")
    assert dora.get(reverse("campaigns:change", args=[change.pk])).context["actions"] == []
    decide = reverse("campaigns:change_decide", args=[change.pk])
    with assert_nothing_written(ListMembership):
        assert dora.post(decide, {"action": "approve"}).status_code == 404
    cleo.post(decide, {"action": "approve", "note": "同意"})
    change.refresh_from_db()
    assert (change.status, change.effective) == (ChangeStatus.APPROVED, TODAY)
    # Both projects' tab shows the change and the dated lists.
    for key in ("p2", "p7"):
        tab = alice.get(reverse("projects:detail", args=[city.projects[key].pk]), {"tab": "lists"})
        html = tab.content.decode()
        assert "黄岛智能制造产业园 替换 黄岛区安置房建设项目" in html, key
        assert TODAY.isoformat() in html


def test_refusing_on_the_page_needs_a_note(city: Any) -> None:
    change = replace(city)
    cleo = client_of(city, "cleo")
    decide = reverse("campaigns:change_decide", args=[change.pk])
    response = cleo.post(decide, {"action": "refuse"}, follow=True)
    assert "请说明不予批准的理由" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED


def test_the_promotion_page(city: Any) -> None:
    provincial = project_services.create_key_project_list(actor=None, name="省重点项目", year=2026)
    url = reverse("campaigns:change_promote", args=[city.plans["p3"].pk])
    alice = client_of(city, "alice")
    response = alice.get(url)
    assert list(response.context["targets"]) == [provincial]
    alice.post(url, {"list": city.key_list.pk, "to_list": provincial.pk, "reason": "升级"})
    change = ListChange.objects.get()
    assert (change.kind, change.to_list) == ("promote", provincial)


def test_the_campaign_page_opens_a_district_and_offers_the_replacement(world: Any) -> None:
    from tiaodu.scoring.tests.test_compute import ledger

    ledger(world)
    running = campaign(world, lists=[world.key_list])
    alice = client_of(world, "alice")
    url = reverse("campaigns:detail", args=[running.pk])
    with clock.frozen(dt.date(2026, 6, 30)):
        whole = alice.get(url, {"region": world.laoshan.pk})
    assert whole.context["district"] == world.laoshan
    start = whole.context["rows"][0]
    assert [plan.project.name for plan in start["held"]] == ["崂山科创园一期"]
    html = whole.content.decode()
    p3 = world.plans["p3"]
    assert reverse("campaigns:change_replace", args=[p3.pk]) in html
    # 黄岛区's dispatcher replaces nothing in 崂山区.
    with clock.frozen(dt.date(2026, 6, 30)):
        own = client_of(world, "dora").get(url)
    assert reverse("campaigns:change_replace", args=[p3.pk]) not in own.content.decode()
