"""What the report workflow tells the reporter: p1 (黄岛区, unit A) of October 2026, written
and submitted by rita, reviewed by dora (黄岛区) and alice (the city)."""

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tiaodu.accounts import services as account_services
from tiaodu.accounts.models import User
from tiaodu.core.models import Notification
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world: Any, october: Period) -> Report:
    User.objects.filter(username="rita").update(email="rita@example.cn")
    world.rita.refresh_from_db()
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal(120))
    return services.submit_report(actor=world.rita, report=report, today=TODAY)


def test_a_returned_report_tells_its_reporter_why(
    world: Any, submitted: Report, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(actor=world.dora, report=submitted, reason="照片不清楚，请重拍")
    notice = Notification.objects.get()
    assert notice.recipient == world.rita and notice.kind == "reporting.returned"
    assert notice.title == "报告被退回：黄岛港区集装箱码头三期（2026年10月）"
    assert notice.body.splitlines() == ["需修改：照片不清楚，请重拍", "请修改后重新提交。"]
    assert notice.link == reverse("reporting:report", args=[submitted.pk])
    assert [(m.to, m.subject) for m in mail.outbox] == [(["rita@example.cn"], notice.title)]
    assert notice.link in mail.outbox[0].body


def test_a_returned_report_approved_tells_its_reporter_once_it_counts(
    world: Any, submitted: Report
) -> None:
    report = services.return_report(actor=world.alice, report=submitted, reason="投资额有误")
    report = services.submit_report(actor=world.rita, report=report, today=TODAY)
    report = services.approve_report(actor=world.dora, report=report)
    assert not Notification.objects.filter(kind="reporting.approved_after_return").exists()
    report = services.approve_report(actor=world.alice, report=report)
    notice = Notification.objects.get(kind="reporting.approved_after_return")
    assert notice.recipient == world.rita
    assert notice.title == "退回修改后已审核通过：黄岛港区集装箱码头三期（2026年10月）"
    assert notice.link == reverse("reporting:report", args=[report.pk])
    # No one else heard of either step.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"rita"}
    assert Notification.objects.count() == 2


def test_an_approval_without_a_return_tells_no_one(world: Any, submitted: Report) -> None:
    report = services.approve_report(actor=world.dora, report=submitted)
    services.approve_report(actor=world.alice, report=report)
    assert not Notification.objects.exists()


def test_a_refused_return_tells_no_one(world: Any, submitted: Report) -> None:
    with pytest.raises(ValidationError):
        services.return_report(actor=world.dora, report=submitted, reason="  ")
    with pytest.raises(PermissionDenied):
        services.return_report(actor=world.bob, report=submitted, reason="不对")
    assert not Notification.objects.exists()


def test_a_report_without_its_submitter_tells_the_units_reporters(
    world: Any, submitted: Report
) -> None:
    User.objects.filter(pk=world.rita.pk).update(is_active=False)
    other = User.objects.create(username="ruth", display_name="Ruth")
    account_services.assign_role(actor=None, user=other, role="reporter", org_unit=world.unit_a)
    Report.objects.filter(pk=submitted.pk).update(submitted_by=None)
    services.return_report(actor=world.dora, report=submitted, reason="请补充照片")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["ruth"]
