"""Consultations and joint meetings: who convenes, what goes on the agenda, and decisions
carried out on the problems through the problem workflow; a decision the workflow does
not allow writes nothing.

Personas: dora convenes for 黄岛区 (p1, p2, p6); alice for the whole city; hank convenes
consultations for 市住建局, the department the problems of p1 are assigned to; rita (unit
A) attends; bob (unit B, 崂山区) and lena (leader of 崂山区) see nothing of dora's
meeting; the auditor sees no meeting.
"""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.models import AuditEvent
from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemLevel, ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.supervision.meetings import selectors, services
from tiaodu.supervision.meetings.choices import DecisionOutcome, MeetingKind
from tiaodu.supervision.meetings.models import Meeting, MeetingDecision
from tiaodu.testing import assert_nothing_written, problem_in

DAY = dt.date(2026, 11, 5)


def convene(world: Any, actor: Any = None, **overrides: Any) -> Meeting:
    actor = actor or world.dora
    arguments: dict[str, Any] = {
        "actor": actor,
        "kind": MeetingKind.CONSULTATION,
        "title": "港区项目用地协调会",
        "date": DAY,
        "convening_unit": actor.role_assignments.get().org_unit,
        "place": "区发改局3楼会议室",
        "chair_name": "王强（区发改局局长）",
        "attendee_users": [world.rita],
        "attendee_lines": [("黄岛区自然资源局", "张伟")],
        "minutes": "会议研究了港区项目用地问题。",
    }
    arguments.update(overrides)
    return services.create_meeting(**arguments)


def on_agenda(world: Any, meeting: Meeting, problem: Problem) -> Problem:
    services.add_agenda_problem(actor=meeting.convened_by, meeting=meeting, problem=problem)
    return problem


# ----------------------------------------------------------------------------- decisions


def test_a_decision_that_assigns_moves_the_problem_to_assigned(world: Any) -> None:
    meeting = convene(world)
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    decision = services.record_decision(
        actor=world.dora,
        meeting=meeting,
        problem=problem,
        outcome=DecisionOutcome.ASSIGN,
        text="由市住建局牵头，协调用地指标。",
        department=world.housing_bureau,
        handler=world.hank,
        deadline=dt.date(2026, 11, 20),
    )
    problem.refresh_from_db()
    assert (problem.status, problem.assigned_department, problem.handler, problem.deadline) == (
        ProblemStatus.ASSIGNED,
        world.housing_bureau,
        world.hank,
        dt.date(2026, 11, 20),
    )
    assert (decision.department, decision.handler, decision.deadline) == (
        world.housing_bureau,
        world.hank,
        dt.date(2026, 11, 20),
    )
    comment = ProblemComment.objects.get(problem=problem)
    assert comment.author == world.dora
    assert "港区项目用地协调会" in comment.text and "2026-11-05" in comment.text
    assert "由市住建局牵头，协调用地指标。" in comment.text and "2026-11-20" in comment.text
    assert AuditEvent.objects.filter(
        object_type="supervision.meetingdecision", parent_id=str(meeting.pk)
    ).exists()


def test_an_assignment_without_a_deadline_takes_the_levels_default(world: Any) -> None:
    meeting = convene(world)
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    services.record_decision(
        actor=world.dora, meeting=meeting, problem=problem, outcome=DecisionOutcome.ASSIGN,
        text="交市住建局办理。", department=world.housing_bureau,
    )  # fmt: skip
    # A district-level problem: 10 working days after Thursday 5 November.
    assert Problem.objects.get(pk=problem.pk).deadline == dt.date(2026, 11, 19)


def test_a_decision_that_resolves_moves_the_problem_to_resolved(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.IN_PROGRESS)  # assigned to 市住建局, hank
    meeting = convene(world, world.hank, attendee_users=[world.rita, world.dora])
    on_agenda(world, meeting, problem)
    assert DecisionOutcome.RESOLVE in services.outcomes_open_to(world.hank, problem)
    services.record_decision(
        actor=world.hank, meeting=meeting, problem=problem, outcome=DecisionOutcome.RESOLVE,
        text="经会商，用地指标已下达。", resolution="市自然资源局已下达二期用地指标。",
    )  # fmt: skip
    problem.refresh_from_db()
    assert (problem.status, problem.resolution) == (
        ProblemStatus.RESOLVED,
        "市自然资源局已下达二期用地指标。",
    )
    assert MeetingDecision.objects.get().resolution == "市自然资源局已下达二期用地指标。"


