"""Recording past reports at once (`services.record_past_reports`): a good batch, each
refusal writing nothing and naming its row, and the same figures as the services one by one."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from tiaodu.core.models import AuditEvent
from tiaodu.projects.models import AnnualPlan, Project
from tiaodu.reporting import services
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.history import PastReport
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_default_timezone())


def _approved(world: Any, period: Period, amount: str, **more: Any) -> PastReport:
    after = period.end + dt.timedelta(days=2)
    return PastReport(
        plan=world.plans["p1"],
        period=period,
        investment=Decimal(amount),
        physical_progress="主体施工",
        workers_on_site=40,
        submitted_at=_at(after),
        submitted_by=world.rita,
        district_approved_at=_at(after, 11),
        district_approved_by=world.dora,
        approved_at=_at(after, 15),
        approved_by=world.alice,
        **more,
    )


def _figures(world: Any) -> tuple[Any, ...]:
    plan = AnnualPlan.objects.get(pk=world.plans["p1"].pk)
    project = Project.objects.get(pk=world.projects["p1"].pk)
    reports = Report.objects.filter(plan=plan).order_by("period__start", "amendment")
    return (
        plan.reported_investment,
        plan.reported_since,
        plan.reported_through,
        project.actual_start,
        [
            (
                r.period_id,
                r.amendment,
                r.status,
                r.is_current,
                r.investment,
                r.submitted_by_id,
                r.district_approved_by_id,
                r.approved_by_id,
            )
            for r in reports
        ],
    )


def test_a_good_batch_is_written_with_its_statuses_events_and_figures(
    world: Any, periods: dict[int, Period]
) -> None:
    waiting = replace(_approved(world, periods[10], "30"), approved_at=None)
    returned = replace(
        _approved(world, periods[9], "30"),
        district_approved_at=None,
        approved_at=None,
        returned_at=_at(periods[9].end + dt.timedelta(days=2), 17),
        returned_by=world.dora,
        return_reason="照片不清楚",
    )
    rows = [
        _approved(world, periods[7], "100"),
        _approved(world, periods[8], "80"),
        _approved(world, periods[8], "90"),  # the amendment of August's
        returned,
        waiting,
    ]
    events = AuditEvent.objects.count()

    written = services.record_past_reports(actor=None, entries=rows)

    assert [r.status for r in written] == [
        ReportStatus.APPROVED,
        ReportStatus.APPROVED,
        ReportStatus.APPROVED,
        ReportStatus.RETURNED,
        ReportStatus.DISTRICT_APPROVED,
    ]
    assert [r.amendment for r in written] == [0, 0, 1, 0, 0]
    assert [r.is_current for r in written] == [True, False, True, False, False]
    assert all(r.submitted_by_id == world.rita.pk for r in written)
    assert Report.objects.count() == 5
    assert AuditEvent.objects.count() == events + 5
    plan = AnnualPlan.objects.get(pk=world.plans["p1"].pk)
    assert plan.reported_investment == Decimal("190")
    assert plan.reported_through == periods[8].end


def _ten_days() -> Period:
    return Period.objects.create(
        cycle="ten_day",
        start=dt.date(2026, 6, 1),
        end=dt.date(2026, 6, 10),
        due_date=dt.date(2026, 6, 12),
        lock_date=dt.date(2026, 6, 20),
    )


REFUSALS = {
    "negative": (lambda w, p: {"investment": Decimal("-1")}, "cannot be negative"),
    "not the owner unit's": (lambda w, p: {"submitted_by": w.bob}, "bob cannot take"),
    "reviewer not the city": (lambda w, p: {"approved_by": w.dora}, "dora cannot take"),
    "other cycle": (lambda w, p: {"period": _ten_days()}, "does not report for this period"),
    "no period": (
        lambda w, p: {"period": Period(pk=999_999, cycle="monthly", end=dt.date(2026, 6, 30))},
        "does not exist",
    ),
    "report there": (lambda w, p: {"period": p[5]}, "there already"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_writes_nothing_and_names_its_row(
    world: Any, periods: dict[int, Period], case: str
) -> None:
    make, reason = REFUSALS[case]
    services.record_past_reports(actor=None, entries=[_approved(world, periods[5], "10")])
    bad = replace(_approved(world, periods[7], "10"), **make(world, periods))
    rows = [_approved(world, periods[6], "20"), bad]
    with (
        assert_nothing_written(Report, AnnualPlan, AuditEvent),
        pytest.raises(ValidationError) as refused,
        translation.override("en"),
    ):
        services.record_past_reports(actor=None, entries=rows)
    message = " ".join(refused.value.messages)
    assert message.startswith("Row 2:")
    assert reason in message


def test_only_an_approved_report_is_amended(world: Any, periods: dict[int, Period]) -> None:
    first = replace(_approved(world, periods[7], "10"), approved_at=None)
    with (
        assert_nothing_written(Report, AuditEvent),
        pytest.raises(ValidationError) as refused,
        translation.override("en"),
    ):
        services.record_past_reports(
            actor=None, entries=[first, _approved(world, periods[7], "12")]
        )
    assert refused.value.messages == ["Row 2: Only an approved report is amended."]


def test_the_figures_are_those_of_the_services_one_by_one(
    world: Any, periods: dict[int, Period]
) -> None:
    start = dt.date(2026, 7, 15)
    rows = [
        _approved(world, periods[7], "100", milestones={"actual_start": start}),
        _approved(world, periods[8], "80"),
        _approved(world, periods[9], "55.5"),
    ]

    # One by one through the services, then rolled back.
    with transaction.atomic():
        for row in rows:
            report = services.open_draft(
                actor=world.rita, plan=row.plan, period=row.period, today=row.period.due_date
            )
            services.update_draft(
                actor=world.rita,
                report=report,
                investment=row.investment,
                physical_progress=row.physical_progress,
                workers_on_site=row.workers_on_site,
                **row.milestones,
            )
            services.submit_report(actor=world.rita, report=report, today=row.period.due_date)
            services.approve_report(actor=world.dora, report=report)
            services.approve_report(actor=world.alice, report=report)
        one_by_one = _figures(world)
        transaction.set_rollback(True)

    services.record_past_reports(actor=None, entries=rows)

    assert one_by_one[0] == Decimal("235.50")
    assert one_by_one[3] == start
    # Same figures and rows, only the reports' keys differ.
    by_batch = _figures(world)
    assert by_batch[:4] == one_by_one[:4]
    assert [r[2:] for r in by_batch[4]] == [r[2:] for r in one_by_one[4]]
