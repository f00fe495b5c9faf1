"""Compiling an edition and its workflow (draft → published → closed), the changes since
the previous edition with exact values, and refusals: each in Chinese, writing nothing."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tiaodu.core.models import AuditEvent
from tiaodu.financing import selectors, services
from tiaodu.financing.models import FinancingAnswer, FinancingList, FinancingNeed
from tiaodu.financing.tests.conftest import Editions, answer, need
from tiaodu.financing.workflow import LISTS
from tiaodu.testing import assert_nothing_written

KEY = {"idempotency_key": "f1n4nc1ng-2026-06-list-key"}
WRITTEN = (FinancingList, FinancingNeed, FinancingAnswer, AuditEvent)


def test_a_dispatcher_compiles_publishes_and_closes_an_edition(world: Any) -> None:
    draft = services.create_list(actor=world.dora, region=world.huangdao, year=2026, number=1)
    assert (draft.status, draft.edition, draft.title) == (
        "draft", "2026年第1期", "黄岛区融资需求清单（2026年第1期）"
    )  # fmt: skip
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as empty:
        services.act_on_list(actor=world.dora, financing_list=draft, action="publish")
    assert empty.value.messages == ["请先在清单中列入至少一个项目的融资需求。"]
    need(world, draft, "p1", "loan", 5000)
    # A project outside the list's region is refused (p3 is 崂山区's).
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as outside:
        need(world, draft, "p3", "bond", 100)
    assert outside.value.message_dict == {"project": ["该项目不在清单所属区域内。"]}
    # Only the list's region's dispatchers act on it; the reporter's step is refused.
    for stranger in (world.rita, world.lena):
        with assert_nothing_written(*WRITTEN), pytest.raises(PermissionDenied):
            services.act_on_list(actor=stranger, financing_list=draft, action="publish")
    published = services.act_on_list(actor=world.dora, financing_list=draft, action="publish")
    assert published.status == "published" and published.published_at is not None
    # A published list's needs no longer change, and it is not published twice.
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as frozen:
        need(world, published, "p6", "fund", 100)
    assert frozen.value.messages == ["清单已发布，融资需求不能再改动。"]
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as again:
        services.act_on_list(actor=world.dora, financing_list=published, action="publish")
    assert again.value.messages == ["清单当前为“已发布”，不能进行此操作。"]
    closed = services.act_on_list(actor=world.alice, financing_list=published, action="close")
    assert closed.status == "closed" and closed.closed_at is not None
    assert LISTS.actions_for({"dispatcher"}, closed.status) == []
    events = AuditEvent.objects.filter(object_type__startswith="financing.")
    assert events.count() == 4  # the list, its need, published, closed


def test_the_changes_since_the_previous_edition(world: Any, editions: Editions) -> None:
    changes = selectors.comparison(world.alice, editions.sixth)
    assert changes.previous == editions.fifth

    def of(group: Any) -> list[tuple[str, str, Decimal]]:
        return [(n.project.name, n.kind, n.amount) for n in group.needs]

    assert of(changes.met) == [("黄岛港区集装箱码头三期", "loan", Decimal("5000.00"))]
    assert of(changes.dropped) == [("崂山科创园一期", "bond", Decimal("8000.00"))]
    assert of(changes.carried) == [("崂山区污水处理厂扩建", "fund", Decimal("3000.00"))]
    assert of(changes.added) == [("港湾物流园仓储中心", "equity", Decimal("2000.00"))]
    assert (changes.met.amount, changes.added.amount) == (Decimal("5000.00"), Decimal("2000.00"))
    # The owner unit of A sees the changes of its own projects only.
    mine = selectors.comparison(world.rita, editions.sixth)
    assert (mine.met.count, mine.dropped.count, mine.carried.count, mine.added.count) == (
        1,
        0,
        0,
        1,
    )
    # The first edition has nothing to compare with.
    assert selectors.comparison(world.alice, editions.fifth).previous is None


def test_bad_input_is_refused_in_chinese_and_writes_nothing(
    world: Any, editions: Editions, banks: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(banks["bank2"])
    url = f"/financing/{editions.sixth.pk}/needs/{editions.needs['p4'].pk}/answer/"
    bad = {
        "institution": " ",
        "amount": "0",
        "terms": "",
        "contact_person": "",
        "contact_phone": "abc",
    }
    with assert_nothing_written(*WRITTEN):
        response = client.post(url, {**bad, **KEY})
    assert response.status_code == 200
    page = response.content.decode()
    assert "这个字段是必填项。" in page  # the terms and the contact person, by the form
    assert "确保该值大于或等于0.01。" in page
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as refused:
        services.answer_need(
            actor=banks["bank2"], need=editions.needs["p4"], institution="交通银行",
            amount=Decimal("100"), terms="3年期", contact_person="李", contact_phone="电话",
        )  # fmt: skip
    assert refused.value.message_dict == {
        "contact_phone": ["请填写数字组成的电话号码，如 13800000000 或 0532-88886666。"]
    }
    # A second answer of one account to one need, and an answer on a closed edition.
    answer(banks["bank"], editions.needs["p1"], 1000)
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as twice:
        answer(banks["bank"], editions.needs["p1"], 1000)
    assert twice.value.message_dict == {"amount": ["您已回应过该融资需求。"]}
    closed_need = editions.fifth.needs.get(project=world.projects["p3"])
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as closed:
        answer(banks["bank"], closed_need, 1000)
    assert closed.value.messages == ["该清单已不再接受回应。"]
    # An edition that the region has already is refused on its field.
    client.force_login(world.alice)
    data = {"region": world.city.pk, "year": 2026, "number": 6, **KEY}
    with assert_nothing_written(*WRITTEN):
        response = client.post("/financing/new/", data)
    assert "该区域已有2026年第6期清单。" in response.content.decode()


def test_a_new_edition_sent_twice_is_created_once(world: Any) -> None:
    client = Client()
    client.force_login(world.dora)
    assert 'name="idempotency_key"' in client.get("/financing/new/").content.decode()
    data = {"region": world.huangdao.pk, "year": 2026, "number": 2, **KEY}
    first, second = client.post("/financing/new/", data), client.post("/financing/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == FinancingList.objects.get().get_absolute_url()
