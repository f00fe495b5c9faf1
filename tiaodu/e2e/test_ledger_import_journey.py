"""A district dispatcher imports the ledger: a wrong row is listed and marked in the error
report, the corrected ledger is checked, confirmed and imported by the background worker,
and its projects are in the library.

dora is the dispatcher of 黄岛区; every row of her ledger is a 黄岛区 project.
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiaodu.projects import services
from tiaodu.projects.models import LedgerImport, Project
from tiaodu.projects.tests.test_ledger_import import HEADERS, ROW_1, ledger
from tiaodu.testing import DESKTOP, sign_in

ROWS = 1200
BAD_ROW = 7  # the 7th project, on sheet row 8
INVESTMENT = HEADERS.index("总投资（万元）")
WAIT = 60_000  # ms: waiting for the worker process, on a shared machine


def ledger_rows(*, wrong: bool) -> list[list]:
    """黄岛新港物流枢纽 (ROW_1) and 1,199 more projects of 黄岛区."""
    rows = []
    for number in range(1, ROWS + 1):
        row = list(ROW_1)
        row[0] = number
        if number > 1:
            row[HEADERS.index("项目代码")] = None
            row[HEADERS.index("项目名称")] = f"黄岛区城市更新项目（第{number}批）"
        if wrong and number == BAD_ROW:
            row[INVESTMENT] = "约五千万"
        rows.append(row)
    return rows


def upload(page: Page, path: Path) -> None:
    """Upload with the date left empty: the ledger's 1-8月完成投资 header states it."""
    page.set_input_files("#id_file", str(path))
    page.fill("#id_year", "2026")
    page.get_by_test_id("upload").click()


