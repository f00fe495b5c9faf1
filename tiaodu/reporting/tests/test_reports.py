"""Reports beyond the workflow table: locks, concurrency, amendments, snapshots, checks."""

import datetime as dt
import io
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from tiaodu.analytics.figures import figure_set
from tiaodu.core.models import AuditEvent
from tiaodu.core.tests.media_files import encode, scene
from tiaodu.projects import services as project_services
from tiaodu.reporting import selectors, services
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.testing import TODAY

pytestmark = pytest.mark.django_db


def _submitted(world: Any, period: Period, amount: str = "100", **fields: Any) -> Report:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=period, today=period.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal(amount), **fields)
    return services.submit_report(actor=world.rita, report=report, today=TODAY)


def _approved(world: Any, period: Period, amount: str = "100", **fields: Any) -> Report:
    report = _submitted(world, period, amount, **fields)
    report = services.approve_report(actor=world.dora, report=report)
    return services.approve_report(actor=world.alice, report=report)


def test_open_periods_twice_opens_each_once(world: Any) -> None:
    first = services.open_periods(today=TODAY)
    assert [p.start.month for p in first] == list(range(1, 12))
    assert services.open_periods(today=TODAY) == []
    november = Period.objects.get(cycle="monthly", start=dt.date(2026, 11, 1))
    assert november.label == "2026年11月"
    # October ends on a Saturday: due two working days later (Tue 11-03), locked after five.
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    assert (october.due_date, october.lock_date) == (dt.date(2026, 11, 3), dt.date(2026, 11, 6))


def test_the_command_opens_periods(world: Any, capsys: Any) -> None:
    call_command("open_periods", "--today", "2026-03-02")
    out = capsys.readouterr().out
    assert "opened 3 periods" in out and "2026年3月" in out


def test_a_locked_period_refuses_unless_an_exception_was_granted(
    world: Any, periods: dict[int, Period]
) -> None:
    august = periods[8]
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=august, today=august.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal(50))
    with pytest.raises(ValidationError, match=r"锁定|locked"):
        services.submit_report(actor=world.rita, report=report, today=TODAY)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    services.grant_lock_exception(
        actor=world.dora,
        period=august,
        owner_unit=world.unit_a,
        until=dt.date(2099, 1, 1),
        reason="施工图变更，数据核对中",
    )
    assert services.submit_report(actor=world.rita, report=report, today=TODAY).status == (
        ReportStatus.SUBMITTED
    )


def test_an_approved_report_is_amended_and_the_first_kept(world: Any, october: Period) -> None:
    first = _approved(world, october, "100")
    amendment = services.amend_report(actor=world.rita, report=first)
    assert services.amend_report(actor=world.rita, report=first) == amendment  # not doubled
    services.update_draft(actor=world.rita, report=amendment, investment=Decimal(80))
    amendment = services.submit_report(actor=world.rita, report=amendment, today=TODAY)
    amendment = services.approve_report(actor=world.alice, report=amendment)
    first.refresh_from_db()
    assert (first.status, first.investment, first.is_current) == ("approved", Decimal(100), False)
    assert (amendment.amendment, amendment.is_current) == (1, True)
    plan = world.plans["p1"]
    plan.refresh_from_db()
    assert plan.reported_investment == Decimal(80)


def test_approval_counts_in_the_figure_set_after_the_ledger_date(
    world: Any, periods: dict[int, Period]
) -> None:
    plan = world.plans["p1"]
    project_services.save_annual_plan(
        actor=world.alice,
        project=world.projects["p1"],
        year=2026,
        nature=plan.nature,
        level=plan.level,
        ytd_completed=Decimal(1000),
        ytd_as_of=dt.date(2026, 9, 30),
    )
    services.grant_lock_exception(
        actor=world.alice, period=periods[9], owner_unit=world.unit_a,
        until=dt.date(2099, 1, 1), reason="补报",
    )  # fmt: skip
    _approved(world, periods[9], "300")  # September: in the ledger's figure already
    _approved(world, periods[10], "250", actual_start=dt.date(2026, 10, 12))

    def ytd(as_of: dt.date) -> str:
        data = figure_set(actor=world.alice, year=2026, as_of=as_of, region="370211")
        return str(data["ytd_completed"])

    assert ytd(dt.date(2026, 9, 30)) == "1000.00"
    assert ytd(dt.date(2026, 10, 31)) == "1250.00"  # the snapshot
    assert ytd(dt.date(2026, 10, 15)) == "1000.00"  # before October's end: from the reports
    world.projects["p1"].refresh_from_db()
    assert world.projects["p1"].actual_start == dt.date(2026, 10, 12)
    # Two reports, four updates each: the draft, the submission, the two approvals.
    assert AuditEvent.objects.filter(object_type="reporting.report", action="update").count() == 8


