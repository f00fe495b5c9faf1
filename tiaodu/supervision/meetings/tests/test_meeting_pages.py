"""The meeting pages as each persona sees them: the list, the meeting form, and one meeting
with its agenda and decision forms; 404 outside scope, and bad input changes nothing.

Personas: dora convenes for 黄岛区; alice (city) sees dora's meetings but does not change
them; hank convenes consultations for 市住建局; rita attends dora's consultation; bob and
lena (崂山区) and the auditor see none of them.
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from tiaodu.core.models import AuditEvent
from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.supervision.meetings.choices import DecisionOutcome, MeetingKind
from tiaodu.supervision.meetings.models import Meeting, MeetingAttendee, MeetingDecision
from tiaodu.supervision.meetings.tests.test_meetings import convene, on_agenda
from tiaodu.testing import assert_nothing_written, problem_in

# What a refused meeting action must leave as it was.
WRITTEN = (Meeting, MeetingAttendee, MeetingDecision, Problem, ProblemComment, AuditEvent)
LIST = "/supervision/meetings/"
NEW = "/supervision/meetings/new/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _titles(html: str) -> list[str]:
    return re.findall(r'data-testid="meeting-title">([^<]+)<', html)


@pytest.fixture
def meetings(world: Any) -> dict[str, Meeting]:
    return {
        "district": convene(world),
        "department": convene(world, world.hank, title="住建局会商", attendee_users=[]),
        "city": convene(
            world, world.alice, kind=MeetingKind.JOINT_MEETING, title="重大项目联席会议",
            attendee_users=[],
        ),
    }  # fmt: skip


def _meeting_form(world: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": MeetingKind.CONSULTATION,
        "title": "港区项目用地协调会",
        "date": "2026-11-05",
        "place": "区发改局3楼会议室",
        "chair_name": "王强（区发改局局长）",
        "attendee_users": [world.rita.pk],
        "attendee_lines": "黄岛区自然资源局 张伟\n区财政局，李娜",
        "minutes": "会议研究了港区项目用地问题。",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# ----------------------------------------------------------------------------- the list


def test_each_persona_lists_the_meetings_of_their_scope(
    world: Any, meetings: dict[str, Meeting]
) -> None:
    seen = {
        name: sorted(_titles(_client(getattr(world, name)).get(LIST).content.decode()))
        for name in ("alice", "dora", "hank", "rita", "bob", "lena")
    }
    assert seen == {
        "alice": sorted(["港区项目用地协调会", "住建局会商", "重大项目联席会议"]),
        "dora": ["港区项目用地协调会"],
        "hank": ["住建局会商"],
        "rita": ["港区项目用地协调会"],
        "bob": [],
        "lena": [],
    }
    assert _client(world.auditor).get(LIST).status_code == 404
    assert Client().get(LIST).status_code == 302
    alice = _client(world.alice)
    assert _titles(alice.get(LIST, {"kind": "joint_meeting"}).content.decode()) == [
        "重大项目联席会议"
    ]
    assert _titles(alice.get(LIST, {"kind": "party"}).content.decode()) == []
    assert 'data-testid="new-meeting"' in alice.get(LIST).content.decode()
    assert 'data-testid="new-meeting"' not in _client(world.rita).get(LIST).content.decode()


# ----------------------------------------------------------------------------- the form


def test_conveners_open_the_form_and_others_get_404(world: Any) -> None:
    for name in ("dora", "hank", "alice"):
        assert _client(getattr(world, name)).get(NEW).status_code == 200
    for name in ("rita", "leo", "sam", "auditor"):
        assert _client(getattr(world, name)).get(NEW).status_code == 404


def test_recording_a_meeting_keeps_accounts_and_typed_attendees(world: Any) -> None:
    response = _client(world.dora).post(NEW, _meeting_form(world))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/meetings/{meeting.pk}/"
    assert (meeting.convened_by, meeting.convening_unit) == (world.dora, world.huangdao)
    assert [(a.unit, a.name) for a in meeting.attendees.all()] == [
        ("青岛港湾建设有限公司", "Rita"),
        ("黄岛区自然资源局", "张伟"),
        ("区财政局", "李娜"),
    ]


@pytest.mark.parametrize(
    ("who", "overrides", "field"),
    [
        ("dora", {"title": " "}, "title"),
        ("dora", {"date": "11月5日"}, "date"),
        ("dora", {"attendee_lines": "单位 " + "名" * 51}, "attendee_lines"),
        ("dora", {"chair": "leo"}, "chair_name"),
        ("dora", {"convening_unit": "laoshan"}, "convening_unit"),
        ("hank", {"kind": MeetingKind.JOINT_MEETING}, "kind"),
    ],
)
def test_bad_meetings_show_the_form_again_and_write_nothing(
    world: Any, who: str, overrides: dict[str, Any], field: str
) -> None:
    if overrides.get("chair") == "leo":
        overrides["chair"] = world.leo.person.pk
    if overrides.get("convening_unit") == "laoshan":
        overrides["convening_unit"] = world.laoshan.pk
    with assert_nothing_written(*WRITTEN):
        response = _client(getattr(world, who)).post(NEW, _meeting_form(world, **overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert 'data-testid="form-errors"' in response.content.decode()


def test_only_the_convener_edits(world: Any, meetings: dict[str, Meeting]) -> None:
    meeting = meetings["district"]
    url = f"/supervision/meetings/{meeting.pk}/edit/"
    assert _client(world.dora).get(url).status_code == 200
    for name in ("alice", "rita", "bob"):
        assert _client(getattr(world, name)).get(url).status_code == 404
    data = _meeting_form(world, minutes="纪要：由市住建局牵头。", attendee_users=None)
    assert _client(world.dora).post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "纪要：由市住建局牵头。"
    assert [a.name for a in meeting.attendees.all()] == ["张伟", "李娜"]


# ----------------------------------------------------------------------------- one meeting


def test_the_page_shows_the_meeting_to_those_in_scope(
    world: Any, meetings: dict[str, Meeting]
) -> None:
    meeting = meetings["district"]
    on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    url = f"/supervision/meetings/{meeting.pk}/"
    dora = _client(world.dora).get(url).content.decode()
    assert "用地指标未落实" in dora and "黄岛区自然资源局" in dora
    assert 'data-testid="decision-form"' in dora and 'id="add-problems"' in dora
    for name in ("alice", "rita"):
        html = _client(getattr(world, name)).get(url).content.decode()
        assert "用地指标未落实" in html and "会议研究了港区项目用地问题。" in html
        assert 'data-testid="decision-form"' not in html and 'id="add-problems"' not in html
    for name in ("bob", "lena", "hank", "auditor"):
        assert _client(getattr(world, name)).get(url).status_code == 404
    assert _client(world.alice).get("/supervision/meetings/999999/").status_code == 404


def test_the_convener_adds_and_removes_agenda_problems(
    world: Any, meetings: dict[str, Meeting]
) -> None:
    meeting = meetings["district"]
    problem = problem_in(world, ProblemStatus.REPORTED)
    laoshan = problem_services.raise_problem(
        actor=world.bob, project=world.projects["p3"], category="funding", title="资金未到位"
    )
    closed = problem_in(world, ProblemStatus.CLOSED, project="p6")
    add = f"/supervision/meetings/{meeting.pk}/agenda/"
    html = _client(world.dora).get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert f'name="problem" value="{problem.pk}"' in html
    assert f'name="problem" value="{closed.pk}"' not in html
    with assert_nothing_written(*WRITTEN):
        assert _client(world.dora).post(add, {"problem": laoshan.pk}).status_code == 404
        assert _client(world.dora).post(add, {"problem": closed.pk}).status_code == 302
        assert _client(world.alice).post(add, {"problem": problem.pk}).status_code == 302
        assert _client(world.bob).post(add, {"problem": laoshan.pk}).status_code == 404
        assert _client(world.dora).post(add, {"problem": "x"}).status_code == 400
    assert list(meeting.agenda.all()) == []
    assert _client(world.dora).post(add, {"problem": problem.pk}).status_code == 302
    assert list(meeting.agenda.all()) == [problem]
    remove = f"/supervision/meetings/{meeting.pk}/agenda/{problem.pk}/remove/"
    assert _client(world.alice).post(remove).status_code == 302
    assert list(meeting.agenda.all()) == [problem]
    assert _client(world.dora).post(remove).status_code == 302
    assert list(meeting.agenda.all()) == []


def _decide(meeting: Meeting, problem: Problem, user: Any, **fields: Any) -> Any:
    prefix = f"decide-{problem.pk}"
    data = {f"{prefix}-{key}": value for key, value in fields.items()}
    url = f"/supervision/meetings/{meeting.pk}/agenda/{problem.pk}/decide/"
    return _client(user).post(url, data)


def test_a_decision_from_the_page_assigns_the_problem(
    world: Any, meetings: dict[str, Meeting]
) -> None:
    meeting = meetings["district"]
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    response = _decide(
        meeting, problem, world.dora, outcome="assign", text="由市住建局牵头协调。",
        department=world.housing_bureau.pk, handler=world.hank.pk, deadline="2026-11-20",
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith(f"#problem-{problem.pk}")
    problem.refresh_from_db()
    assert (problem.status, problem.assigned_department, problem.handler, problem.deadline) == (
        ProblemStatus.ASSIGNED,
        world.housing_bureau,
        world.hank,
        dt.date(2026, 11, 20),
    )
    html = _client(world.alice).get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="decision"' in html and "由市住建局牵头协调。" in html


def test_the_handlers_consultation_resolves_its_problem(
    world: Any, meetings: dict[str, Meeting]
) -> None:
    problem = problem_in(world, ProblemStatus.IN_PROGRESS)
    meeting = meetings["department"]
    on_agenda(world, meeting, problem)
    html = _client(world.hank).get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert 'value="resolve"' in html and 'value="assign"' not in html
    response = _decide(
        meeting, problem, world.hank, outcome="resolve", text="用地指标已下达。",
        resolution="市自然资源局已下达用地指标。",
    )  # fmt: skip
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.RESOLVED


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        # The problem ledger leaves resolving to the department's handler: not offered.
        ({"outcome": "resolve", "text": "已解决。", "resolution": "已解决。"}, "outcome"),
        ({"outcome": "assign", "text": "交办。"}, "department"),
        (
            {"outcome": "assign", "text": "交办。", "department": "housing", "handler": "rita"},
            "handler",
        ),
        ({"outcome": "assign", "text": " ", "department": "housing"}, "text"),
        ({"outcome": "watch", "text": "跟踪。", "deadline": "下周"}, "deadline"),
    ],
)
def test_a_bad_or_illegal_decision_shows_the_form_again_and_writes_nothing(
    world: Any, meetings: dict[str, Meeting], fields: dict[str, Any], error_field: str
) -> None:
    meeting = meetings["district"]
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.IN_PROGRESS))
    if fields.get("department") == "housing":
        fields["department"] = world.housing_bureau.pk
    if fields.get("handler") == "rita":
        fields["handler"] = world.rita.pk
    with assert_nothing_written(*WRITTEN):
        response = _decide(meeting, problem, world.dora, **fields)
        assert response.status_code == 200
        form = next(item["form"] for item in response.context["items"] if item["form"])
        assert error_field in form.errors
        assert 'data-testid="form-errors"' in response.content.decode()


def test_only_the_convener_decides_and_only_on_the_agenda(
    world: Any, meetings: dict[str, Meeting]
) -> None:
    meeting = meetings["district"]
    problem = on_agenda(world, meeting, problem_in(world, ProblemStatus.REPORTED))
    other = problem_in(world, ProblemStatus.REPORTED, project="p6")
    with assert_nothing_written(*WRITTEN):
        assert (
            _decide(meeting, problem, world.alice, outcome="watch", text="跟踪。").status_code
            == 302
        )
        assert (
            _decide(meeting, other, world.dora, outcome="watch", text="跟踪。").status_code == 404
        )
        assert (
            _decide(meeting, problem, world.bob, outcome="watch", text="跟踪。").status_code == 404
        )
    assert _decide(meeting, problem, world.dora, outcome="watch", text="跟踪。").status_code == 302
    assert MeetingDecision.objects.get().outcome == DecisionOutcome.WATCH
    html = _client(world.dora).get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="decision-form"' not in html and 'data-testid="remove-problem"' not in html


def test_the_menu_offers_meetings_to_conveners_and_leaders(world: Any) -> None:
    from tiaodu.accounts.navigation import menu_for

    for name, expected in [
        ("alice", True), ("dora", True), ("hank", True), ("leo", True),
        ("rita", False), ("sam", False), ("auditor", False),
    ]:  # fmt: skip
        names = [item.url_name for item in menu_for(getattr(world, name))]
        assert ("supervision:meetings" in names) is expected, name
