"""The rules page: every version for those who read cards; for the site's dispatcher a new
version pre-filled with the latest values, a preview of June's cards under it (nothing
written) and the version created; bad values and other personas change nothing."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.scoring import services
from tiaodu.scoring.models import Card, CardRun, RuleSet
from tiaodu.scoring.tests.test_compute import AFTER, JUNE, ledger
from tiaodu.testing import assert_nothing_written, who_passes

RULES = "/evaluation/rules/"


def values(**changed: Any) -> dict[str, Any]:
    """The form of version 1's values, changed."""
    return {
        "investment_yellow": "0.80",
        "investment_red": "0.60",
        "start_yellow_months": 1,
        "start_red_months": 3,
        "statistics_yellow_months": 1,
        "statistics_red_months": 2,
        "weight_investment": 50,
        "weight_milestones": 20,
        "weight_statistics": 10,
        "weight_reporting": 10,
        "weight_problems": 10,
        "problem_deduction": 5,
        "appeal_working_days": 5,
        "effective_month": "2026-08",
        "note": "投资红牌线提高到 75%",
        **changed,
    }


@pytest.fixture
def computed(world: Any) -> Any:
    ledger(world)
    with clock.frozen(AFTER):
        services.compute_cards(actor=world.alice, month=JUNE, reason="六月评价")
    return world


@pytest.fixture(autouse=True)
def _after_june() -> Any:
    with clock.frozen(AFTER):
        yield


def test_who_reads_the_rules_and_who_changes_them(client: Any, world: Any) -> None:
    def reads(user: Any) -> bool:
        client.force_login(user)
        return client.get(RULES).status_code == 200

    def changes(user: Any) -> bool:
        client.force_login(user)
        response = client.get(RULES)
        return response.status_code == 200 and "form" in response.context

    assert who_passes(world, reads) == {
        "alice",
        "dora",
        "rita",
        "bob",
        "leo",
        "lena",
        "hank",
        "sam",
    }
    assert who_passes(world, changes) == {"alice"}


def test_the_versions_and_the_form_prefilled_with_the_latest(client: Any, world: Any) -> None:
    client.force_login(world.alice)
    response = client.get(RULES)
    assert [rule_set.version for rule_set in response.context["versions"]] == [1]
    form = response.context["form"]
    assert str(form["investment_yellow"].value()) == "0.80"
    assert form["weight_investment"].value() == 50
    assert form["effective_month"].value() == "2026-07"
    html = response.content.decode()
    assert 'value="2026-07"' in html and "DOMAIN.md §6 默认规则" in html


def test_the_preview_shows_how_june_would_change_and_writes_nothing(
    client: Any, computed: Any
) -> None:
    client.force_login(computed.alice)
    with assert_nothing_written(RuleSet, Card, CardRun, AuditEvent):
        response = client.post(RULES, {**values(investment_red="0.75"), "preview": "1"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.month == JUNE
    # p4 (r = 0.7) turns red; nothing else moves.
    assert [(row["colour"], row["before"], row["after"]) for row in preview.rows] == [
        ("blue", 2, 2),
        ("yellow", 1, 0),
        ("red", 3, 4),
    ]
    assert [(c["name"], c["from"], c["to"]) for c in preview.changes] == [
        ("崂山区污水处理厂扩建", "yellow", "red")
    ]
    assert 'data-testid="preview-change"' in response.content.decode()


def test_the_dispatcher_creates_a_version(client: Any, computed: Any) -> None:
    client.force_login(computed.alice)
    response = client.post(RULES, {**values(investment_red="0.75"), "save": "1"})
    assert response.status_code == 302
    created = RuleSet.objects.get(version=2)
    assert (created.effective_from, created.investment_red, created.created_by) == (
        dt.date(2026, 8, 1),
        Decimal("0.75"),
        computed.alice,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "第 2 版评价规则自 2026-08 起施行。"
    ]
    assert AuditEvent.objects.filter(object_type="scoring.ruleset").count() == 1


@pytest.mark.parametrize(
    ("changed", "field", "error"),
    [
        ({"weight_investment": 40}, "weight_investment", "各项权重之和须为100（现为90）。"),
        ({"investment_red": "0.90"}, "investment_red", "红牌阈值不能高于黄牌阈值。"),
        ({"start_red_months": 0}, "start_red_months", None),
        ({"effective_month": "八月"}, "effective_month", None),
        (
            {"effective_month": "2026-06"},
            "effective_month",
            "2026-06 的评价已按现行规则计算，新版本须自其后的月份起施行。",
        ),
        ({"note": ""}, "note", "这个字段是必填项。"),
    ],
)
@pytest.mark.parametrize("button", ["save", "preview"])
def test_bad_values_are_refused_on_the_form(
    client: Any, computed: Any, changed: dict[str, Any], field: str, error: str | None, button: str
) -> None:
    client.force_login(computed.alice)
    with assert_nothing_written(RuleSet, Card, CardRun, AuditEvent):
        response = client.post(RULES, {**values(**changed), button: "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    if error is not None:
        assert form.errors[field] == [error]
    assert "preview" not in response.context


@pytest.mark.parametrize("who", ["dora", "leo", "rita", "sysadmin"])
def test_only_the_site_dispatcher_creates_a_version(client: Any, computed: Any, who: str) -> None:
    client.force_login(getattr(computed, who))
    with assert_nothing_written(RuleSet, AuditEvent):
        assert client.post(RULES, {**values(), "save": "1"}).status_code == 404


def test_a_computed_month_keeps_its_rules(computed: Any) -> None:
    with assert_nothing_written(RuleSet, AuditEvent), pytest.raises(ValidationError):
        services.create_rule_set(
            actor=computed.alice, effective_from=JUNE, investment_yellow=Decimal("0.9")
        )