@pytest.mark.parametrize(
    ("status", "convener", "outcome", "message"),
    [
        # Only a handler of the assigned department reports a problem resolved.
        (ProblemStatus.IN_PROGRESS, "dora", DecisionOutcome.RESOLVE, "handler|经办"),
        # A problem must be in progress before it can be resolved.
        (ProblemStatus.ASSIGNED, "hank", DecisionOutcome.RESOLVE, "no such step|没有这一步"),
        # Only the dispatcher assigns and escalates.
        (ProblemStatus.IN_PROGRESS, "hank", DecisionOutcome.ASSIGN, "dispatcher|调度员"),
        (ProblemStatus.IN_PROGRESS, "hank", DecisionOutcome.ESCALATE, "dispatcher|调度员"),
    ],
)
def test_a_decision_the_workflow_does_not_allow_writes_nothing(
    world: Any, status: str, convener: str, outcome: str, message: str
) -> None:
    problem = problem_in(world, status)
    meeting = convene(world, getattr(world, convener))
    on_agenda(world, meeting, problem)
    assert outcome not in services.outcomes_open_to(meeting.convened_by, problem)
    with assert_nothing_written(Problem, MeetingDecision, ProblemComment, AuditEvent):
        with pytest.raises(ValidationError, match=message) as refused:
            services.record_decision(
                actor=meeting.convened_by, meeting=meeting, problem=problem, outcome=outcome,
                text="会议议定。", department=world.housing_bureau, resolution="已解决。",
            )  # fmt: skip
        assert "outcome" in refused.value.message_dict


def test_a_refusal_under_the_problems_own_checks_writes_nothing(world: Any) -> None:
    """The handler must belong to the department: the problem ledger's check, on the form."""
    meeting = convene(world)
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    with assert_nothing_written(Problem, MeetingDecision, ProblemComment, AuditEvent):
        with pytest.raises(ValidationError) as refused:
            services.record_decision(
                actor=world.dora, meeting=meeting, problem=problem, outcome=DecisionOutcome.ASSIGN,
                text="交办。", department=world.housing_bureau, handler=world.rita,
            )  # fmt: skip
        assert "handler" in refused.value.message_dict


def test_escalation_goes_one_level_and_stops_at_the_joint_meeting(world: Any) -> None:
    meeting = convene(world)
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.ASSIGNED))
    decision = services.record_decision(
        actor=world.dora, meeting=meeting, problem=problem, outcome=DecisionOutcome.ESCALATE,
        text="区级难以协调，提请市级研究。",
    )  # fmt: skip
    assert decision.level == ProblemLevel.CITY
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.ASSIGNED
    joint = convene(world, world.alice, kind=MeetingKind.JOINT_MEETING, title="联席会议")
    on_agenda(world, joint, problem)
    services.record_decision(
        actor=world.alice, meeting=joint, problem=problem, outcome=DecisionOutcome.ESCALATE,
        text="提请联席会议。",
    )  # fmt: skip
    assert Problem.objects.get(pk=problem.pk).level == ProblemLevel.JOINT_MEETING
    third = convene(world, world.alice, title="再次会商")
    on_agenda(world, third, problem)
    problem.refresh_from_db()
    assert services.outcomes_open_to(world.alice, problem) == [
        DecisionOutcome.ASSIGN,
        DecisionOutcome.WATCH,
    ]
    with pytest.raises(ValidationError, match=r"highest level|最高层级"):
        services.record_decision(
            actor=world.alice, meeting=third, problem=problem,
            outcome=DecisionOutcome.ESCALATE, text="再提级。",
        )  # fmt: skip


def test_keeping_watch_leaves_the_problem_and_comments(world: Any) -> None:
    meeting = convene(world)
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.IN_PROGRESS))
    services.record_decision(
        actor=world.dora, meeting=meeting, problem=problem, outcome=DecisionOutcome.WATCH,
        text="持续跟踪，下次会商再议。",
    )  # fmt: skip
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.IN_PROGRESS
    assert "持续跟踪，下次会商再议。" in ProblemComment.objects.get(problem=problem).text


def test_one_decision_per_problem_by_the_convener_only(world: Any) -> None:
    meeting = convene(world)
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    with pytest.raises(PermissionDenied):
        services.record_decision(
            actor=world.alice, meeting=meeting, problem=problem,
            outcome=DecisionOutcome.WATCH, text="跟踪。",
        )  # fmt: skip
    arguments: dict[str, Any] = {
        "meeting": meeting,
        "problem": problem,
        "outcome": "watch",
        "text": "跟踪。",
    }
    with pytest.raises(ValidationError, match=r"Write|写明"):
        services.record_decision(actor=world.dora, **{**arguments, "text": " "})
    services.record_decision(actor=world.dora, **arguments)
    with pytest.raises(ValidationError):
        services.record_decision(actor=world.dora, **arguments)
    with pytest.raises(ValidationError):
        services.remove_agenda_problem(actor=world.dora, meeting=meeting, problem=problem)
    other = problem_in(world, ProblemStatus.REPORTED, project="p6")
    with pytest.raises(ValidationError, match=r"agenda|议程"):
        services.record_decision(actor=world.dora, **{**arguments, "problem": other})
    assert MeetingDecision.objects.count() == 1


