"""The import page while the background task works: the progress it saves and shows, and a
task whose worker stopped (stale), which the dispatcher retries or discards.

alice is the city dispatcher; the ledgers are of 黄岛区, in her region.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tiaodu.projects import tasks
from tiaodu.projects.ledger import jobs
from tiaodu.projects.models import LedgerImport, Project
from tiaodu.projects.tests.test_ledger_import import HEADERS, ROW_1, ledger

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]

ROWS = 1200
NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _stale_after_ten_minutes(settings):
    settings.TIAODU_LEDGER_IMPORT_STALE_MINUTES = 10


def many_rows(count: int, *, bad_row: int | None = None) -> list[list]:
    """`count` new projects of 黄岛区; row `bad_row` (1-based) has a wrong total investment."""
    rows = []
    for number in range(1, count + 1):
        row = list(ROW_1)
        row[HEADERS.index("序号")] = number
        row[HEADERS.index("项目代码")] = None
        row[HEADERS.index("项目名称")] = f"黄岛区城市更新项目（第{number}批）"
        if number == bad_row:
            row[HEADERS.index("总投资（万元）")] = "约五千万"
        rows.append(row)
    return rows


def stored(world, tmp_path, rows, *, actor=None) -> LedgerImport:
    """An uploaded ledger, stored as the upload page stores it (its task not started)."""
    path = ledger(tmp_path / "in.xlsx", rows)
    with path.open("rb") as handle:
        return jobs.upload(
            actor=actor or world.alice,
            upload=io.BytesIO(handle.read()),
            name="台账.xlsx",
            year=2026,
            as_of=dt.date(2026, 8, 31),
        )


class Ticks:
    """A clock that moves a quarter of a second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.25
        return self.now


def _saves(queries) -> int:
    return sum(
        1
        for query in queries
        if query["sql"].startswith('UPDATE "projects_ledgerimport" SET "phase"')
    )


def test_the_check_reports_every_phase_and_saves_about_once_a_second(world, tmp_path):
    item = stored(world, tmp_path, many_rows(ROWS))
    saver = jobs.ProgressSaver(item, clock=Ticks())
    told: list[tuple[str, int, int]] = []

    def progress(phase, done, total):
        told.append((phase, done, total))
        saver(phase, done, total)

    with CaptureQueriesContext(connection) as queries:
        jobs.check(actor=world.alice, item=item, progress=progress)

    # The importer tells each phase's start, every 100 rows and its end: 13 calls a phase.
    assert [phase for phase, _done, _total in told] == (
        ["reading"] * 13 + ["checking"] * 13 + ["matching"] * 13
    )
    assert [done for _phase, done, _total in told[:13]] == list(range(0, ROWS + 1, 100))
    assert {total for _phase, _done, total in told} == {ROWS}
    # Saved at each phase's start and end, and in between once the clock has moved a second
    # since the last save (every 4th call): at 0, 400, 800 and 1,200 rows of each phase; not
    # 3,600 times, once a row.
    assert _saves(queries.captured_queries) == 3 * 4
    item.refresh_from_db()
    assert (item.phase, item.rows_done, item.rows_total) == ("matching", ROWS, ROWS)
    assert (item.status, item.new_count, item.error_count) == ("checked", ROWS, 0)


def test_the_import_reports_the_writing(world, tmp_path):
    item = stored(world, tmp_path, many_rows(ROWS))
    jobs.check(actor=world.alice, item=item)
    told: list[tuple[str, int, int]] = []

    def progress(phase, done, total):
        told.append((phase, done, total))
        jobs.ProgressSaver(item)(phase, done, total)

    jobs.confirm(actor=world.alice, item=item, progress=progress)
    writing = [(done, total) for phase, done, total in told if phase == "writing"]
    # Before the transaction (the page sees it), then in it, then when the rows are written.
    assert writing == [(0, ROWS), (0, ROWS), (ROWS, ROWS)]
    item.refresh_from_db()
    assert (item.status, item.phase, item.rows_done, item.rows_total) == (
        "applied",
        "writing",
        ROWS,
        ROWS,
    )
    assert Project.objects.filter(name__startswith="黄岛区城市更新项目").count() == ROWS


def test_the_page_shows_the_phase_and_the_rows(world, client, tmp_path):
    item = stored(world, tmp_path, many_rows(3))
    LedgerImport.objects.filter(pk=item.pk).update(
        running=True, phase="matching", rows_done=500, rows_total=ROWS, progress_at=timezone.now()
    )
    client.force_login(world.alice)
    detail = reverse("projects:import_detail", args=[item.pk])
    for response in (client.get(detail), client.get(detail, headers={"HX-Request": "true"})):
        page = response.content.decode()
        assert "<strong>核对项目库</strong>" in page
        assert "已核对 500 / 1200 行" in page
        assert 'style="width: 41%"' in page and ">41%<" in page
        # A check: queued, read, check, match (the import after the confirmation also writes).
        assert page.count('class="step-item') == 4
        assert '<li class="step-item active">核对项目库</li>' in page

    # The import after the confirmation has a fourth step; its writing has no row count.
    LedgerImport.objects.filter(pk=item.pk).update(status="checked", phase="writing", rows_done=0)
    page = client.get(detail).content.decode()
    assert '<li class="step-item active">写入项目库</li>' in page
    assert "正在导入台账…" in page and "共 1200 行，一次性写入" in page
    assert "progress-bar-indeterminate" in page


