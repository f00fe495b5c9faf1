"""The instruction pages as each persona sees them: writing from the project page, the
problem page and the notice page; one instruction with the steps the reader may take; the
list and the inbox; the home panels; the API. Out of reach is a 404.

Personas: tests/conftest.py (leo writes on p1, routed to unit A: rita answers; dora and alice
follow; lena and bob do not see it).
"""

from typing import Any

import pytest
from django.test import Client

from tiaodu.problems.choices import ProblemStatus
from tiaodu.supervision.instructions import services
from tiaodu.supervision.instructions.choices import InstructionStatus
from tiaodu.supervision.instructions.models import Instruction, InstructionEntry
from tiaodu.supervision.instructions.tests.conftest import TEXT, write
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import assert_nothing_written, problem_in

LIST = "/supervision/instructions/"
INBOX = "/supervision/instructions/inbox/"
NEW = "/supervision/instructions/new/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_leader_writes_from_the_project_tab(world: Any) -> None:
    p1 = world.projects["p1"]
    leo = _client(world.leo)
    tab = leo.get(f"{p1.get_absolute_url()}?tab=instructions").content.decode()
    assert f'href="{NEW}?on=project&amp;id={p1.pk}"' in tab
    form = leo.get(f"{NEW}?on=project&id={p1.pk}")
    assert form.context["form"].initial["unit"] == world.unit_a.pk
    response = leo.post(
        f"{NEW}?on=project&id={p1.pk}", {"text": TEXT, "unit": world.unit_a.pk, "deadline": ""}
    )
    instruction = Instruction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/instructions/{instruction.pk}/"
    tab = leo.get(f"{p1.get_absolute_url()}?tab=instructions").content.decode()
    assert 'data-testid="instruction-row"' in tab
    # Another leader's reader of the project sees the tab without the instruction.
    dora_tab = _client(world.dora).get(f"{p1.get_absolute_url()}?tab=instructions")
    assert 'data-testid="instruction-row"' in dora_tab.content.decode()
    assert 'data-testid="write-instruction"' not in dora_tab.content.decode()


def test_a_bad_form_writes_nothing(world: Any) -> None:
    p1 = world.projects["p1"]
    with assert_nothing_written(Instruction):
        response = _client(world.leo).post(
            f"{NEW}?on=project&id={p1.pk}", {"text": "", "unit": world.unit_a.pk}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["text"]


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("lena", "on=project&id={p1}"),  # not hers
        ("dora", "on=project&id={p1}"),  # dispatchers write no instruction
        ("leo", "on=bulletin&id={p1}"),  # no such kind registered
        ("leo", "on=project&id=999999"),
    ],
)
def test_the_form_is_404_out_of_reach(world: Any, who: str, query: str) -> None:
    url = f"{NEW}?{query.format(p1=world.projects['p1'].pk)}"
    assert _client(getattr(world, who)).get(url).status_code == 404


