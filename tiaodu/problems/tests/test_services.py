"""Raising, assigning with working-day deadlines, escalating and commenting: what each
write leaves, that each is audited, and that a refusal changes nothing."""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemCategory, ProblemLevel, ProblemSource, ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.reporting import services as reporting_services
from tiaodu.reporting.models import Period
from tiaodu.testing import TODAY, assert_nothing_written, problem_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _raise(world: Any, who: str = "rita", project: str = "p1", **kwargs: Any) -> Problem:
    fields = {"category": ProblemCategory.FUNDING, "title": "配套资金未到位", **kwargs}
    return services.raise_problem(
        actor=getattr(world, who), project=world.projects[project], **fields
    )


# ----------------------------------------------------------------------------- raising


def test_a_reporter_raises_a_problem_at_district_level(world: Any) -> None:
    problem = _raise(world, description="  市级配套资金三千万元未拨付。 ")
    assert (problem.status, problem.level, problem.source) == (
        ProblemStatus.REPORTED,
        ProblemLevel.DISTRICT,
        ProblemSource.PROJECT_PAGE,
    )
    assert (problem.raised_by, problem.description) == (world.rita, "市级配套资金三千万元未拨付。")
    event = AuditEvent.objects.get(object_type="problems.problem", object_id=str(problem.pk))
    assert (event.action, event.actor, event.parent_id) == (
        AuditAction.CREATE,
        world.rita,
        str(world.projects["p1"].pk),
    )
    assert event.changes["level"] == ["", "区县级"]


def test_the_direct_channel_raises_at_city_level_for_the_owner_only(world: Any) -> None:
    problem = _raise(world, source=ProblemSource.DIRECT)
    assert problem.level == ProblemLevel.CITY
    with (
        assert_nothing_written(Problem, ProblemComment, AuditEvent),
        pytest.raises(PermissionDenied),
    ):
        _raise(world, who="dora", source=ProblemSource.DIRECT)


def test_a_service_officer_and_a_dispatcher_raise_problems(world: Any) -> None:
    assert _raise(world, who="sam", project="p3").raised_by == world.sam
    field = _raise(world, who="alice", project="p5", source=ProblemSource.FIELD_ROUND)
    assert field.level == ProblemLevel.DISTRICT


@pytest.mark.parametrize(
    ("who", "project"), [("bob", "p1"), ("hank", "p2"), ("leo", "p1"), ("sysadmin", "p1")]
)
def test_who_may_not_raise(world: Any, who: str, project: str) -> None:
    with (
        assert_nothing_written(Problem, ProblemComment, AuditEvent),
        pytest.raises(PermissionDenied),
    ):
        _raise(world, who=who, project=project)


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"category": "weather"}, "category"),
        ({"title": "   "}, "title"),
        ({"title": "问" * 201}, "title"),
        ({"source": "telephone"}, "source"),
        ({"source": ProblemSource.REPORT}, "report"),
    ],
)
def test_bad_input_raises_nothing(world: Any, fields: dict[str, Any], key: str) -> None:
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        with pytest.raises(ValidationError) as refused:
            _raise(world, **fields)
        assert key in refused.value.message_dict


def test_a_problem_from_a_report_names_a_report_of_its_project(world: Any) -> None:
    reporting_services.open_periods(today=TODAY)
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    report = reporting_services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    reporting_services.update_draft(actor=world.rita, report=report, investment=Decimal("10.00"))
    problem = _raise(world, source=ProblemSource.REPORT, report=report)
    assert problem.report == report
    with (
        assert_nothing_written(Problem, ProblemComment, AuditEvent),
        pytest.raises(ValidationError),
    ):
        _raise(world, project="p6", source=ProblemSource.REPORT, report=report)


# ----------------------------------------------------------------------------- deadlines


def test_a_deadline_across_national_day_counts_the_make_up_saturday(world: Any) -> None:
    problem = _raise(world)
    # Assigned Wednesday 30 September 2026: 1–7 October are off, Saturday 10 October is a
    # make-up working day, so the tenth working day is Tuesday 20 October (not the 21st).
    problem = services.assign_problem(
        actor=world.dora,
        problem=problem,
        department=world.housing_bureau,
        today=dt.date(2026, 9, 30),
    )
    assert problem.deadline == dt.date(2026, 10, 20)


@pytest.mark.parametrize(
    ("level", "deadline"),
    [
        (ProblemLevel.DISTRICT, dt.date(2026, 11, 19)),
        (ProblemLevel.CITY, dt.date(2026, 11, 26)),
        (ProblemLevel.JOINT_MEETING, dt.date(2026, 12, 17)),
    ],
)
def test_the_default_deadline_per_level(world: Any, level: str, deadline: dt.date) -> None:
    problem = _raise(world)
    while problem.level != level:
        problem = services.escalate_problem(actor=world.alice, problem=problem)
    problem = services.assign_problem(
        actor=world.alice, problem=problem, department=world.housing_bureau
    )
    assert problem.deadline == deadline


def test_a_site_sets_its_own_working_days(world: Any, settings: Any) -> None:
    settings.TIAODU_PROBLEM_DEADLINE_DAYS = {ProblemLevel.DISTRICT: 5}
    problem = services.assign_problem(
        actor=world.dora, problem=_raise(world), department=world.housing_bureau
    )
    assert problem.deadline == dt.date(2026, 11, 12)


