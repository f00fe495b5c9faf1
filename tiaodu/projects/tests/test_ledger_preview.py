"""The import preview lists every row with its changed fields, old → new, filterable: the
library's own export imports with 0 changed; two changed cells show as exactly those two
fields; the date the export states is taken; a missing date is asked for on the page."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tiaodu.projects.models import LedgerImport, LedgerImportRow
from tiaodu.projects.tests.test_ledger_import import HEADERS, ROW_1, ledger

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]

EXPORTED = "2026-10-31"


def _export(client) -> bytes:
    response = client.get(reverse("projects:export"), {"year": 2026, "as_of": EXPORTED})
    assert response.status_code == 200
    return response.content


def _upload(post, content: bytes, as_of: str = "") -> LedgerImport:
    post(
        reverse("projects:import"),
        {"file": SimpleUploadedFile("台账.xlsx", content), "year": "2026", "as_of": as_of},
    )
    return LedgerImport.objects.latest("pk")


def _edited(content: bytes, cells: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    for ref, value in cells.items():
        workbook.active[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column(content: bytes, header: str) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    for cell in sheet[1]:
        if str(cell.value).startswith(header):
            return cell.column_letter
    raise AssertionError(header)


def _row_of(content: bytes, name: str) -> int:
    sheet = load_workbook(io.BytesIO(content)).active
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[2].value == name)


def test_the_libraries_own_export_imports_with_nothing_changed(world, client, post):
    client.force_login(world.alice)
    content = _export(client)
    item = _upload(post, content)
    assert (item.status, item.as_of, item.stated_as_of) == ("checked", None, dt.date(2026, 10, 31))
    assert (item.new_count, item.updated_count, item.unchanged_count) == (0, 0, 6)
    assert (
        list(LedgerImportRow.objects.filter(ledger_import=item).values_list("status", flat=True))
        == ["unchanged"] * 6
    )
    page = client.get(reverse("projects:import_detail", args=[item.pk])).content.decode()
    assert 'data-testid="figures-as-of">2026-10-31（取自台账表头）' in page
    assert page.count('data-testid="preview-row"') == 6
    assert 'data-testid="change"' not in page


def test_two_changed_cells_show_as_exactly_those_two_fields(world, client, post):
    client.force_login(world.alice)
    content = _export(client)
    p2 = world.projects["p2"]
    row = _row_of(content, p2.name)
    total, phone = _column(content, "总投资"), _column(content, "联系电话")
    edited = _edited(content, {f"{total}{row}": 98765.4, f"{phone}{row}": "0532-12345678"})
    item = _upload(post, edited)
    assert (item.new_count, item.updated_count, item.unchanged_count) == (0, 1, 5)
    changed = LedgerImportRow.objects.get(ledger_import=item, status="updated")
    assert (changed.number, changed.name, changed.project_id) == (row, p2.name, p2.pk)
    assert changed.changed == [
        ("总投资(万元)", f"{p2.total_investment:,.2f}", "98,765.40"),
        ("联系电话", p2.contact_phone, "0532-12345678"),
    ]
    detail = reverse("projects:import_detail", args=[item.pk])
    page = client.get(detail, {"status": "updated"}).content.decode()
    assert page.count('data-testid="preview-row"') == 1
    assert page.count('data-testid="change"') == 2
    assert '<del class="text-secondary">' in page and "98,765.40</ins>" in page
    # The column filter lists what changes, with its count; it finds the row, and only it.
    assert ">联系电话（1）</option>" in page
    by_column = client.get(detail, {"column": "contact_phone"}).content.decode()
    assert by_column.count('data-testid="preview-row"') == 1
    assert (
        client.get(detail, {"column": "name"}).content.decode().count('data-testid="preview-row"')
        == 0
    )
    # The text filter: name, code or region.
    searched = client.get(detail, {"q": p2.name}).content.decode()
    assert searched.count('data-testid="preview-row"') == 1
    assert (
        client.get(detail, {"q": "崂山区"}).content.decode().count('data-testid="preview-row"') == 2
    )


def test_a_ledger_without_a_date_asks_for_it(world, client, post, tmp_path):
    """An office's ledger whose year-to-date column states no date fails with the question;
    the date given on the page checks it again and it passes."""
    client.force_login(world.alice)
    headers = [h.replace("1-8月完成投资", "本年累计完成投资") for h in HEADERS]
    item = _upload(post, ledger(tmp_path / "l.xlsx", [ROW_1], headers).read_bytes())
    assert (item.status, item.error_count) == ("failed", 1)
    assert "截至哪一天" in item.errors[0]["fix"]
    page = client.get(reverse("projects:import_detail", args=[item.pk])).content.decode()
    assert 'data-testid="date-form"' in page
    assert "只缺本年累计数据的截至日期" in page and 'data-testid="upload-again"' not in page
    post(reverse("projects:import_date", args=[item.pk]), {"as_of": "2026-08-31"})
    item.refresh_from_db()
    assert (item.status, item.error_count, item.as_of, item.new_count) == (
        "checked", 0, dt.date(2026, 8, 31), 1,
    )  # fmt: skip
    new = LedgerImportRow.objects.get(ledger_import=item)
    assert (new.status, new.name, new.changes) == ("new", "黄岛新港物流枢纽", [])


def test_a_date_outside_the_plan_year_is_refused(world, client, post, tmp_path):
    client.force_login(world.alice)
    item = _upload(post, ledger(tmp_path / "l.xlsx", [ROW_1]).read_bytes())
    before = LedgerImport.objects.values().get(pk=item.pk)
    client.post(reverse("projects:import_date", args=[item.pk]), {"as_of": "2025-12-31"})
    assert LedgerImport.objects.values().get(pk=item.pk) == before
    page = client.get(reverse("projects:import_detail", args=[item.pk])).content.decode()
    assert "日期须在计划年度2026年内。" in page


def test_another_single_error_asks_for_a_corrected_file(world, client, post, tmp_path):
    """One wrong cell in a ledger without year-to-date figures: no date is asked for; the
    page asks for the corrected file."""
    client.force_login(world.alice)
    column = HEADERS.index("1-8月完成投资")
    headers = HEADERS[:column] + HEADERS[column + 1 :]
    row = ROW_1[:column] + ROW_1[column + 1 :]
    row[headers.index("总投资（万元）")] = "约五千万"
    item = _upload(post, ledger(tmp_path / "l.xlsx", [row], headers).read_bytes())
    assert (item.status, item.error_count, item.figures_as_of) == ("failed", 1, None)
    page = client.get(reverse("projects:import_detail", args=[item.pk])).content.decode()
    assert 'data-testid="upload-again"' in page and 'data-testid="date-asked"' not in page
