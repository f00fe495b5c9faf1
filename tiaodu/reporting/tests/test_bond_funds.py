"""The special-bond spending of a report (专项债券资金已支出): asked only of an entry with bond
funds, refused above the funds with a message and nothing changed, shown to the reviewer,
carried by an amendment, and counted by the figures once approved (rita reports p1, given
1,000 万元 of bond funds; p6, rita's too, has none)."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tiaodu.core.models import AuditEvent
from tiaodu.projects import figure_conditions
from tiaodu.projects import services as project_services
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import services
from tiaodu.reporting.history import PastReport
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.tests.test_api import App
from tiaodu.testing import TODAY, assert_nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_today() -> Iterator[None]:
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def funded(world: Any) -> Any:
    project_services.save_annual_plan(
        actor=world.alice, project=world.projects["p1"], year=2026, bond_funds=Decimal(1000)
    )
    world.plans["p1"].refresh_from_db()
    return world


def _draft(world: Any, period: Period, key: str = "p1") -> Report:
    return services.open_draft(actor=world.rita, plan=world.plans[key], period=period)


def spent_on(plan: AnnualPlan, day: dt.date) -> Decimal:
    """The entry's spending as the figures read it on the day."""
    value = (
        AnnualPlan.objects.filter(pk=plan.pk)
        .annotate(spent=figure_conditions.bond_funds_spent(day))
        .values_list("spent", flat=True)
        .get()
    )
    return Decimal(value)


def test_the_form_asks_for_the_spending_only_where_there_are_funds(
    client: Any, funded: Any, october: Period
) -> None:
    client.force_login(funded.rita)
    with_funds = client.get(reverse("reporting:report", args=[_draft(funded, october).pk]))
    html = with_funds.content.decode()
    assert 'data-testid="bond-funds-spent-field"' in html
    assert "专项债券资金本年已支出（万元）" in html
    assert "1,000.00" in html  # the allotment, in the field's hint
    without = client.get(reverse("reporting:report", args=[_draft(funded, october, "p6").pk]))
    assert 'data-testid="bond-funds-spent-field"' not in without.content.decode()


def test_saving_submitting_and_approving_the_spending(
    client: Any, funded: Any, october: Period
) -> None:
    report = _draft(funded, october)
    url = reverse("reporting:report", args=[report.pk])
    client.force_login(funded.rita)
    data = {"investment": "120", "bond_funds_spent": "400.50", "action": "submit"}
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.bond_funds_spent == Decimal("400.50") and report.status == "submitted"
    # The reviewer reads it beside the funds allotted.
    client.force_login(funded.dora)
    html = client.get(url).content.decode()
    assert 'data-testid="bond-funds-spent"' in html
    assert "400.50" in html and "1,000.00" in html
    plan = funded.plans["p1"]
    assert spent_on(plan, dt.date(2026, 10, 31)) == 0  # not approved yet
    services.approve_report(actor=funded.dora, report=report)
    services.approve_report(actor=funded.alice, report=report)
    assert spent_on(plan, dt.date(2026, 10, 31)) == Decimal("400.50")
    assert spent_on(plan, dt.date(2026, 10, 30)) == 0  # before the period's end
    # An amendment starts from it and, approved, replaces it.
    amendment = services.amend_report(actor=funded.rita, report=report)
    assert amendment.bond_funds_spent == Decimal("400.50")
    services.update_draft(actor=funded.rita, report=amendment, bond_funds_spent=Decimal(450))
    services.submit_report(actor=funded.rita, report=amendment)
    services.approve_report(actor=funded.dora, report=amendment)
    services.approve_report(actor=funded.alice, report=amendment)
    assert spent_on(plan, dt.date(2026, 10, 31)) == Decimal(450)


def test_more_than_the_funds_is_refused_and_nothing_changes(
    client: Any, funded: Any, october: Period
) -> None:
    report = _draft(funded, october)
    url = reverse("reporting:report", args=[report.pk])
    client.force_login(funded.rita)
    with assert_nothing_written(Report, AuditEvent):
        response = client.post(
            url, {"investment": "10", "bond_funds_spent": "1200", "action": "save"}
        )
    assert response.status_code == 200
    assert "专项债券资金已支出（1,200.00万元）不能多于本年下达的1,000.00万元" in (
        response.content.decode()
    )


def test_the_api_takes_the_spending_and_refuses_it_without_funds(
    funded: Any, october: Period
) -> None:
    app = App(funded.rita)
    report = _draft(funded, october)
    answer = app.patch(f"/api/v1/reports/{report.pk}", {"bond_funds_spent": "300.5"})
    assert answer.status_code == 200 and answer.json()["bond_funds_spent"] == "300.50"
    other = _draft(funded, october, "p6")
    with assert_nothing_written(Report):
        refused = app.patch(f"/api/v1/reports/{other.pk}", {"bond_funds_spent": "10"})
    assert refused.status_code == 422
    assert refused.json()["fields"] == {
        "bond_funds_spent": ["该项目本年没有专项债券资金，资金支出请留空。"]
    }


def test_a_past_report_above_the_funds_is_refused(funded: Any, october: Period) -> None:
    row = PastReport(
        plan=funded.plans["p1"],
        period=october,
        investment=Decimal(0),
        bond_funds_spent=Decimal(1001),
        submitted_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
        submitted_by=funded.rita,
    )
    with (
        assert_nothing_written(Report),
        pytest.raises(ValidationError) as refused,
        translation.override("en"),
    ):
        services.record_past_reports(actor=None, entries=[row])
    assert refused.value.messages == [
        "Row 1: The special-bond funds spent (1,001.00, 10k yuan) cannot be more than the "
        "1,000.00 allotted this year."
    ]