def test_a_dispatcher_may_set_the_deadline_but_not_in_the_past(world: Any) -> None:
    problem = _raise(world)
    with (
        assert_nothing_written(Problem, ProblemComment, AuditEvent),
        pytest.raises(ValidationError),
    ):
        services.assign_problem(
            actor=world.dora,
            problem=problem,
            department=world.housing_bureau,
            deadline=dt.date(2026, 11, 4),
        )
    problem = services.assign_problem(
        actor=world.dora,
        problem=problem,
        department=world.housing_bureau,
        deadline=dt.date(2026, 11, 30),
    )
    assert problem.deadline == dt.date(2026, 11, 30)


def test_assigning_takes_a_department_and_one_of_its_handlers(world: Any) -> None:
    problem = _raise(world)
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        with pytest.raises(ValidationError) as refused:
            services.assign_problem(actor=world.dora, problem=problem, department=world.unit_a)
        assert "department" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            services.assign_problem(
                actor=world.dora,
                problem=problem,
                department=world.housing_bureau,
                handler=world.rita,
            )
        assert "handler" in refused.value.message_dict
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.REPORTED


# ----------------------------------------------------------------------------- the loop


def test_the_closed_loop_is_audited_step_by_step(world: Any) -> None:
    start = AuditEvent.objects.count()
    problem = problem_in(world, ProblemStatus.RESOLVED)
    problem = services.reject_resolution(actor=world.rita, problem=problem, reason="资金仍未到位")
    assert (problem.status, problem.rejection_reason, problem.resolved_at) == (
        ProblemStatus.IN_PROGRESS,
        "资金仍未到位",
        None,
    )
    problem = services.resolve_problem(actor=world.hank, problem=problem, resolution="已拨付")
    problem = services.close_problem(actor=world.rita, problem=problem)
    assert problem.status == ProblemStatus.CLOSED and problem.closed_at is not None
    events = AuditEvent.objects.filter(object_type="problems.problem", object_id=str(problem.pk))
    # raise, assign, start, resolve, reject, resolve, close
    assert events.count() == 7 == AuditEvent.objects.count() - start
    statuses = [e.changes.get("status") for e in events.order_by("at", "id")]
    assert statuses[1:] == [
        ["已上报", "已交办"],
        ["已交办", "办理中"],
        ["办理中", "已办结"],
        ["已办结", "办理中"],
        ["办理中", "已办结"],
        ["已办结", "已销号"],
    ]


@pytest.mark.parametrize(
    ("step", "kwargs", "key"),
    [
        (services.resolve_problem, {"resolution": " "}, "resolution"),
        (services.reject_resolution, {"reason": ""}, "reason"),
    ],
)
def test_a_step_without_its_text_changes_nothing(
    world: Any, step: Any, kwargs: dict[str, str], key: str
) -> None:
    status = (
        ProblemStatus.IN_PROGRESS if step is services.resolve_problem else ProblemStatus.RESOLVED
    )
    problem = problem_in(world, status)
    actor = world.hank if step is services.resolve_problem else world.dora
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        with pytest.raises(ValidationError) as refused:
            step(actor=actor, problem=problem, **kwargs)
        assert key in refused.value.message_dict
    assert Problem.objects.get(pk=problem.pk).status == status


def test_escalation_stops_at_the_joint_meeting(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.IN_PROGRESS)
    problem = services.escalate_problem(actor=world.dora, problem=problem, reason="区级无法协调")
    problem = services.escalate_problem(actor=world.alice, problem=problem)
    assert (problem.level, problem.escalations, problem.status) == (
        ProblemLevel.JOINT_MEETING,
        2,
        ProblemStatus.IN_PROGRESS,
    )
    assert problem.comments.get().text == "区级无法协调"
    with (
        assert_nothing_written(Problem, ProblemComment, AuditEvent),
        pytest.raises(ValidationError),
    ):
        services.escalate_problem(actor=world.alice, problem=problem)


# ----------------------------------------------------------------------------- comments


def test_a_comment_with_a_file_is_stored_under_a_safe_name(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    comment = services.comment_problem(
        actor=world.hank,
        problem=problem,
        text="附协调会纪要。",
        file=io.BytesIO(PDF),
        file_name="../../etc/协调会 纪要.PDF",
    )
    assert (comment.original_name, comment.content_type, comment.size) == (
        "协调会_纪要.pdf",
        "application/pdf",
        len(PDF),
    )
    stored = comment.file.name or ""
    assert stored.startswith("problems/2026/11/") and stored.endswith(".pdf")
    assert ".." not in stored and "纪要" not in stored
    assert comment.file.read() == PDF
    event = AuditEvent.objects.get(object_type="problems.problemcomment")
    assert (event.actor, event.parent_id) == (world.hank, str(problem.pk))


def test_a_refused_comment_changes_nothing(world: Any, media_root: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    closed = problem_in(world, ProblemStatus.CLOSED, project="p6")
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        with pytest.raises(ValidationError):
            services.comment_problem(
                actor=world.rita,
                problem=problem,
                text="见附件",
                file=io.BytesIO(b"<html><script>alert(1)</script>"),
                file_name="纪要.pdf",
            )
        with pytest.raises(ValidationError):
            services.comment_problem(actor=world.rita, problem=problem, text="  ")
        with pytest.raises(PermissionDenied):
            services.comment_problem(actor=world.bob, problem=problem, text="我也来说两句")
        with pytest.raises(PermissionDenied):
            services.comment_problem(actor=world.rita, problem=closed, text="再补充一点")
    assert list(media_root.rglob("*.*")) == []
