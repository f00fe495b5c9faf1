"""The notice pages as each persona sees them: the list and its filters, the issue form
(from the menu and from a project page), one notice with its response form and close
button, the project tab, the home panel and the menu.

Personas (tests/conftest.py): alice issues over the whole city, dora over 黄岛区 only;
rita answers for owner unit A (p1, p6 in 黄岛区); bob (unit B) and hank (市住建局) see
only their units' notices; leo is the sponsoring leader of p1; the auditor sees none.
"""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tiaodu.accounts.navigation import menu_for
from tiaodu.core.models import AuditEvent, Notification
from tiaodu.supervision.notices import services
from tiaodu.supervision.notices.choices import NoticeKind, NoticeStatus
from tiaodu.supervision.notices.models import Notice, NoticeCounter, NoticeResponse
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import assert_nothing_written

LIST = "/supervision/notices/"
NEW = "/supervision/notices/new/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _numbers(html: str) -> list[str]:
    return re.findall(r'data-testid="notice-number">([^<]+)<', html)


@pytest.fixture
def three(world: Any) -> list[Notice]:
    """督办〔2026〕1号 to unit A (p1, p6); 提醒〔2026〕1号 to unit B (p3); 警示〔2026〕1号 to
    市住建局 (p2) naming leo."""
    return [
        issue(world),
        issue(
            world,
            kind=NoticeKind.REMINDER,
            recipient_unit=world.unit_b,
            projects=[world.projects["p3"]],
            subject="崂山科创园一期开工滞后",
        ),
        issue(
            world,
            kind=NoticeKind.WARNING_LETTER,
            recipient_unit=world.housing_bureau,
            projects=[world.projects["p2"]],
            sponsoring_leader=world.leo.person,
            subject="安置房项目连续三个月红牌",
        ),
    ]


