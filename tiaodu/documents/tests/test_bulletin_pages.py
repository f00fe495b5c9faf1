"""The bulletin pages: the list (the dispatchers and the leaders of a region; anyone else
gets a 404), the build page (month and region; the files built in the background, the
progress shown), the bulletin's page with its commentary form, downloads and buttons, each
step through the page, and a refusal that shows its message and writes nothing."""

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tiaodu.accounts.navigation import menu_for
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.documents.choices import BuildStatus, BulletinStatus
from tiaodu.documents.models import Bulletin
from tiaodu.documents.permissions import reads_bulletins
from tiaodu.documents.tests.conftest import AUGUST
from tiaodu.testing import assert_nothing_written, download_name, who_passes

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 9, 3, 2, tzinfo=dt.UTC)


@pytest.fixture
def frozen() -> Any:
    with clock.frozen(NOW):
        yield


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def a_bulletin(world: Any, status: str = BulletinStatus.DRAFT, **more: Any) -> Bulletin:
    return Bulletin.objects.create(
        month=AUGUST,
        region=world.city,
        drafted_by=world.alice,
        status=status,
        build_status=more.pop("build_status", BuildStatus.DONE),
        **more,
    )


def body(response: Any) -> bytes:
    """A downloaded file's bytes."""
    return b"".join(response.streaming_content)


def page(bulletin: Bulletin) -> str:
    return reverse("documents:bulletin", args=[bulletin.pk])


def test_the_dispatchers_and_the_regions_leaders_read_bulletins(world: Any, lin: Any) -> None:
    assert who_passes(world, reads_bulletins) == {"alice", "dora", "lena"}
    assert reads_bulletins(lin)
    menu = [item.key for item in menu_for(world.alice)]
    assert "documents.bulletins" in menu
    assert "documents.bulletins" not in [item.key for item in menu_for(world.rita)]