# ----------------------------------------------------------------------------- the agenda


def test_the_agenda_takes_open_problems_the_convener_sees(world: Any) -> None:
    meeting = convene(world)
    laoshan = problem_services.raise_problem(
        actor=world.bob, project=world.projects["p3"], category="funding", title="资金未到位"
    )
    resolved = problem_in(world, ProblemStatus.RESOLVED)
    with pytest.raises(PermissionDenied):
        on_agenda(world, meeting, laoshan)
    with pytest.raises(ValidationError, match=r"open|未办结"):
        on_agenda(world, meeting, resolved)
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    with pytest.raises(ValidationError):
        on_agenda(world, meeting, problem)
    with pytest.raises(PermissionDenied):
        services.add_agenda_problem(actor=world.alice, meeting=meeting, problem=problem)
    candidates = selectors.agenda_candidates(world.dora, meeting)
    assert problem not in candidates and laoshan not in candidates
    services.remove_agenda_problem(actor=world.dora, meeting=meeting, problem=problem)
    assert list(meeting.agenda.all()) == []
    assert problem in selectors.agenda_candidates(world.dora, meeting)


@pytest.mark.parametrize(
    ("who", "overrides", "error"),
    [
        ("rita", {}, PermissionDenied),
        ("hank", {"kind": MeetingKind.JOINT_MEETING}, ValidationError),
        ("dora", {"title": "  "}, ValidationError),
        ("dora", {"kind": "party"}, ValidationError),
        ("dora", {"chair_name": "王强", "chair": "leo"}, ValidationError),
    ],
)
def test_bad_meetings_are_refused(
    world: Any, who: str, overrides: dict[str, Any], error: Any
) -> None:
    user = getattr(world, who)
    if overrides.get("chair") == "leo":
        overrides["chair"] = world.leo.person
    if who == "rita":
        overrides["convening_unit"] = world.unit_a
    with assert_nothing_written(Meeting, AuditEvent), pytest.raises(error):
        convene(world, user, **overrides)
    assert Meeting.objects.count() == 0


def test_a_dispatcher_cannot_convene_for_another_region(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        convene(world, world.dora, convening_unit=world.laoshan)


def test_the_attendees_are_the_accounts_then_the_typed_lines(world: Any) -> None:
    meeting = convene(world)
    assert [(a.unit, a.name, a.user) for a in meeting.attendees.all()] == [
        ("青岛港湾建设有限公司", "Rita", world.rita),
        ("黄岛区自然资源局", "张伟", None),
    ]
    services.update_meeting(
        actor=world.dora, meeting=meeting, kind=meeting.kind, title=meeting.title,
        date=meeting.date, convening_unit=meeting.convening_unit, chair=world.leo.person,
        attendee_lines=[("", "李明")], minutes="纪要已定稿。",
    )  # fmt: skip
    meeting.refresh_from_db()
    assert (meeting.chair_label, meeting.minutes) == ("李利（副市长）", "纪要已定稿。")
    assert [a.name for a in meeting.attendees.all()] == ["李明"]
    with pytest.raises(PermissionDenied):
        services.update_meeting(
            actor=world.alice, meeting=meeting, kind=meeting.kind, title="改",
            date=meeting.date, convening_unit=world.city,
        )  # fmt: skip


# ----------------------------------------------------------------------------- who sees


def test_each_persona_sees_the_meetings_of_their_scope(world: Any) -> None:
    district = convene(world)  # dora for 黄岛区, rita attends
    department = convene(world, world.hank, title="住建局会商", attendee_users=[])
    city = convene(
        world, world.alice, kind=MeetingKind.JOINT_MEETING, title="联席会议", attendee_users=[]
    )
    seen = {
        name: sorted(m.title for m in selectors.meetings_visible_to(getattr(world, name)))
        for name in ("alice", "dora", "hank", "rita", "bob", "lena", "leo", "auditor")
    }
    assert seen == {
        "alice": sorted([district.title, department.title, city.title]),
        "dora": [district.title],
        "hank": [department.title],
        "rita": [district.title],
        "bob": [],
        "lena": [],
        "leo": [],
        "auditor": [],
    }
    counted: Any = selectors.meetings_visible_to(world.alice).get(pk=district.pk)
    assert (counted.agenda_count, counted.decided_count) == (0, 0)