def _issue_form(world: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": NoticeKind.SUPERVISION_ORDER,
        "recipient_unit": world.unit_a.pk,
        "projects": [world.projects["p1"].pk, world.projects["p6"].pk],
        "subject": "港区项目投资进度滞后",
        "body": "两个项目连续两个月投资完成率低于时序进度。",
        "requirements": "制定整改方案。",
        "response_deadline": "2026-11-12",
        "confirm": "1",  # 确认签发 on the preview page
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# ---------------------------------------------------------------------------- the list


def test_each_persona_lists_the_notices_of_their_scope(world: Any, three: list[Notice]) -> None:
    seen = {
        name: _numbers(_client(getattr(world, name)).get(LIST).content.decode())
        for name in ("alice", "dora", "rita", "bob", "hank", "leo")
    }
    assert seen == {
        "alice": ["警示〔2026〕1号", "提醒〔2026〕1号", "督办〔2026〕1号"],
        "dora": ["警示〔2026〕1号", "督办〔2026〕1号"],
        "rita": ["督办〔2026〕1号"],
        "bob": ["提醒〔2026〕1号"],
        "hank": ["警示〔2026〕1号"],
        "leo": ["警示〔2026〕1号"],
    }
    assert _client(world.auditor).get(LIST).status_code == 404
    assert Client().get(LIST).status_code == 302


def test_a_row_shows_recipient_projects_dates_and_downloads(
    world: Any, three: list[Notice]
) -> None:
    html = _client(world.dora).get(LIST).content.decode()
    order = three[0]
    row = html[html.index(f'href="/supervision/notices/{order.pk}/"') :]
    row = row[: row.index("</tr>")]
    for text in ["青岛港湾建设有限公司", "黄岛港区集装箱码头三期", "港湾物流园仓储中心"]:
        assert text in row
    assert "2026-11-05" in row and "2026-11-12" in row
    assert f"/supervision/notices/{order.pk}.docx" in row
    assert f"/supervision/notices/{order.pk}.pdf" in row
    assert 'data-testid="issue-notice"' in html
    assert 'data-testid="issue-notice"' not in _client(world.rita).get(LIST).content.decode()


def test_filters_by_kind_status_overdue_and_year(world: Any, three: list[Notice]) -> None:
    alice = _client(world.alice)
    assert _numbers(alice.get(LIST, {"kind": "reminder"}).content.decode()) == ["提醒〔2026〕1号"]
    services.respond(actor=world.rita, notice=three[0], text="已整改", rectification_plan="月底")
    assert _numbers(alice.get(LIST, {"status": "answered"}).content.decode()) == ["督办〔2026〕1号"]
    assert _numbers(alice.get(LIST, {"q": "崂山"}).content.decode()) == ["提醒〔2026〕1号"]
    assert _numbers(alice.get(LIST, {"year": "2025"}).content.decode()) == []
    assert len(_numbers(alice.get(LIST, {"year": "2026"}).content.decode())) == 3
    assert _numbers(alice.get(LIST, {"overdue": "yes"}).content.decode()) == []
    # The reminder is due in 10 working days (19 November), the letter in 5 (12 November).
    with time_machine.travel(dt.datetime(2026, 11, 13, 2, tzinfo=dt.UTC), tick=False):
        alice = _client(world.alice)  # a new session: the old one timed out a week ago
        overdue = alice.get(LIST, {"overdue": "yes"}).content.decode()
        assert _numbers(overdue) == ["警示〔2026〕1号"]
        assert overdue.count('data-testid="notice-status"') == 1
        assert len(_numbers(alice.get(LIST, {"overdue": "no"}).content.decode())) == 2


def test_a_bad_filter_value_lists_nothing_and_says_so(world: Any, three: list[Notice]) -> None:
    response = _client(world.alice).get(LIST, {"kind": "memo"})
    assert response.status_code == 200
    assert _numbers(response.content.decode()) == []


# ---------------------------------------------------------------------------- issuing


def test_only_dispatchers_open_the_issue_form(world: Any) -> None:
    assert _client(world.alice).get(NEW).status_code == 200
    for name in ("rita", "hank", "leo", "auditor"):
        assert _client(getattr(world, name)).get(NEW).status_code == 404


def test_the_form_offers_the_dispatchers_projects_and_units(world: Any) -> None:
    html = _client(world.dora).get(NEW).content.decode()
    offered = set(re.findall(r'name="projects" value="(\d+)"', html))
    assert offered == {str(world.projects[key].pk) for key in ("p1", "p2", "p6")}
    # Unit A is in 黄岛区; 市住建局 is the responsible unit of p2; unit B is in 崂山区.
    assert "青岛港湾建设有限公司" in html and "青岛市住房和城乡建设局" in html
    assert "崂山科创发展有限公司" not in html
    # The proposed deadline is five working days ahead for an order (Thursday → Thursday).
    assert 'value="2026-11-12"' in html


def test_a_project_page_link_preselects_project_unit_and_leader(world: Any) -> None:
    p1 = world.projects["p1"]
    html = _client(world.dora).get(NEW, {"project": p1.pk}).content.decode()
    assert re.search(rf'name="projects" value="{p1.pk}" checked', html)
    assert re.search(rf'<option value="{world.unit_a.pk}" selected>', html)
    assert re.search(rf'<option value="{world.leo.person.pk}" selected>', html)
    assert _client(world.dora).get(NEW, {"project": world.projects["p3"].pk}).status_code == 404
    assert _client(world.dora).get(NEW, {"project": "x"}).status_code == 400


def test_issuing_numbers_the_notice_and_notifies_the_unit(world: Any) -> None:
    response = _client(world.dora).post(NEW, _issue_form(world))
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/notices/{notice.pk}/"
    assert notice.number_label == "督办〔2026〕1号"
    assert sorted(p.name for p in notice.projects.all()) == [
        "港湾物流园仓储中心",
        "黄岛港区集装箱码头三期",
    ]
    assert (notice.issued_by, notice.response_deadline) == (world.dora, dt.date(2026, 11, 12))
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["rita"]


def test_issue_first_shows_the_notice_as_it_will_be_issued_and_writes_nothing(
    world: Any,
) -> None:
    data = _issue_form(world, confirm=None)
    with assert_nothing_written(Notice, NoticeCounter, Notification, AuditEvent):
        response = _client(world.dora).post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="notice-preview"' in html
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in html  # the document whole, inside the frame
    # The official layout, as the PDF: the title, the recipient, the projects, no number yet.
    assert "关于港区项目投资进度滞后的督办单" in html and "督办〔2026〕　号" in html
    assert "主送：青岛港湾建设有限公司" in html and "港湾物流园仓储中心" in html
    # The preview's form carries everything back, and its 确认签发 issues.
    assert 'name="confirm"' in html and 'name="edit"' in html
    assert f'type="hidden" name="projects" value="{world.projects["p6"].pk}"' in html
    assert Notice.objects.count() == 0


def test_back_to_edit_shows_the_form_filled_and_writes_nothing(world: Any) -> None:
    with assert_nothing_written(Notice, NoticeCounter, Notification, AuditEvent):
        response = _client(world.dora).post(NEW, _issue_form(world, confirm=None, edit="1"))
    html = response.content.decode()
    assert 'id="notice-form"' in html and 'value="港区项目投资进度滞后"' in html


def test_the_preview_frame_styles_under_the_page_policy(world: Any) -> None:
    """The frame's document inherits the page's Content-Security-Policy: its <style> carries
    the nonce of the page's response, else the browser would show it unstyled."""
    response = _client(world.dora).post(NEW, _issue_form(world, confirm=None))
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce is not None
    assert f"&lt;style nonce=&quot;{nonce.group(1)}&quot;&gt;" in response.content.decode()


def test_confirming_from_the_preview_issues(world: Any) -> None:
    client = _client(world.dora)
    preview = client.post(NEW, _issue_form(world, confirm=None)).content.decode()
    fields = re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', preview)
    data: dict[str, Any] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data["confirm"] = "1"
    response = client.post(NEW, data)
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.number_label, notice.subject) == ("督办〔2026〕1号", "港区项目投资进度滞后")
    assert notice.projects.count() == 2


