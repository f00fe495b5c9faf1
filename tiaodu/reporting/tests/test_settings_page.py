"""The dispatch settings page: cycles by the whole site's dispatchers, exceptions by any."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.reporting import selectors, services
from tiaodu.reporting.models import CycleRule, LockException, Period
from tiaodu.testing import TODAY

pytestmark = pytest.mark.django_db
URL = "/reports/settings/"


@pytest.fixture(autouse=True)
def on_today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_the_city_sets_a_lists_cycle_and_back_to_default(world: Any, client: Any) -> None:
    client.force_login(world.alice)
    assert client.get(URL).status_code == 200
    key = f"list:{world.key_list.pk}"
    client.post("/reports/settings/cycles/", {key: "ten_day"})
    assert CycleRule.objects.get(key_project_list=world.key_list).cycle == "ten_day"
    plan = world.plans["p1"]
    assert selectors.cycles_of([(plan.pk, plan.level)]) == {plan.pk: "ten_day"}
    client.post("/reports/settings/cycles/", {key: "", "level:municipal": "quarterly"})
    assert not CycleRule.objects.filter(key_project_list=world.key_list).exists()
    assert selectors.cycles_of([(plan.pk, plan.level)]) == {plan.pk: "quarterly"}


def test_a_district_dispatcher_sees_cycles_but_cannot_change_them(world: Any, client: Any) -> None:
    client.force_login(world.dora)
    page = client.get(URL).content.decode()
    assert "disabled" in page
    assert (
        client.post("/reports/settings/cycles/", {"level:municipal": "weekly"}).status_code == 404
    )
    assert not CycleRule.objects.exists()


def test_others_get_404(world: Any, client: Any) -> None:
    for who in ("rita", "lena", "sysadmin"):
        client.force_login(getattr(world, who))
        assert client.get(URL).status_code == 404


def test_a_district_grants_an_exception_and_the_reporter_submits(
    world: Any, client: Any, periods: dict[int, Period]
) -> None:
    august = periods[8]
    client.force_login(world.dora)
    data = {
        "period": august.pk,
        "owner_unit": world.unit_a.pk,
        "until": "2026-11-10",
        "reason": "图纸变更",
    }
    assert client.post("/reports/settings/exceptions/", data).status_code == 302
    assert LockException.objects.get(period=august).owner_unit == world.unit_a
    assert "图纸变更" in client.get(URL).content.decode()
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=august, today=august.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=10)
    assert (
        services.submit_report(actor=world.rita, report=report, today=TODAY).status == "submitted"
    )


def test_bad_exceptions_are_refused_with_a_message(
    world: Any, client: Any, periods: dict[int, Period]
) -> None:
    client.force_login(world.dora)
    # No reason; and unit B is in 崂山区, outside dora's district, so not a choice.
    page = client.post(
        "/reports/settings/exceptions/",
        {
            "period": periods[8].pk,
            "owner_unit": world.unit_a.pk,
            "until": "2026-11-10",
            "reason": "",
        },
    )
    assert page.status_code == 200 and "原因" in page.content.decode()
    page = client.post(
        "/reports/settings/exceptions/",
        {
            "period": periods[8].pk,
            "owner_unit": world.unit_b.pk,
            "until": "2026-11-10",
            "reason": "x",
        },
    )
    assert page.status_code == 200
    assert not LockException.objects.exists()


def test_a_refused_second_rule_leaves_the_first_unwritten(world: Any, client: Any) -> None:
    client.force_login(world.alice)
    key = f"list:{world.key_list.pk}"
    response = client.post(
        "/reports/settings/cycles/", {"level:municipal": "weekly", key: "fortnightly"}, follow=True
    )
    assert response.redirect_chain == [("/reports/settings/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["请选择一种调度周期。"]
    assert not CycleRule.objects.exists()


def test_setting_cycle_rules_is_all_or_nothing_at_the_service(world: Any) -> None:
    changes = [
        services.CycleChange(cycle="weekly", level="municipal"),
        services.CycleChange(cycle="fortnightly", key_project_list=world.key_list),
    ]
    with pytest.raises(ValidationError) as refused:
        services.set_cycle_rules(actor=world.alice, changes=changes)
    assert refused.value.message_dict == {"cycle": ["请选择一种调度周期。"]}
    assert not CycleRule.objects.exists()
    # Both valid: both written, and the count says so.
    changes[1] = services.CycleChange(cycle="ten_day", key_project_list=world.key_list)
    assert services.set_cycle_rules(actor=world.alice, changes=changes) == 2
    assert sorted(CycleRule.objects.values_list("level", "cycle")) == [
        ("", "ten_day"),
        ("municipal", "weekly"),
    ]


def test_a_district_dispatcher_sets_no_rule_at_the_service(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.set_cycle_rules(
            actor=world.dora, changes=[services.CycleChange(cycle="weekly", level="municipal")]
        )
    assert not CycleRule.objects.exists()
