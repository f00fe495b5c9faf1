"""Every (status, action) pair of the report workflow, for every relation to the project."""

import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tiaodu.core.models import AuditEvent
from tiaodu.core.workflow import TransitionRefused
from tiaodu.reporting import services, workflow
from tiaodu.reporting.choices import ReportAction, ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

R, D, C = workflow.REPORTER, workflow.DISTRICT_REVIEWER, workflow.CITY_REVIEWER
S, A = ReportStatus, ReportAction
# The workflow of DOMAIN.md §3, written out here rather than read from the table, so a
# wrong row of the table fails: (status, action) → (status after, who may). Every pair
# not listed is refused to everyone.
EXPECTED: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (S.DRAFT, A.SUBMIT): (S.SUBMITTED, frozenset({R})),
    (S.RETURNED, A.SUBMIT): (S.SUBMITTED, frozenset({R})),
    (S.SUBMITTED, A.APPROVE_DISTRICT): (S.DISTRICT_APPROVED, frozenset({D})),
    (S.SUBMITTED, A.APPROVE): (S.APPROVED, frozenset({C})),
    (S.DISTRICT_APPROVED, A.APPROVE): (S.APPROVED, frozenset({C})),
    (S.SUBMITTED, A.RETURN): (S.RETURNED, frozenset({D, C})),
    (S.DISTRICT_APPROVED, A.RETURN): (S.RETURNED, frozenset({C})),
    (S.APPROVED, A.AMEND): (S.APPROVED, frozenset({R})),
}
PAIRS = list(itertools.product(ReportStatus.values, ReportAction.values))

# Who plays which part for project p1 (黄岛区, owner unit A).
PLAYERS = {
    "rita": workflow.REPORTER,
    "dora": workflow.DISTRICT_REVIEWER,
    "alice": workflow.CITY_REVIEWER,
}
OUTSIDERS = ("bob", "lena", "hank", "sysadmin")


def _report_in(world: Any, period: Period, status: str) -> Report:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=period, today=period.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal("120.50"))
    if status == ReportStatus.DRAFT:
        return report
    report = services.submit_report(actor=world.rita, report=report, today=TODAY)
    if status == ReportStatus.SUBMITTED:
        return report
    if status == ReportStatus.RETURNED:
        return services.return_report(actor=world.dora, report=report, reason="照片不清楚")
    report = services.approve_report(actor=world.dora, report=report)
    if status == ReportStatus.DISTRICT_APPROVED:
        return report
    return services.approve_report(actor=world.alice, report=report)


def _act(world: Any, who: str, report: Report, action: str) -> Report:
    actor = getattr(world, who)
    match action:
        case ReportAction.SUBMIT:
            return services.submit_report(actor=actor, report=report, today=TODAY)
        case ReportAction.APPROVE | ReportAction.APPROVE_DISTRICT:
            return services.approve_report(actor=actor, report=report)
        case ReportAction.RETURN:
            return services.return_report(actor=actor, report=report, reason="请补充")
        case _:
            return services.amend_report(actor=actor, report=report)


def test_the_relations_of_the_personas(world: Any) -> None:
    from tiaodu.reporting.permissions import relations

    project = world.projects["p1"]
    for who, part in PLAYERS.items():
        assert relations(getattr(world, who), project) == {part}
    for who in OUTSIDERS:
        assert relations(getattr(world, who), project) == frozenset()
    assert relations(world.sam, world.projects["p3"]) == {workflow.REPORTER}


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_the_table_row_of_every_pair(status: str, action: str) -> None:
    expected = EXPECTED.get((status, action))
    for part in (R, D, C):
        if expected is not None and part in expected[1]:
            assert workflow.REPORTS.check({part}, status, action).target == expected[0]
        else:
            with pytest.raises(TransitionRefused):
                workflow.REPORTS.check({part}, status, action)
    offered = [a for (s, a) in EXPECTED if s == status]
    assert workflow.REPORTS.actions_for({R, D, C}, status) == offered


CASES = list(itertools.product(ReportStatus.values, ReportAction.values, [*PLAYERS, *OUTSIDERS]))


@pytest.mark.parametrize(("status", "action", "who"), CASES)
def test_every_pair(world: Any, october: Period, status: str, action: str, who: str) -> None:
    report = _report_in(world, october, status)
    part = PLAYERS.get(who)
    # approve_report takes the approving step of the actor's level: the district's approve
    # is APPROVE_DISTRICT, the city's APPROVE.
    if action == ReportAction.APPROVE_DISTRICT and part == workflow.CITY_REVIEWER:
        return
    if action == ReportAction.APPROVE and part == workflow.DISTRICT_REVIEWER:
        return
    expected = EXPECTED.get((status, action))
    permitted = expected is not None and part is not None and part in expected[1]
    # Submitting a report already submitted is a no-op (idempotent), not a refusal.
    idempotent = action == ReportAction.SUBMIT and status in (
        ReportStatus.SUBMITTED,
        ReportStatus.DISTRICT_APPROVED,
    )
    before = Report.objects.count(), report.status
    if permitted:
        assert expected is not None
        result = _act(world, who, report, action)
        if action == ReportAction.AMEND:
            assert result.amendment == report.amendment + 1 and result.status == ReportStatus.DRAFT
            report.refresh_from_db()
            assert report.status == ReportStatus.APPROVED and report.is_current
        else:
            assert result.status == expected[0]
            assert Report.objects.get(pk=report.pk).status == expected[0]
    elif idempotent and part == workflow.REPORTER:
        assert _act(world, who, report, action).status == status
        assert (Report.objects.count(), Report.objects.get(pk=report.pk).status) == before
    else:
        with pytest.raises(PermissionDenied):
            _act(world, who, report, action)
        assert (Report.objects.count(), Report.objects.get(pk=report.pk).status) == before


def test_the_audit_says_which_status_a_submission_leaves(world: Any, october: Period) -> None:
    """A draft's submission and a returned report's resubmission are audited as they were."""
    report = _report_in(world, october, ReportStatus.DRAFT)
    services.submit_report(actor=world.rita, report=report, today=TODAY)
    first = AuditEvent.objects.filter(object_id=str(report.pk)).latest("pk")
    assert first.changes == {"status": ["草稿", "已报送"]}
    services.return_report(actor=world.dora, report=report, reason="照片不清楚")
    services.submit_report(actor=world.rita, report=report, today=TODAY)
    again = AuditEvent.objects.filter(object_id=str(report.pk)).latest("pk")
    assert (again.actor, again.object_type, again.changes) == (
        world.rita,
        "reporting.report",
        {"status": ["已退回", "已报送"]},
    )