def test_problem_and_notice_pages_show_the_box(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    # An assigned leader opens a notice's page as its sponsoring leader (the notices' scope).
    notice = issue(world, sponsoring_leader=world.leo.person)
    leo = _client(world.leo)
    page = leo.get(f"/problems/{problem.pk}/").content.decode()
    assert f"{NEW}?on=problem&amp;id={problem.pk}" in page
    write(world, on=problem)
    page = _client(world.hank).get(f"/problems/{problem.pk}/").content.decode()
    assert 'data-testid="instruction-row"' in page  # routed to 市住建局
    assert 'data-testid="write-instruction"' not in page
    page = leo.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert f"{NEW}?on=notice&amp;id={notice.pk}" in page
    # No instruction to read and none to write: no box.
    page = _client(world.alice).get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'data-testid="instructions-box"' not in page


def test_answer_then_close_on_the_page(world: Any) -> None:
    instruction = write(world)
    url = f"/supervision/instructions/{instruction.pk}/"
    rita = _client(world.rita)
    page = rita.get(url)
    assert page.context["answer_form"] is not None
    assert page.context["close_form"] is None
    assert rita.post(f"{url}answer/", {"text": "已落实。"}).status_code == 302
    leo = _client(world.leo)
    page = leo.get(url)
    assert page.context["close_form"] is not None
    assert page.context["send_back_form"] is not None
    assert page.context["answer_form"] is None
    assert leo.post(f"{url}close/", {"remark": ""}).status_code == 302
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.CLOSED


def test_a_refused_step_on_the_page_changes_nothing(world: Any) -> None:
    instruction = write(world)
    url = f"/supervision/instructions/{instruction.pk}/"
    with assert_nothing_written(Instruction, InstructionEntry):
        response = _client(world.dora).post(f"{url}answer/", {"text": "代答"})
        assert response.status_code == 200
        assert response.context["answer_form"] is None
        response = _client(world.rita).post(f"{url}answer/", {"text": ""})
        assert response.context["answer_form"].errors["text"]


@pytest.mark.parametrize("who", ["lena", "bob", "hank", "sam", "auditor"])
def test_out_of_reach_is_404(world: Any, who: str) -> None:
    instruction = write(world)
    client = _client(getattr(world, who))
    assert client.get(f"/supervision/instructions/{instruction.pk}/").status_code == 404
    assert client.post(f"/supervision/instructions/{instruction.pk}/close/").status_code == 404


def test_the_leaders_list_puts_overdue_first(world: Any) -> None:
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 10, 9, 2, tzinfo=dt.UTC), tick=False):
        late = write(world, text="十月的批示")
    fresh = write(world)
    done = write(world, text="已办结")
    services.answer_instruction(actor=world.rita, instruction=done, text="好")
    services.close_instruction(actor=world.leo, instruction=done)
    page = _client(world.leo).get(LIST)
    assert [row.pk for row in page.context["page"]] == [late.pk, fresh.pk, done.pk]
    assert dict((name, n) for name, _label, n in page.context["states"]) == {
        "overdue": 1, "issued": 2, "answered": 0, "closed": 1,
    }  # fmt: skip
    overdue = _client(world.leo).get(f"{LIST}?state=overdue")
    assert [row.pk for row in overdue.context["page"]] == [late.pk]
    # The leader of 崂山区 has none of leo's.
    assert _client(world.lena).get(LIST).context["page"].paginator.count == 0


def test_the_inbox_and_who_opens_the_list(world: Any) -> None:
    instruction = write(world)
    assert _client(world.rita).get(LIST)["Location"] == INBOX
    inbox = _client(world.rita).get(INBOX)
    assert [row.pk for row in inbox.context["page"]] == [instruction.pk]
    assert _client(world.bob).get(INBOX).context["page"].paginator.count == 0
    assert _client(world.sam).get(LIST).status_code == 404
    assert _client(world.leo).get(INBOX).status_code == 404
    assert _client(world.dora).get(LIST).context["page"].paginator.count == 1


def test_home_panels(world: Any) -> None:
    write(world)
    write(world)
    home = _client(world.leo).get("/").content.decode()
    assert 'data-testid="home-instructions"' in home
    assert 'data-testid="instructions-count">2<' in home
    rita_home = _client(world.rita).get("/").content.decode()
    assert 'data-testid="home-instruction-inbox"' in rita_home
    assert 'data-testid="instructions-count">2<' in rita_home
    assert 'data-testid="home-instructions"' not in _client(world.dora).get("/").content.decode()


def test_api_lists_the_readers_instructions(world: Any) -> None:
    instruction = write(world)
    write(world, actor=world.lena, on=world.projects["p3"])
    body = _client(world.dora).get("/api/v1/instructions/").json()
    assert len(body["items"]) == 1 and body["next_cursor"] is None
    item = body["items"][0]
    assert item["id"] == instruction.pk
    assert item["subject_kind"] == "project"
    assert item["unit"] == world.unit_a.name
    assert item["status"] == "issued"
    assert item["overdue"] is False
    assert item["deadline"] == "2026-11-19"
    assert len(_client(world.alice).get("/api/v1/instructions/").json()["items"]) == 2
    assert _client(world.hank).get("/api/v1/instructions/").json()["items"] == []
    assert _client(world.alice).get("/api/v1/instructions/?status=closed").json()["items"] == []
    # Pages of one follow the cursor through both, overdue first.
    first = _client(world.alice).get("/api/v1/instructions/?limit=1").json()
    second = (
        _client(world.alice)
        .get(f"/api/v1/instructions/?limit=1&cursor={first['next_cursor']}")
        .json()
    )
    assert len(first["items"]) == len(second["items"]) == 1
    assert second["next_cursor"] is None
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {
        item["id"] for item in _client(world.alice).get("/api/v1/instructions/").json()["items"]
    }
    assert Client().get("/api/v1/instructions/").status_code == 401
