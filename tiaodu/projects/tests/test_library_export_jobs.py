"""The library's export from TIAODU_EXPORT_BACKGROUND_ROWS rows on: the request records an
export and queues its task, the page shows the rows written, then the download — the same
file, name and audit event as the direct download. Only the reader who asked sees it; the
file goes after TIAODU_EXPORT_KEEP_HOURS."""

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tiaodu.accounts import services as account_services
from tiaodu.accounts.models import UserRole
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.projects import export_jobs
from tiaodu.projects.export_models import LibraryExport, LibraryExportStatus
from tiaodu.testing import download_name

# The 2026 entries of the new projects of the small city: p1, p3, p5.
PARAMS = {"year": 2026, "nature": "new_start"}


def cells(content: bytes) -> list[list[Any]]:
    """Every cell's value and number format, row by row."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [[(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]


def ask(client: Any, capture: Any, params: dict[str, Any] = PARAMS, *, run: bool = True) -> Any:
    """The export asked for; its task (enqueued on commit) run before the answer when `run`."""
    with capture(execute=run):
        return client.get(reverse("projects:export"), params)


@pytest.fixture
def background(settings: Any, inline_tasks: None) -> None:
    settings.TIAODU_EXPORT_BACKGROUND_ROWS = 2


def test_below_the_threshold_the_export_downloads_at_once(world, client, settings):
    settings.TIAODU_EXPORT_BACKGROUND_ROWS = 4
    client.force_login(world.alice)
    response = client.get(reverse("projects:export"), PARAMS)
    assert response.status_code == 200
    assert not LibraryExport.objects.exists()


def test_a_large_export_is_written_in_the_background_as_the_direct_one(
    world, client, settings, django_capture_on_commit_callbacks, inline_tasks
):
    client.force_login(world.alice)
    direct = client.get(reverse("projects:export"), PARAMS)
    assert direct.status_code == 200

    settings.TIAODU_EXPORT_BACKGROUND_ROWS = 3  # three rows: at the threshold
    response = ask(client, django_capture_on_commit_callbacks)
    item = LibraryExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:export_detail", args=[item.pk])
    assert item.requested_by == world.alice
    assert item.status == LibraryExportStatus.DONE
    assert (item.rows_done, item.rows_total) == (3, 3)
    assert str(item.file.name).startswith("library-exports/")

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "台账已写好。" in html
    assert 'data-testid="download"' in html
    # The page polled while it was written reloads itself once the file is there.
    assert client.get(response["Location"], HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"

    before = AuditEvent.objects.filter(action="export").count()
    download = client.get(reverse("projects:export_download", args=[item.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert download_name(download) == download_name(direct)
    assert download_name(download) == f"台账-2026-截至{clock.today().isoformat()}.xlsx"
    assert cells(content) == cells(direct.content)
    assert len(cells(content)) == 4  # the header and the three new projects
    events = list(AuditEvent.objects.filter(action="export").order_by("pk"))
    assert len(events) == before + 1
    assert events[-1].actor == world.alice
    assert events[-1].message == events[0].message == "年度：2026；建设性质：新开工"


def test_the_page_shows_the_rows_written(
    world, client, django_capture_on_commit_callbacks, background
):
    client.force_login(world.alice)
    response = ask(client, django_capture_on_commit_callbacks, run=False)  # no worker yet
    item = LibraryExport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert item.status == LibraryExportStatus.QUEUED
    assert "排队等待" in page and 'data-testid="progress"' in page
    assert 'hx-trigger="every 1s"' in page

    item.status, item.rows_done, item.rows_total = LibraryExportStatus.WRITING, 1, 3
    item.save()
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div class="card mb-3" id="export-progress"')
    assert "已写入 1 / 3 行" in partial
    assert "33%" in partial


def test_the_same_list_asked_again_while_written_is_the_same_export(
    world, client, django_capture_on_commit_callbacks, background
):
    client.force_login(world.alice)
    first = ask(client, django_capture_on_commit_callbacks, run=False)
    second = ask(client, django_capture_on_commit_callbacks, run=False)
    assert first["Location"] == second["Location"]
    other = ask(client, django_capture_on_commit_callbacks, {"year": 2026}, run=False)
    assert other["Location"] != first["Location"]
    assert LibraryExport.objects.count() == 2


@pytest.mark.parametrize("persona", ["dora", "bob", "sysadmin", "auditor"])
def test_nobody_else_sees_or_downloads_it(
    world, client, django_capture_on_commit_callbacks, background, persona
):
    client.force_login(world.alice)
    ask(client, django_capture_on_commit_callbacks)
    item = LibraryExport.objects.get()
    client.force_login(world.users[persona])
    assert client.get(reverse("projects:export_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("projects:export_download", args=[item.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="export", actor=world.users[persona]).exists()


def test_an_unknown_export_is_404(world, client):
    client.force_login(world.alice)
    assert client.get(reverse("projects:export_detail", args=[987654])).status_code == 404
    assert client.get(reverse("projects:export_download", args=[987654])).status_code == 404


def test_a_reader_who_lost_the_library_meanwhile_gets_a_clear_failure(
    world, client, django_capture_on_commit_callbacks, background
):
    client.force_login(world.dora)
    response = ask(client, django_capture_on_commit_callbacks, {"year": 2026}, run=False)
    item = LibraryExport.objects.get()
    for assignment in UserRole.objects.filter(user=world.dora):
        account_services.remove_role(actor=None, assignment=assignment)
    export_jobs.run(item)
    item.refresh_from_db()
    assert item.status == LibraryExportStatus.FAILED
    assert item.failure == "你已无权查看项目库，未导出任何内容。"
    assert not item.file
    # Nor does the page show it any longer: the export was theirs while they read the library.
    assert client.get(response["Location"]).status_code == 404


def test_a_stopped_worker_is_said_so(world, client, django_capture_on_commit_callbacks, background):
    client.force_login(world.alice)
    response = ask(client, django_capture_on_commit_callbacks, run=False)
    LibraryExport.objects.update(progress_at=timezone.now() - dt.timedelta(hours=1))
    page = client.get(response["Location"]).content.decode()
    assert "导出失败。" in page
    assert "后台任务很可能已停止" in page


def test_a_task_delivered_twice_writes_once(
    world, client, media_root, django_capture_on_commit_callbacks, background
):
    client.force_login(world.alice)
    ask(client, django_capture_on_commit_callbacks, run=False)
    first, second = LibraryExport.objects.get(), LibraryExport.objects.get()
    export_jobs.run(first)
    export_jobs.run(second)  # its copy still says queued: the first delivery took it
    export_jobs.run(LibraryExport.objects.get())
    assert LibraryExport.objects.get().file.name == first.file.name
    assert len(list((media_root / "library-exports").iterdir())) == 1


def test_old_files_are_removed_at_the_next_request(
    world, client, settings, media_root, django_capture_on_commit_callbacks, background
):
    client.force_login(world.alice)
    ask(client, django_capture_on_commit_callbacks)
    item = LibraryExport.objects.get()
    stored = media_root / item.file.name
    assert stored.exists()
    page = client.get(reverse("projects:export_detail", args=[item.pk])).content.decode()
    assert "文件保留至" in page
    LibraryExport.objects.update(
        finished_at=timezone.now()
        - dt.timedelta(hours=settings.TIAODU_EXPORT_KEEP_HOURS, minutes=1)
    )
    client.force_login(world.dora)
    ask(client, django_capture_on_commit_callbacks, {"year": 2026})
    item.refresh_from_db()
    assert item.status == LibraryExportStatus.EXPIRED
    assert not item.file and not stored.exists()
    client.force_login(world.alice)
    page = client.get(reverse("projects:export_detail", args=[item.pk])).content.decode()
    assert "文件已删除，请重新导出。" in page
    assert client.get(reverse("projects:export_download", args=[item.pk])).status_code == 404


def test_progress_is_saved_at_most_once_a_second(
    world, client, django_capture_on_commit_callbacks, background
):
    client.force_login(world.alice)
    ask(client, django_capture_on_commit_callbacks, run=False)
    item = LibraryExport.objects.get()
    LibraryExport.objects.update(status=LibraryExportStatus.WRITING)
    now = [0.0]
    saver = export_jobs.ProgressSaver(item, clock=lambda: now[0])
    seen = []
    for done, moment in [(0, 0.0), (500, 0.4), (1000, 1.2), (1500, 1.5), (2000, 1.6)]:
        now[0] = moment
        saver(done, 2000)
        seen.append(LibraryExport.objects.get().rows_done)
    assert seen == [0, 0, 1000, 1000, 2000]