def test_dispatcher_corrects_confirms_and_finds_the_import(
    page: Page, world, task_worker, screenshots: Path, tmp_path: Path
):
    page.set_viewport_size(DESKTOP)
    wrong = ledger(tmp_path / "黄岛区台账.xlsx", ledger_rows(wrong=True))
    right = ledger(tmp_path / "黄岛区台账（改正）.xlsx", ledger_rows(wrong=False))
    sign_in(page, "dora")
    page.goto("/projects/")
    page.get_by_test_id("import-ledger").click()
    expect(page.locator("h2.page-title")).to_have_text("导入台账")
    page.screenshot(path=screenshots / "import-1-upload.png", full_page=True)

    # The wrong ledger: the worker checks it; the preview lists the error and counts the rest.
    upload(page, wrong)
    expect(page.get_by_test_id("has-errors")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("has-errors")).to_contain_text("共 1 处错误，涉及 1 行")
    expect(page.get_by_test_id("count-new")).to_have_text(str(ROWS - 1))
    expect(page.get_by_test_id("count-error-rows")).to_have_text("1")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    error_row = page.get_by_test_id("error-table").locator("tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row).to_contain_text(str(BAD_ROW + 1))
    expect(error_row).to_contain_text("约五千万")
    page.screenshot(path=screenshots / "import-2-errors.png", full_page=True)

    # The error report: the wrong cell filled red, its comment says how to fix it.
    with page.expect_download() as download:
        page.get_by_test_id("error-report").click()
    report = download.value.suggested_filename
    assert report == "黄岛区台账-错误清单.xlsx"
    download.value.save_as(tmp_path / report)
    book = load_workbook(tmp_path / report)
    cell = book.worksheets[0].cell(row=BAD_ROW + 1, column=INVESTMENT + 1)
    assert cell.value == "约五千万"
    assert cell.fill.fgColor.rgb == "00FFC7CE"
    assert cell.comment is not None and "金额" in cell.comment.text
    assert book.worksheets[0].cell(row=2, column=INVESTMENT + 1).fill.fgColor.rgb != "00FFC7CE"
    listing = book.worksheets[1]
    assert listing.max_row == 2 and listing.cell(row=2, column=2).value == BAD_ROW + 1

    # The corrected ledger: every row correct, 1,200 new projects to confirm.
    page.get_by_test_id("upload-again").click()
    upload(page, right)
    expect(page.get_by_test_id("confirm")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("confirm")).to_have_text(f"导入 {ROWS} 行")
    expect(page.get_by_test_id("count-new")).to_have_text(str(ROWS))
    expect(page.get_by_test_id("count-error-rows")).to_have_text("0")
    page.screenshot(path=screenshots / "import-3-preview.png", full_page=True)

    # Confirmed while the worker is stopped: the import waits in the queue, and says so.
    task_worker.stop()
    page.get_by_test_id("confirm").click()
    progress = page.get_by_test_id("progress")
    expect(progress).to_contain_text("正在导入台账")
    expect(page.get_by_test_id("progress-phase")).to_contain_text("排队等待")
    page.screenshot(path=screenshots / "import-4-queued.png", full_page=True)
    # The page follows what is saved on the import without a reload (htmx polls each second).
    item = LedgerImport.objects.get(original_name=right.name)
    LedgerImport.objects.filter(pk=item.pk).update(phase="matching", rows_done=600, rows_total=ROWS)
    expect(page.get_by_test_id("progress-phase")).to_contain_text(f"已核对 600 / {ROWS} 行")
    page.screenshot(path=screenshots / "import-5-progress.png", full_page=True)
    LedgerImport.objects.filter(pk=item.pk).update(phase="writing", rows_done=0)
    expect(page.get_by_test_id("progress-phase")).to_contain_text(f"共 {ROWS} 行，一次性写入")
    page.screenshot(path=screenshots / "import-5-writing.png", full_page=True)

    # The worker starts again, takes the import and writes it; the page turns to the result.
    task_worker.start()
    expect(page.get_by_test_id("applied")).to_be_visible(timeout=WAIT)
    expect(progress).to_have_count(0)
    expect(page.get_by_test_id("applied")).to_contain_text(f"新增 {ROWS} 个")
    page.screenshot(path=screenshots / "import-6-applied.png", full_page=True)
    item.refresh_from_db()
    assert (item.status, item.running, item.phase, item.rows_done) == (
        "applied",
        False,
        "writing",
        ROWS,
    )

    page.get_by_test_id("library-link").click()
    # The library loaded, its scripts with it (the search box filters as one types): typed
    # before, the words would reach a page that does not send them yet.
    page.wait_for_url(re.compile(r"/projects/\?year="))
    page.wait_for_load_state("load")
    page.fill("#id_q", "黄岛新港物流枢纽")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("黄岛新港物流枢纽")
    page.screenshot(path=screenshots / "import-7-library.png", full_page=True)
    project = Project.objects.get(name="黄岛新港物流枢纽")
    assert project.region == world.huangdao
    assert Project.objects.filter(region=world.huangdao).count() == 3 + ROWS


def test_a_stopped_check_is_shown_as_stopped_retried_and_discarded(
    page: Page, world, task_worker, screenshots: Path, tmp_path: Path
):
    """The worker is down when dora uploads: after ten minutes without progress the page says
    the work stopped; she checks the file again once the worker is back, then discards it."""
    page.set_viewport_size(DESKTOP)
    path = ledger(tmp_path / "黄岛区台账.xlsx", ledger_rows(wrong=False)[:3])
    task_worker.stop()
    sign_in(page, "dora")
    page.goto("/projects/import/")
    upload(page, path)
    expect(page.get_by_test_id("progress-phase")).to_contain_text("排队等待")
    item = LedgerImport.objects.get()
    LedgerImport.objects.filter(pk=item.pk).update(
        progress_at=timezone.now() - dt.timedelta(minutes=11)
    )
    # The page polling the queued task reloads into the message.
    stale = page.get_by_test_id("stale")
    expect(stale).to_contain_text("后台处理已中断")
    expect(stale).to_contain_text("已超过 10 分钟没有进展")
    expect(page.get_by_test_id("progress")).to_have_count(0)
    page.screenshot(path=screenshots / "import-8-stopped.png", full_page=True)

    task_worker.start()
    page.get_by_test_id("retry").click()
    expect(page.get_by_test_id("confirm")).to_have_text("导入 3 行", timeout=WAIT)
    expect(page.get_by_test_id("stale")).to_have_count(0)
    page.get_by_test_id("discard").click()
    expect(page.get_by_test_id("discarded")).to_contain_text("此次导入已放弃，未导入任何数据。")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    page.screenshot(path=screenshots / "import-9-discarded.png", full_page=True)
    page.goto("/projects/import/")
    expect(page.locator(".list-group-item").first).to_contain_text("已放弃")
    page.screenshot(path=screenshots / "import-10-recent.png", full_page=True)
    item.refresh_from_db()
    assert (item.status, item.attempt, item.running) == ("discarded", 3, False)
    assert not Project.objects.filter(name="黄岛新港物流枢纽").exists()


def test_the_library_exported_and_imported_again_changes_exactly_the_cells_changed(
    page: Page, world, task_worker, screenshots: Path, tmp_path: Path
):
    """alice exports the library as of 31 October and imports the file unchanged: the
    preview says 0 changed, and takes the date from the file. She changes two cells of one
    project: the preview shows that row only, with exactly those two fields, old → new."""
    services.save_annual_plan(
        actor=world.alice, project=world.projects["p1"], year=2026,
        ytd_completed=Decimal("1234.56"), ytd_as_of=dt.date(2026, 8, 31),
    )  # fmt: skip
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/projects/?year=2026&as_of=2026-10-31")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    name = download.value.suggested_filename
    assert name == "台账-2026-截至2026-10-31.xlsx"
    exported = tmp_path / name
    download.value.save_as(exported)

    page.goto("/projects/import/")
    page.set_input_files("#id_file", str(exported))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("confirm")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("count-updated")).to_have_text("0")
    expect(page.get_by_test_id("count-new")).to_have_text("0")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("6")
    expect(page.get_by_test_id("figures-as-of")).to_have_text("2026-10-31（取自台账表头）")
    expect(page.get_by_test_id("preview-row")).to_have_count(6)
    expect(page.get_by_test_id("change")).to_have_count(0)
    page.screenshot(path=screenshots / "import-11-unchanged.png", full_page=True)
    page.get_by_test_id("discard").click()

    # Two cells of 黄岛港区集装箱码头三期: its total investment and its year-to-date figure.
    book = load_workbook(exported)
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    total = headers.index("总投资(万元)")
    ytd = headers.index("本年累计完成投资(万元)\n截至2026-10-31")
    p1 = world.projects["p1"]
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[2].value == p1.name]
    row[total].value = 99999.5
    row[ytd].value = 2000
    changed = tmp_path / "台账-改两格.xlsx"
    book.save(changed)

    page.goto("/projects/import/")
    page.set_input_files("#id_file", str(changed))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("confirm")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("count-updated")).to_have_text("1")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("5")
    page.get_by_test_id("status-updated").click()
    rows = page.get_by_test_id("preview-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(p1.name)
    changes = rows.get_by_test_id("change")
    expect(changes).to_have_count(2)
    expect(changes.nth(0)).to_have_text(f"总投资(万元)：{p1.total_investment:,.2f} → 99,999.50")
    expect(changes.nth(1)).to_have_text("本年累计完成投资(万元)：1,234.56 → 2,000.00")
    page.screenshot(path=screenshots / "import-12-two-changes.png", full_page=True)
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("applied")).to_be_visible(timeout=WAIT)
    p1.refresh_from_db()
    assert p1.total_investment == Decimal("99999.50")