def test_the_leader_of_a_non_warning_notice_is_dropped(world: Any) -> None:
    _client(world.alice).post(NEW, _issue_form(world, sponsoring_leader=world.leo.person.pk))
    assert Notice.objects.get().sponsoring_leader is None


@pytest.mark.parametrize(
    ("who", "overrides", "field"),
    [
        ("alice", {"kind": NoticeKind.WARNING_LETTER}, "sponsoring_leader"),
        ("alice", {"projects": None}, "projects"),
        ("alice", {"subject": "  "}, "subject"),
        ("alice", {"response_deadline": "2026-11-05"}, "response_deadline"),
        ("alice", {"kind": "memo"}, "kind"),
        ("dora", {"projects": ["p3"]}, "projects"),
        ("dora", {"recipient_unit": "unit_b"}, "recipient_unit"),
    ],
)
def test_bad_input_shows_the_form_again_and_writes_nothing(
    world: Any, who: str, overrides: dict[str, Any], field: str
) -> None:
    if overrides.get("projects"):
        overrides["projects"] = [world.projects[key].pk for key in overrides["projects"]]
    if overrides.get("recipient_unit") == "unit_b":
        overrides["recipient_unit"] = world.unit_b.pk
    with assert_nothing_written(Notice, NoticeResponse, NoticeCounter, Notification):
        response = _client(getattr(world, who)).post(NEW, _issue_form(world, **overrides))
        assert response.status_code == 200
        assert 'data-testid="form-errors"' in response.content.decode()
        assert field in response.context["form"].errors


def test_a_warning_letter_notifies_the_unit_and_the_leader(world: Any) -> None:
    data = _issue_form(
        world,
        kind=NoticeKind.WARNING_LETTER,
        recipient_unit=world.housing_bureau.pk,
        projects=[world.projects["p2"].pk],
        sponsoring_leader=world.leo.person.pk,
    )
    assert _client(world.alice).post(NEW, data).status_code == 302
    letter = Notice.objects.get()
    assert (letter.number_label, letter.sponsoring_leader) == ("警示〔2026〕1号", world.leo.person)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "hank",
        "leo",
    ]


# ---------------------------------------------------------------------------- one notice


def test_the_page_shows_the_notice_and_each_side_its_step(world: Any, three: list[Notice]) -> None:
    order = three[0]
    url = f"/supervision/notices/{order.pk}/"
    rita = _client(world.rita).get(url).content.decode()
    assert "督办〔2026〕1号" in rita and "黄岛港区集装箱码头三期" in rita
    assert 'data-testid="response-form"' in rita and 'data-testid="close-form"' not in rita
    dora = _client(world.dora).get(url).content.decode()
    assert 'data-testid="close-form"' in dora and 'data-testid="response-form"' not in dora
    for name in ("bob", "hank", "auditor"):
        assert _client(getattr(world, name)).get(url).status_code == 404
    assert _client(world.alice).get("/supervision/notices/999999/").status_code == 404


