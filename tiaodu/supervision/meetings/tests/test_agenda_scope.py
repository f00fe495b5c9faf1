"""An attendee sees the agenda problems of its own scope in full and the others only as a
count, on the meeting's page and in its minutes; the dispatcher who runs it sees them all."""

import io
import subprocess
from typing import Any

import pytest
from django.test import Client
from docx import Document

from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemCategory, ProblemStatus
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.supervision.meetings.tests.test_meetings import convene, on_agenda
from tiaodu.testing import problem_in

HIDDEN = (("拆迁补偿未谈妥", "东侧地块三户未签约。"), ("施工许可延迟", "消防审查意见待复核。"))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(world: Any) -> Meeting:
    """dora's meeting, hank attending: one problem assigned to hank's 市住建局, two of p1
    and p6 still with the district (hank's problem pages for them are 404)."""
    held = convene(world, attendee_users=[world.rita, world.hank])
    on_agenda(world, held, problem_in(world, ProblemStatus.ASSIGNED))
    for (title, description), project in zip(HIDDEN, ("p1", "p6"), strict=True):
        problem = problem_services.raise_problem(
            actor=world.rita,
            project=world.projects[project],
            category=ProblemCategory.LAND,
            title=title,
            description=description,
        )
        on_agenda(world, held, problem)
    return held


def test_hank_opens_only_the_problem_of_his_department(world: Any, meeting: Meeting) -> None:
    codes = {
        problem.title: _client(world.hank).get(f"/problems/{problem.pk}/").status_code
        for problem in meeting.agenda.all()
    }
    assert codes == {"用地指标未落实": 200, "拆迁补偿未谈妥": 404, "施工许可延迟": 404}


def test_an_attendee_sees_its_own_problems_and_counts_the_others(
    world: Any, meeting: Meeting
) -> None:
    html = _client(world.hank).get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert "用地指标未落实" in html and "二期用地指标尚未下达。" in html
    for title, description in HIDDEN:
        assert title not in html and description not in html
    assert world.projects["p6"].name not in html
    assert html.count('data-testid="agenda-item"') == 1
    assert "另有 2 项不在您的范围内" in html


def test_the_dispatcher_sees_the_whole_agenda(world: Any, meeting: Meeting) -> None:
    html = _client(world.dora).get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert html.count('data-testid="agenda-item"') == 3
    for title, description in HIDDEN:
        assert title in html and description in html
    assert "不在您的范围内" not in html


def test_the_attendees_minutes_leave_the_others_out(world: Any, meeting: Meeting) -> None:
    response = _client(world.hank).get(f"/supervision/meetings/{meeting.pk}/minutes.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "一、用地指标未落实" in text
    assert "另有 2 项不在您的范围内" in text
    for title, _description in HIDDEN:
        assert title not in text
    pdf = _client(world.hank).get(f"/supervision/meetings/{meeting.pk}/minutes.pdf").content
    pdf_text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "另有 2 项不在您的范围内" in pdf_text.replace("\n", "")
    for title, _description in HIDDEN:
        assert title not in pdf_text


def test_the_dispatchers_minutes_name_every_problem(world: Any, meeting: Meeting) -> None:
    response = _client(world.dora).get(f"/supervision/meetings/{meeting.pk}/minutes.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "一、用地指标未落实" in text and "二、拆迁补偿未谈妥" in text
    assert "三、施工许可延迟" in text
    assert "不在您的范围内" not in text


def test_the_list_finds_a_meeting_only_by_the_agenda_problems_in_scope(
    world: Any, meeting: Meeting
) -> None:
    def found(user: Any, text: str) -> bool:
        html = _client(user).get("/supervision/meetings/", {"q": text}).content.decode()
        return f"/supervision/meetings/{meeting.pk}/" in html

    assert found(world.hank, "用地指标") and found(world.dora, "拆迁补偿")
    # hank cannot tell from the list which hidden problems the meeting discussed.
    assert not found(world.hank, "拆迁补偿") and not found(world.hank, "施工许可")
    assert not found(world.hank, world.projects["p6"].name)
