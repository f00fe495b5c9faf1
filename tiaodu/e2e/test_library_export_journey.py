"""alice exports the library's six projects with the background threshold at 2 rows: the
export page waits for the worker, shows the rows written, then offers the file, which is
the ledger the direct download writes."""

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiaodu.projects.export_models import LibraryExport, LibraryExportStatus
from tiaodu.testing import DESKTOP, sign_in

pytestmark = pytest.mark.e2e


def test_a_large_export_is_written_in_the_background(
    page: Page, world: Any, task_worker: Any, settings: Any, screenshots: Path
) -> None:
    settings.TIAODU_EXPORT_BACKGROUND_ROWS = 2
    task_worker.stop()  # the request waits in the queue
    page.set_viewport_size(DESKTOP)
    sign_in(page, "alice")
    page.goto("/projects/?year=2026")
    page.get_by_test_id("export-xlsx").click()
    expect(page.get_by_test_id("progress")).to_contain_text("排队等待")
    expect(page.get_by_test_id("export-meta")).to_contain_text("6 行")
    page.screenshot(path=screenshots / "library-export-queued.png", full_page=True)

    # Halfway through, as a worker writing a large file says it: the page follows.
    LibraryExport.objects.update(status=LibraryExportStatus.WRITING, rows_done=3, rows_total=6)
    expect(page.get_by_test_id("progress-rows")).to_contain_text("已写入 3 / 6 行")
    page.screenshot(path=screenshots / "library-export-writing.png", full_page=True)
    LibraryExport.objects.update(status=LibraryExportStatus.QUEUED, rows_done=0)

    task_worker.start()
    expect(page.get_by_test_id("done")).to_contain_text("台账已写好。", timeout=20_000)
    page.screenshot(path=screenshots / "library-export-done.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.suggested_filename.startswith("台账-2026-截至")
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.max_row == 7  # the header and the six projects