@pytest.mark.parametrize("name", ["rita", "bob", "leo", "hank", "sam", "sysadmin", "auditor"])
def test_others_get_a_404(world: Any, name: str) -> None:
    bulletin = a_bulletin(world)
    client = client_of(getattr(world, name))
    for url in (
        reverse("documents:bulletins"),
        reverse("documents:bulletin_build"),
        page(bulletin),
        reverse("documents:bulletin_file", args=[bulletin.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 404


def test_a_district_sees_its_own_bulletins_only(world: Any) -> None:
    city = a_bulletin(world)
    district = Bulletin.objects.create(
        month=AUGUST, region=world.huangdao, drafted_by=world.dora, build_status=BuildStatus.DONE
    )
    dora = client_of(world.dora)
    listed = dora.get(reverse("documents:bulletins")).context["bulletins"]
    assert list(listed) == [district]
    assert dora.get(page(city)).status_code == 404
    assert dora.get(page(district)).status_code == 200
    # dora builds for her district only; a leader builds nothing.
    regions = dora.get(reverse("documents:bulletin_build")).context["form"].fields["region"]
    assert list(regions.queryset) == [world.huangdao]
    assert client_of(world.lena).get(reverse("documents:bulletin_build")).status_code == 404


def test_build_shows_the_progress_then_the_downloads(
    bulletin_world: Any,
    immediate_tasks: None,
    frozen: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = bulletin_world
    alice = client_of(world.alice)
    form = alice.get(reverse("documents:bulletin_build"))
    assert form.context["form"]["month"].value() == "2026-08-01"
    assert "生成" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = alice.post(
            reverse("documents:bulletin_build"),
            {"month": "2026-08-01", "region": world.city.pk},
        )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == page(bulletin)
    # Before the worker runs: the progress bar, polled by htmx, and no downloads.
    html = alice.get(page(bulletin)).content.decode()
    assert 'data-testid="progress"' in html and "download-pdf" not in html
    polled = alice.get(page(bulletin), headers={"HX-Request": "true"})
    assert 'id="build-progress"' in polled.content.decode()
    for callback in queued:
        callback()
    polled = alice.get(page(bulletin), headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    html = alice.get(page(bulletin)).content.decode()
    assert 'data-testid="progress"' not in html
    for ext in ("docx", "pdf", "xlsx"):
        assert f"download-{ext}" in html
    docx = alice.get(reverse("documents:bulletin_file", args=[bulletin.pk, "docx"]))
    assert docx.status_code == 200
    assert download_name(docx) == "青岛市通报-2026-08（未编号）.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(body(docx))).paragraphs)
    assert "草稿" in text
    xlsx = alice.get(reverse("documents:bulletin_file", args=[bulletin.pk, "xlsx"]))
    assert load_workbook(io.BytesIO(body(xlsx))).sheetnames
    pdf = alice.get(reverse("documents:bulletin_file", args=[bulletin.pk, "pdf"]))
    assert body(pdf).startswith(b"%PDF")
    # Once it has a number, the files are named by it.
    Bulletin.objects.filter(pk=bulletin.pk).update(number=7)
    numbered = alice.get(reverse("documents:bulletin_file", args=[bulletin.pk, "pdf"]))
    assert download_name(numbered) == "通报〔2026〕7号.pdf"
    assert 'filename="bulletin-2026-08.pdf"' in numbered["Content-Disposition"]
    assert (
        alice.get(reverse("documents:bulletin_file", args=[bulletin.pk, "odt"])).status_code == 404
    )


def test_a_second_bulletin_of_the_month_is_refused_on_the_build_page(
    world: Any, frozen: None
) -> None:
    a_bulletin(world)
    with assert_nothing_written(Bulletin, AuditEvent):
        response = client_of(world.alice).post(
            reverse("documents:bulletin_build"), {"month": "2026-08-01", "region": world.city.pk}
        )
    assert response.status_code == 200
    assert "已有" in response.content.decode()


def test_the_commentary_is_saved_through_the_page_and_rebuilt(
    bulletin_world: Any,
    immediate_tasks: None,
    frozen: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = bulletin_world
    bulletin = a_bulletin(world)
    alice = client_of(world.alice)
    assert 'data-testid="commentary-form"' in alice.get(page(bulletin)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(
            reverse("documents:bulletin_commentary", args=[bulletin.pk]),
            {"lagging": "滞后项目要逐一约谈。", "requirements": "一要抓开工。\n二要抓入统。"},
        )
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.commentary == {
        "lagging": "滞后项目要逐一约谈。",
        "requirements": "一要抓开工。\n二要抓入统。",
    }
    with bulletin.docx_file.open("rb") as handle:
        text = "\n".join(p.text for p in Document(handle).paragraphs)
    assert "二要抓入统。" in text
    html = alice.get(page(bulletin)).content.decode()
    assert "滞后项目要逐一约谈。" in html


def test_the_commentary_of_a_submitted_bulletin_is_refused_with_its_message(
    world: Any, frozen: None
) -> None:
    bulletin = a_bulletin(world, BulletinStatus.SUBMITTED)
    alice = client_of(world.alice)
    assert 'data-testid="commentary-form"' not in alice.get(page(bulletin)).content.decode()
    with assert_nothing_written(Bulletin, AuditEvent):
        response = alice.post(
            reverse("documents:bulletin_commentary", args=[bulletin.pk]), {"overview": "改。"}
        )
    assert "只有草稿" in response.content.decode()


def test_submit_sign_off_issue_and_archive_through_the_page(
    bulletin_world: Any,
    lin: Any,
    immediate_tasks: None,
    frozen: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = bulletin_world
    bulletin = a_bulletin(world)
    alice, leader = client_of(world.alice), client_of(lin)
    action = reverse("documents:bulletin_action", args=[bulletin.pk])

    html = alice.get(page(bulletin)).content.decode()
    assert 'data-testid="action-submit"' in html and "action-sign_off" not in html
    alice.post(action, {"action": "submit"})
    html = leader.get(page(bulletin)).content.decode()
    assert "action-sign_off" in html and "action-return" in html
    # Returning without a note: the message, nothing written.
    with assert_nothing_written(Bulletin, AuditEvent):
        response = leader.post(action, {"action": "return", "note": ""}, follow=True)
    assert "请在意见中写明" in response.content.decode()
    leader.post(action, {"action": "return", "note": "补充滞后原因。"})
    html = alice.get(page(bulletin)).content.decode()
    assert 'data-testid="returned"' in html and "补充滞后原因。" in html
    alice.post(action, {"action": "submit"})
    response = leader.post(action, {"action": "sign_off", "note": "同意。"}, follow=True)
    assert "已审签" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(action, {"action": "issue"}, follow=True)
    assert "通报〔2026〕1号" in response.content.decode()
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.number, bulletin.signed_off_by) == (
        BulletinStatus.ISSUED,
        1,
        lin,
    )
    html = alice.get(page(bulletin)).content.decode()
    assert 'data-testid="rebuild"' not in html
    alice.post(action, {"action": "archive"})
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.ARCHIVED


def test_a_step_not_allowed_shows_its_message_and_writes_nothing(world: Any, lin: Any) -> None:
    bulletin = a_bulletin(world, build_status=BuildStatus.RUNNING)
    action = reverse("documents:bulletin_action", args=[bulletin.pk])
    with assert_nothing_written(Bulletin, AuditEvent):
        # Submitting before the files are built.
        response = client_of(world.alice).post(action, {"action": "submit"}, follow=True)
        assert "请等文件生成完毕后再试" in response.content.decode()
        # A leader may not submit the dispatcher's draft.
        response = client_of(lin).post(action, {"action": "submit"}, follow=True)
        assert response.status_code == 200 and "无权" in response.content.decode()
        # Signing off a draft.
        response = client_of(lin).post(action, {"action": "sign_off"}, follow=True)
        assert "草稿" in response.content.decode()
        assert client_of(world.alice).post(action, {"action": "publish"}).status_code == 404