def _running(item: LedgerImport, at: dt.datetime) -> None:
    LedgerImport.objects.filter(pk=item.pk).update(
        running=True, phase="checking", rows_done=100, rows_total=ROWS, progress_at=at, attempt=1
    )
    item.refresh_from_db()


def test_no_progress_for_ten_minutes_is_a_stopped_task(world, client, tmp_path):
    item = stored(world, tmp_path, many_rows(3))
    client.force_login(world.alice)
    detail = reverse("projects:import_detail", args=[item.pk])
    with time_machine.travel(NOW, tick=False):
        _running(item, NOW - dt.timedelta(minutes=9, seconds=59))
        assert not item.is_stale
        page = client.get(detail).content.decode()
        assert 'data-testid="progress"' in page and 'data-testid="stale"' not in page
        assert 'data-testid="retry"' not in page and 'data-testid="discard"' not in page

        _running(item, NOW - dt.timedelta(minutes=10, seconds=1))
        assert item.is_stale
        page = client.get(detail).content.decode()
        assert 'data-testid="progress"' not in page  # no more polling
        assert "后台处理已中断" in page and "已超过 10 分钟没有进展" in page
        assert "最后一次进展：逐格检查，2026-09-01 17:49。" in page  # Asia/Shanghai
        assert "请点击“重新检查”，或重新上传台账" in page
        assert 'data-testid="retry"' in page and 'data-testid="discard"' in page
        # A page left open reloads into the same message.
        assert client.get(detail, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
        form = client.get(reverse("projects:import")).content.decode()
        assert '<span class="badge bg-red-lt">已中断</span>' in form


def test_a_stopped_task_is_retried_and_its_old_task_stays_out(world, client, post, tmp_path):
    item = stored(world, tmp_path, many_rows(3))
    client.force_login(world.alice)
    _running(item, timezone.now() - dt.timedelta(minutes=30))
    old = LedgerImport.objects.get(pk=item.pk)  # as the stopped task loaded it: attempt 1

    response = post(reverse("projects:import_retry", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.attempt, item.running, item.status, item.new_count) == (2, False, "checked", 3)

    # The first task wakes up: it is no longer the import's attempt, and changes nothing.
    jobs.run(actor=world.alice, item=old, apply=False, attempt=1)
    tasks.check_ledger_import.call(item.pk, world.alice.pk, 1)
    after = LedgerImport.objects.get(pk=item.pk)
    assert (after.attempt, after.running, after.status, after.phase) == (
        2,
        False,
        "checked",
        "matching",
    )
    # A task that is working (not stale) is neither retried nor discarded.
    _running(item, timezone.now())
    post(reverse("projects:import_retry", args=[item.pk]))
    post(reverse("projects:import_discard", args=[item.pk]))
    item.refresh_from_db()
    assert (item.attempt, item.status, item.running) == (1, "checked", True)


def test_a_discarded_import_is_never_applied(world, client, post, tmp_path):
    item = stored(world, tmp_path, many_rows(3))
    client.force_login(world.alice)
    jobs.check(actor=world.alice, item=item)
    in_task = LedgerImport.objects.get(pk=item.pk)  # an import task that loaded it

    post(reverse("projects:import_discard", args=[item.pk]))
    item.refresh_from_db()
    assert (item.status, item.running) == ("discarded", False)
    page = client.get(reverse("projects:import_detail", args=[item.pk])).content.decode()
    assert "此次导入已放弃，未导入任何数据。" in page
    assert 'data-testid="confirm"' not in page and 'data-testid="discard"' not in page
    assert 'data-testid="counts"' not in page  # the preview's counts were never imported

    post(reverse("projects:import_confirm", args=[item.pk]))
    in_task.running = True
    jobs.run(actor=world.alice, item=in_task, apply=True)
    item.refresh_from_db()
    assert (item.status, item.running) == ("discarded", False)
    assert not Project.objects.filter(name__startswith="黄岛区城市更新项目").exists()


def test_counts_beside_errors(world, client, post, tmp_path):
    """The rows that are fine are counted when others have errors; a file whose headers are
    wrong has no row checked, and shows no counts."""
    client.force_login(world.alice)
    item = stored(world, tmp_path, many_rows(5, bad_row=2))
    jobs.check(actor=world.alice, item=item)
    item.refresh_from_db()
    assert (item.status, item.new_count, item.error_count, item.error_rows) == ("failed", 4, 1, 1)
    page = client.get(reverse("projects:import_detail", args=[item.pk])).content.decode()
    assert 'data-testid="count-new">4<' in page
    assert 'data-testid="count-error-rows">1<' in page
    assert "共 1 处错误，涉及 1 行" in page
    assert 'data-testid="upload-again"' in page

    headers = [h for h in HEADERS if h != "项目名称"]
    rows = [
        [v for h, v in zip(HEADERS, row, strict=True) if h != "项目名称"] for row in many_rows(2)
    ]
    path = ledger(tmp_path / "no-name.xlsx", rows, headers=headers)
    other = jobs.upload(
        actor=world.alice,
        upload=io.BytesIO(path.read_bytes()),
        name="缺列.xlsx",
        year=2026,
        as_of=dt.date(2026, 8, 31),
    )
    jobs.check(actor=world.alice, item=other)
    other.refresh_from_db()
    assert (other.error_count, other.error_rows, other.checked_rows) == (1, 0, 0)
    page = client.get(reverse("projects:import_detail", args=[other.pk])).content.decode()
    assert 'data-testid="counts"' not in page
    assert "共 1 处错误：改正之前不能导入任何数据。" in page
