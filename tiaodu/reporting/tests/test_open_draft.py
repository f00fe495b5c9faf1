"""Opening a report (`services.open_draft`): only a due (entry, period) pair opens a new
draft, whoever asks (the report page and the API both call it); a report already there is
returned as it is. The due pairs are those of the due list (`selectors.due_for`).

rita reports for unit A (p1, p6), bob for unit B; dora and alice review. On TODAY
(5 November 2026) October is due and November under way; September's lock date has passed.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tiaodu.reporting import selectors, services
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
NOT_NOW = "该项目当前不需要填报这一期。"


def test_a_due_pair_opens_one_draft(world: Any, periods: dict[int, Period]) -> None:
    october = periods[10]
    assert selectors.is_due(world.plans["p1"], october, TODAY)
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=TODAY
    )
    assert (report.status, report.amendment, report.plan_id) == ("draft", 0, world.plans["p1"].pk)
    again = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=TODAY
    )
    assert again.pk == report.pk
    assert Report.objects.count() == 1


def test_the_period_under_way_is_due_too(world: Any, periods: dict[int, Period]) -> None:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p6"], period=periods[11], today=TODAY
    )
    assert report.period == periods[11]


def test_a_locked_period_opens_nothing(world: Any, periods: dict[int, Period]) -> None:
    september = periods[9]
    assert september.lock_date < TODAY
    with pytest.raises(ValidationError) as refused:
        services.open_draft(actor=world.rita, plan=world.plans["p1"], period=september, today=TODAY)
    assert refused.value.messages == [NOT_NOW]
    assert not Report.objects.exists()


def test_a_period_not_started_opens_nothing(world: Any, periods: dict[int, Period]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.open_draft(
            actor=world.rita,
            plan=world.plans["p1"],
            period=periods[11],
            today=dt.date(2026, 10, 20),
        )
    assert refused.value.messages == [NOT_NOW]
    assert not Report.objects.exists()


def test_an_entry_on_another_cycle_opens_nothing(world: Any, periods: dict[int, Period]) -> None:
    # Municipal entries report quarterly from now on: none of them owes October's month.
    services.set_cycle_rule(actor=world.alice, cycle="quarterly", level="municipal")
    assert not selectors.is_due(world.plans["p1"], periods[10], TODAY)
    with pytest.raises(ValidationError) as refused:
        services.open_draft(
            actor=world.rita, plan=world.plans["p1"], period=periods[10], today=TODAY
        )
    assert refused.value.messages == [NOT_NOW]
    assert not Report.objects.exists()


def test_only_the_reporter_opens(world: Any, periods: dict[int, Period]) -> None:
    for who in ("bob", "dora", "alice", "leo", "hank", "sysadmin"):
        with pytest.raises(PermissionDenied):
            services.open_draft(
                actor=getattr(world, who), plan=world.plans["p1"], period=periods[10], today=TODAY
            )
    assert not Report.objects.exists()


def test_a_report_already_there_is_returned_past_its_lock(
    world: Any, periods: dict[int, Period]
) -> None:
    september = periods[9]
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=september, today=september.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal("10.00"))
    services.submit_report(actor=world.rita, report=report, today=september.due_date)
    again = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=september, today=TODAY
    )
    assert (again.pk, again.status) == (report.pk, "submitted")
    assert Report.objects.count() == 1


def test_the_page_refuses_a_pair_not_due_with_the_services_message(
    client: Any, world: Any, periods: dict[int, Period]
) -> None:
    client.force_login(world.rita)
    moment = dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        data = {"plan": world.plans["p1"].pk, "period": periods[9].pk}
        response = client.post(reverse("reporting:open"), data)
        assert response.status_code == 302 and response.url == reverse("reporting:due")
        shown = [str(m) for m in client.get(reverse("reporting:due")).context["messages"]]
    assert shown == [NOT_NOW]
    assert not Report.objects.exists()
    # A dispatcher does not open reports: no such page for her.
    client.force_login(world.alice)
    data = {"plan": world.plans["p1"].pk, "period": periods[10].pk}
    assert client.post(reverse("reporting:open"), data).status_code == 404
