"""Who sees what of the financing-needs lists: a financial institution sees the published
editions only (a draft or a closed one answers 404), nothing else of the site, and of the
answers only its own; an owner unit's reporter sees its own projects' needs and the answers
to them; the API answers the same."""

import json
from typing import Any

from django.test import Client

from tiaodu.accounts.navigation import menu_for
from tiaodu.core.home import panels_for
from tiaodu.financing import selectors, services
from tiaodu.financing.models import FinancingAnswer
from tiaodu.financing.tests.conftest import Editions, answer


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_institution_sees_published_lists_and_nothing_else(
    world: Any, editions: Editions, banks: dict[str, Any]
) -> None:
    bank = banks["bank"]
    draft = services.create_list(actor=world.alice, region=world.city, year=2026, number=4)
    assert list(selectors.lists_visible_to(bank)) == [editions.sixth]
    client = _client(bank)
    assert client.get(editions.sixth.get_absolute_url()).status_code == 200
    for hidden in (draft, editions.fifth):
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get(f"/financing/{hidden.pk}/list.xlsx").status_code == 404
        assert client.get(f"/api/v1/financing/lists/{hidden.pk}").status_code == 404
    # Nothing of the dispatch work: the menu has one entry, the home page one panel.
    assert [item.key for item in menu_for(bank)] == ["home", "financing.lists"]
    assert [panel["template"] for panel in panels_for(bank)] == ["financing/_home_lists.html"]
    home = client.get("/").content.decode()
    assert "2026年第4期" not in home and "青岛市融资需求清单（2026年第6期）" in home
    for page in ("/projects/", "/analytics/", "/problems/", "/reports/board/"):
        assert client.get(page).status_code in (403, 404), page
    assert client.get("/api/v1/projects/").status_code == 404


def test_answers_are_seen_by_their_institution_the_owner_unit_and_the_dispatchers(
    world: Any, editions: Editions, banks: dict[str, Any]
) -> None:
    on_p1 = answer(banks["bank"], editions.needs["p1"], 6000)
    on_p4 = answer(banks["bank2"], editions.needs["p4"], 3000, institution="交通银行")

    def seen(user: Any) -> set[int]:
        found = selectors.answers_on(user, editions.sixth).values()
        return {item.pk for answers in found for item in answers}

    assert seen(banks["bank"]) == {on_p1.pk}
    assert seen(banks["bank2"]) == {on_p4.pk}
    assert seen(world.alice) == {on_p1.pk, on_p4.pk}
    assert seen(world.rita) == {on_p1.pk}  # p1 is unit A's; p4 no unit's
    assert seen(world.bob) == set()
    assert set(selectors.answers_visible_to(world.rita)) == {on_p1, editions.answer}
    # Rita's page lists her projects' needs only, with the bank's answer and its contact.
    page = _client(world.rita).get(editions.sixth.get_absolute_url()).content.decode()
    assert "黄岛港区集装箱码头三期" in page and "港湾物流园仓储中心" in page
    assert "崂山区污水处理厂扩建" not in page and "交通银行" not in page
    assert "0532-88886666" in page
    # Bob's projects are on the 5th edition only: he opens it, not the 6th.
    bob = _client(world.bob)
    assert bob.get(editions.fifth.get_absolute_url()).status_code == 200
    assert bob.get(editions.sixth.get_absolute_url()).status_code == 404
    # Bank 2 reads every need of the edition, and only its own answer.
    page = _client(banks["bank2"]).get(editions.sixth.get_absolute_url()).content.decode()
    assert "崂山区污水处理厂扩建" in page and "交通银行" in page and "青岛银行" not in page


def test_the_api_reads_the_lists_and_takes_an_institutions_answer(
    world: Any, editions: Editions, banks: dict[str, Any]
) -> None:
    client = _client(banks["bank"])
    lists = json.loads(client.get("/api/v1/financing/lists").content)
    assert [(item["id"], item["title"]) for item in lists] == [
        (editions.sixth.pk, "青岛市融资需求清单（2026年第6期）")
    ]
    need = editions.needs["p6"]
    url = f"/api/v1/financing/lists/{editions.sixth.pk}/needs/{need.pk}/answers"
    body = {
        "institution": "青岛银行", "amount": "2000", "terms": "股权直投",
        "contact_person": "王经理", "contact_phone": "13800000000",
    }  # fmt: skip
    headers = {"Idempotency-Key": "answer-p6-0001"}
    first = client.post(url, body, content_type="application/json", headers=headers)
    again = client.post(url, body, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201
    assert json.loads(first.content) == json.loads(again.content)
    assert FinancingAnswer.objects.filter(need=need).count() == 1
    detail = json.loads(client.get(f"/api/v1/financing/lists/{editions.sixth.pk}").content)
    p6 = next(item for item in detail["needs"] if item["id"] == need.pk)
    assert (p6["amount"], p6["kind_label"], p6["answer_count"]) == ("2000.00", "股权", 1)
    assert [item["contact_phone"] for item in p6["answers"]] == ["13800000000"]
    # A dispatcher is no institution: refused, in Chinese; a reporter does not see p4.
    refused = _client(world.alice).post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert json.loads(refused.content)["detail"] == "只有金融机构可以回应融资需求。"
    p4 = f"/api/v1/financing/lists/{editions.sixth.pk}/needs/{editions.needs['p4'].pk}/answers"
    assert _client(world.rita).post(p4, body, content_type="application/json").status_code == 404