def test_the_unit_answers_and_the_region_hears_of_it(world: Any, three: list[Notice]) -> None:
    order = three[0]
    Notification.objects.all().delete()
    url = f"/supervision/notices/{order.pk}/respond/"
    response = _client(world.rita).post(url, {"text": "已召开专题会。", "rectification_plan": ""})
    assert response.status_code == 200
    assert "rectification_plan" in response.context["response_form"].errors
    assert NoticeResponse.objects.count() == 0 and Notification.objects.count() == 0

    plan = {"text": "已召开专题会。", "rectification_plan": "11月底前完成。"}
    response = _client(world.rita).post(url, plan)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == NoticeStatus.ANSWERED
    assert NoticeResponse.objects.get().rectification_plan == "11月底前完成。"
    # alice issued it; dora is the dispatcher of 黄岛区, the region of p1 and p6.
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "alice",
        "dora",
    ]
    html = _client(world.dora).get(f"/supervision/notices/{order.pk}/").content.decode()
    assert "11月底前完成。" in html and 'data-testid="notice-response"' in html


def test_others_cannot_answer_or_close(world: Any, three: list[Notice]) -> None:
    order = three[0]
    plan = {"text": "收到", "rectification_plan": "整改"}
    with assert_nothing_written(Notice, NoticeResponse, NoticeCounter, Notification):
        assert (
            _client(world.bob).post(f"/supervision/notices/{order.pk}/respond/", plan).status_code
            == 404
        )
        assert (
            _client(world.alice).post(f"/supervision/notices/{order.pk}/respond/", plan).status_code
            == 302
        )
        assert (
            _client(world.rita).post(f"/supervision/notices/{order.pk}/close/").status_code == 302
        )
        assert (
            _client(world.hank).post(f"/supervision/notices/{order.pk}/close/").status_code == 404
        )
        assert _client(world.rita).get(f"/supervision/notices/{order.pk}/close/").status_code == 405
    assert Notice.objects.get(pk=order.pk).status == NoticeStatus.ISSUED


def test_the_issuing_side_closes(world: Any, three: list[Notice]) -> None:
    order = three[0]
    response = _client(world.dora).post(f"/supervision/notices/{order.pk}/close/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.closed_by) == (NoticeStatus.CLOSED, world.dora)
    html = _client(world.dora).get(f"/supervision/notices/{order.pk}/").content.decode()
    assert 'data-testid="close-form"' not in html


# ---------------------------------------------------------------------------- elsewhere


def test_the_project_tab_lists_its_notices_with_the_issue_button(
    world: Any, three: list[Notice]
) -> None:
    p1 = world.projects["p1"]
    url = f"{reverse('projects:detail', args=[p1.pk])}?tab=notices"
    dora = _client(world.dora).get(url).content.decode()
    assert "督办〔2026〕1号" in dora and "提醒〔2026〕1号" not in dora
    assert f"/supervision/notices/new/?project={p1.pk}" in dora
    rita = _client(world.rita).get(url).content.decode()
    assert "督办〔2026〕1号" in rita and 'data-testid="issue-from-project"' not in rita
    p5 = world.projects["p5"]
    empty = _client(world.alice).get(f"{reverse('projects:detail', args=[p5.pk])}?tab=notices")
    assert 'data-testid="no-notices"' in empty.content.decode()


def test_the_home_page_shows_the_notices_awaiting_the_unit(world: Any, three: list[Notice]) -> None:
    html = _client(world.rita).get("/").content.decode()
    panel = html[html.index('data-testid="home-notices"') :]
    assert "督办〔2026〕1号" in panel and "2026-11-12" in panel
    services.respond(actor=world.rita, notice=three[0], text="收到", rectification_plan="整改")
    html = _client(world.rita).get("/").content.decode()
    assert "督办〔2026〕1号" not in html[html.index('data-testid="home-notices"') :]
    assert 'data-testid="home-notices"' not in _client(world.alice).get("/").content.decode()


def test_the_menu_names_the_notices_for_each_role(world: Any) -> None:
    def urls(user: Any) -> list[str]:
        return [item.url_name for item in menu_for(user)]

    for name in ("alice", "dora", "leo", "lena", "rita", "bob", "hank"):
        assert urls(getattr(world, name)).count("supervision:notices") == 1
    assert "supervision:notices" not in urls(world.sam)
    assert "supervision:notices" not in urls(world.auditor)
