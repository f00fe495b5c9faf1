"""A notice addressed also to the head (班长) of a task force of its projects (DOMAIN.md §8):
the form offers the heads, the service refuses anybody else, the page and the Word document
name the head."""

import io
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tiaodu.accounts import services as account_services
from tiaodu.core.models import AuditEvent, Notification
from tiaodu.projects import services as project_services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.notices.selectors import notices_visible_to
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import assert_nothing_written, make_user

NEW = "/supervision/notices/new/"


@pytest.fixture
def heads(world: Any) -> dict[str, Any]:
    """王班长 heads the task force of p1; 崔班长 that of p3 (崂山区)."""
    found = {}
    for name, key, force in (("王班长", "p1", "码头专班"), ("崔班长", "p3", "科创园专班")):
        head = account_services.create_person(actor=None, name=name)
        project_services.save_task_force(
            actor=world.alice, name=force, head=head, projects=[world.projects[key]]
        )
        found[key] = head
    return found


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_offers_the_heads_and_a_project_link_proposes_its_own(
    world: Any, heads: dict[str, Any]
) -> None:
    html = _client(world.dora).get(NEW, {"project": world.projects["p1"].pk}).content.decode()
    assert "抄送专班班长" in html and "王班长（码头专班）" in html
    # dora's regions hold no project of 崔班长's task force.
    assert "崔班长" not in html
    assert f'<option value="{heads["p1"].pk}" selected>' in html


def test_a_notice_goes_to_the_head_shown_on_its_page_and_document(
    world: Any, heads: dict[str, Any]
) -> None:
    response = _client(world.dora).post(
        NEW,
        {
            "kind": NoticeKind.SUPERVISION_ORDER,
            "recipient_unit": world.unit_a.pk,
            "task_force_head": heads["p1"].pk,
            "projects": [world.projects["p1"].pk],
            "subject": "码头项目进度滞后",
            "body": "投资完成率低于时序进度。",
            "requirements": "制定整改方案。",
            "response_deadline": "2026-11-12",
            "confirm": "1",
        },
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.task_force_head == heads["p1"]
    page = _client(world.dora).get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'data-testid="notice-task-force-head">王班长<' in page
    document = docx.Document(
        io.BytesIO(_client(world.dora).get(f"/supervision/notices/{notice.pk}.docx").content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "主送：青岛港湾建设有限公司、王班长（专班班长）：" in text


def test_a_head_of_no_task_force_of_the_projects_is_refused(
    world: Any, heads: dict[str, Any]
) -> None:
    with assert_nothing_written(Notice, AuditEvent), pytest.raises(ValidationError) as caught:
        issue(world, task_force_head=heads["p3"])
    assert caught.value.message_dict["task_force_head"] == [
        "崔班长不是所涉项目任何专班的班长：请选择其中一个专班的班长，或不选。"
    ]
    # The form refuses a head it does not offer, and writes nothing.
    with assert_nothing_written(Notice, AuditEvent):
        response = _client(world.dora).post(
            NEW,
            {
                "kind": NoticeKind.SUPERVISION_ORDER,
                "recipient_unit": world.unit_a.pk,
                "task_force_head": heads["p3"].pk,
                "projects": [world.projects["p1"].pk],
                "subject": "码头项目进度滞后",
                "body": "投资完成率低于时序进度。",
                "response_deadline": "2026-11-12",
            },
        )
    assert response.status_code == 200


def test_a_head_who_signs_in_is_told_and_opens_the_notice(world: Any) -> None:
    tina = make_user("tina", None, None)
    head = account_services.create_person(actor=None, name="田班长", user=tina)
    project_services.save_task_force(
        actor=world.alice, name="物流园专班", head=head, projects=[world.projects["p6"]]
    )
    notice = issue(world, task_force_head=head)
    other = issue(world, projects=[world.projects["p6"]])
    assert list(notices_visible_to(tina)) == [notice]
    assert (
        Notification.objects.filter(recipient=tina, kind="supervision.notice_issued").count() == 1
    )
    assert _client(tina).get(f"/supervision/notices/{notice.pk}/").status_code == 200
    assert _client(tina).get(f"/supervision/notices/{other.pk}/").status_code == 404
