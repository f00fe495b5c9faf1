"""Attendees by name and position, and the minutes as Word and PDF in the official layout:
opened with python-docx and pdftotext, the fonts embedded, the download audited."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from docx import Document

from tiaodu.accounts.models import Person
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.problems.choices import ProblemStatus
from tiaodu.supervision.meetings import services
from tiaodu.supervision.meetings.choices import DecisionOutcome
from tiaodu.supervision.meetings.forms import parse_attendee_lines
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.supervision.meetings.tests.test_meetings import convene, on_agenda
from tiaodu.testing import problem_in


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(world: Any) -> Meeting:
    Person.objects.update_or_create(user=world.rita, defaults={"name": "Rita", "title": "科长"})
    held = convene(
        world,
        attendee_lines=[("黄岛区自然资源局", "张伟", "副局长"), ("区财政局", "李娜")],
    )
    problem = on_agenda(world, held, problem_in(world, ProblemStatus.REPORTED))
    services.record_decision(
        actor=world.dora,
        meeting=held,
        problem=problem,
        outcome=DecisionOutcome.ASSIGN,
        text="由市住建局牵头，协调用地指标。",
        department=world.housing_bureau,
        handler=world.hank,
        deadline=dt.date(2026, 11, 20),
    )
    return held


def test_typed_lines_give_unit_name_and_position() -> None:
    assert parse_attendee_lines("市财政局 李娜 副局长\n黄岛区自然资源局 张伟（科长）\n区交通局，王五\n赵六") == [
        ("市财政局", "李娜", "副局长"),
        ("黄岛区自然资源局", "张伟", "科长"),
        ("区交通局", "王五", ""),
        ("", "赵六", ""),
    ]  # fmt: skip


def test_the_page_names_each_attendee_by_name_and_position(world: Any, meeting: Meeting) -> None:
    html = _client(world.dora).get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert "张伟（副局长）" in html and "Rita（科长）" in html and ">李娜 <" in html
    assert f"/supervision/meetings/{meeting.pk}/minutes.docx" in html


def test_the_minutes_as_word(world: Any, meeting: Meeting) -> None:
    response = _client(world.alice).get(f"/supervision/meetings/{meeting.pk}/minutes.docx")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert f'filename="minutes-{meeting.pk}.docx"' in disposition
    assert quote("会议纪要-港区项目用地协调会-2026-11-05.docx") in disposition
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    # A title that ends in 会 is not followed by the kind again.
    assert "港区项目用地协调会纪要" in text
    assert "黄岛区自然资源局 张伟（副局长）" in text and "Rita（科长）" in text
    assert "由市住建局牵头，协调用地指标。" in text
    assert "2026年11月20日" in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == world.alice and event.object_id == str(meeting.pk)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_minutes_as_pdf_with_embedded_fonts(
    world: Any, meeting: Meeting, tmp_path: Path
) -> None:
    response = _client(world.dora).get(f"/supervision/meetings/{meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = text.replace("\n", "")
    assert "港区项目用地协调会" in flat and "张伟（副局长）" in flat
    assert "由市住建局牵头，协调用地指标。" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("yes" in row[-5:-2] for row in rows)


def test_outside_the_meeting_s_scope_there_are_no_minutes(world: Any, meeting: Meeting) -> None:
    for suffix in ("docx", "pdf"):
        url = f"/supervision/meetings/{meeting.pk}/minutes.{suffix}"
        assert _client(world.bob).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