def test_blocking_checks_refuse_and_change_nothing(world: Any, october: Period) -> None:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    with pytest.raises(ValidationError):
        services.update_draft(actor=world.rita, report=report, investment=Decimal(-5))
    # p1's total investment is 10,000: 12,001 since the start is over 1.2 times.
    services.update_draft(actor=world.rita, report=report, investment=Decimal(12001))
    with pytest.raises(ValidationError, match=r"1\.2"):
        services.submit_report(actor=world.rita, report=report, today=TODAY)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_warnings_zero_run_and_not_in_statistics(world: Any, periods: dict[int, Period]) -> None:
    project_services.update_project(
        actor=world.alice, project=world.projects["p1"], actual_start=dt.date(2026, 6, 1)
    )
    for month in (8, 9):
        services.grant_lock_exception(
            actor=world.alice, period=periods[month], owner_unit=world.unit_a,
            until=dt.date(2099, 1, 1), reason="补报",
        )  # fmt: skip
        _approved(world, periods[month], "0")
    report = _submitted(world, periods[10], "0")
    rules = [warning["rule"] for warning in report.warnings]
    assert rules == [3, 6]
    assert all(not warning["blocking"] for warning in report.warnings)


def test_due_reports_of_the_reporter(world: Any, october: Period) -> None:
    due = selectors.due_for(world.rita, TODAY)
    assert {(d.plan.project.name, d.period.label) for d in due} >= {
        ("黄岛港区集装箱码头三期", "2026年10月"),
        ("港湾物流园仓储中心", "2026年10月"),
    }
    assert all(d.plan.project.owner_unit_id == world.unit_a.pk for d in due)
    _submitted(world, october)
    assert ("黄岛港区集装箱码头三期", "2026年10月") not in {
        (d.plan.project.name, d.period.label) for d in selectors.due_for(world.rita, TODAY)
    }
    assert selectors.due_for(world.bob, TODAY) and not selectors.due_for(world.dora, TODAY)


def test_review_queues(world: Any, october: Period) -> None:
    report = _submitted(world, october)
    assert selectors.review_queue(world.dora) == [report]
    assert selectors.review_queue(world.alice) == [report]  # the city may approve directly
    assert selectors.review_queue(world.lena) == []
    report = services.approve_report(actor=world.dora, report=report)
    assert selectors.review_queue(world.dora) == []
    assert selectors.review_queue(world.alice) == [report]
    assert services.bulk_approve(actor=world.alice, reports=[report]).approved == [report]


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submits_leave_one_report(world: Any, october: Period) -> None:
    if connection.vendor == "sqlite" and "mode=memory" in connection.settings_dict["NAME"]:
        # Shared-cache memory databases answer "table is locked" at once instead of waiting
        # (busy_timeout applies to files only); `make test-pg` runs this on PostgreSQL.
        pytest.skip("concurrent writers need PostgreSQL or a file database")
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal(100))
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.submit_report(actor=world.rita, report=report, today=TODAY)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Report.objects.filter(project=world.projects["p1"], period=october).count() == 1
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    submits = AuditEvent.objects.filter(
        object_type="reporting.report", object_id=str(report.pk), changes__has_key="status"
    )
    assert submits.count() == 1


def test_an_approved_report_cannot_be_changed_only_amended(world: Any, october: Period) -> None:
    from django.core.exceptions import PermissionDenied

    report = _approved(world, october, "100")
    with pytest.raises(PermissionDenied):
        services.update_draft(actor=world.rita, report=report, investment=Decimal(1))
    photo = io.BytesIO(encode(scene(2)))
    with pytest.raises(PermissionDenied):
        services.add_file(actor=world.rita, report=report, upload=photo, name="后补.jpg")
    report.refresh_from_db()
    assert (report.status, report.investment, report.files.count()) == ("approved", Decimal(100), 0)


def test_the_daily_round_is_queued_once_for_tomorrow(world: Any, capsys: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from tiaodu.reporting.tasks import RUN_AT, daily_round

    call_command("open_periods", "--today", "2026-11-05", "--schedule")
    call_command("open_periods", "--today", "2026-11-05", "--schedule")
    out = capsys.readouterr().out
    assert "daily round queued" in out and "daily round already queued" in out
    waiting = DBTaskResult.objects.filter(task_path=daily_round.module_path, status="READY")
    assert waiting.count() == 1
    from django.utils import timezone

    run_after = timezone.localtime(waiting.get().run_after)
    assert run_after.time() == RUN_AT and run_after.date() > timezone.localdate()
