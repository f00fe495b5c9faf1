"""The ledger's rows written as XML (`ledger.sheet_xml`) are byte for byte what openpyxl's
write-only mode writes for the same cells, as the ledger writer made them before: the same
sheet, the same styles, whatever the values — text that looks like a formula or an error
code, surrounding spaces, `&<>` and CR, text past Excel's length, dates before March 1900,
a datetime, numbers and text in each other's columns, empty values."""

import datetime as dt
import gc
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from tiaodu.core import xlsx
from tiaodu.projects.ledger import writer
from tiaodu.projects.ledger.cells import VOCABULARIES, chinese_labels
from tiaodu.projects.ledger.columns import COLUMNS, Kind

AS_OF = dt.date(2026, 11, 30)


def openpyxl_ledger(rows: list[dict[str, Any]], as_of: dt.date | None) -> bytes:
    """The ledger as openpyxl writes it cell by cell (the writer's way until issue 16)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=writer.SHEET_NAME)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(writer._header(sheet, as_of))
    labels = {kind: chinese_labels(choices) for kind, choices in VOCABULARIES.items()}

    def typed(value: Any, number_format: str) -> Any:
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.date | Decimal):
            cell.number_format = number_format
        return cell

    for values in rows:
        row: list[Any] = []
        for column in COLUMNS:
            value = values.get(column.id)
            if column.kind in labels:
                row.append(labels[column.kind].get(str(value), ""))
            elif column.kind is Kind.DATE:
                row.append(typed(value, writer.DATE_FORMAT))
            elif column.kind is Kind.AMOUNT:
                row.append(typed(value, writer.AMOUNT_FORMAT))
            elif column.kind in (Kind.IGNORED, Kind.COORDINATE):
                row.append(value)
            else:
                row.append(xlsx.text_cell(sheet, value))
        sheet.append(row)
    return xlsx.to_bytes(workbook)


def parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = ("xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml")
        return {name: archive.read(name) for name in names}


UNUSUAL: dict[str, Any] = {
    "sequence": 1,
    "code": '=HYPERLINK("http://example.com","点我")',
    "name": "  前后有空格的项目  ",
    "region": "A&B<C>D",
    "level": "provincial",
    "nature": "no such nature",
    "reserve_stage": "",
    "category": None,
    "industry": "#N/A",
    "construction_content": "第一行\r\n第二行\t制表",
    "total_investment": None,  # the first formatted cell is a date: its style comes first
    "planned_investment": Decimal("0"),
    "ytd_completed": Decimal("NaN"),
    "bond_funds": Decimal("1234567.89"),
    "bond_funds_spent": 12,
    "planned_start": dt.date(2026, 3, 1),
    "actual_start": dt.date(1900, 2, 1),
    "planned_completion": dt.datetime(2027, 6, 30, 12, 30),  # noqa: DTZ001 (a naive one, as Excel)
    "actual_completion": "2026-13-01",
    "actual_production": 46000,
    "statistics_inclusion": Decimal("46001"),
    "owner_unit": "某某集团有限公司",
    "contact_phone": 13800000000,
    "lists": "省重点项目；市重点项目",
    "longitude": Decimal("120.382610"),
    "latitude": "36.067",
    "remarks": "长" * 40000,
}
PLAIN: dict[str, Any] = {
    "sequence": 2,
    "code": "2019-370202-47-01-384732",
    "name": "市南区数据中心",
    "region": "市南区",
    "level": "municipal",
    "nature": "new_start",
    "total_investment": Decimal("50000.00"),
    "planned_investment": Decimal("12000.50"),
    "ytd_completed": Decimal("0.10"),
    "longitude": 120,
    "latitude": 1.5,
    "remarks": "=",
}


@pytest.mark.parametrize("as_of", [AS_OF, None])
def test_rows_as_xml_are_what_openpyxl_writes(as_of):
    rows: list[dict[str, Any]] = [UNUSUAL, PLAIN, {}, {"sequence": 4, "total_investment": 7.25}]
    assert parts(writer.write_ledger_rows(rows, as_of=as_of)) == parts(openpyxl_ledger(rows, as_of))


def test_an_amount_first_registers_its_style_first():
    rows = [PLAIN, UNUSUAL]
    assert parts(writer.write_ledger_rows(rows)) == parts(openpyxl_ledger(rows, None))


def test_no_rows_is_a_header_only():
    assert parts(writer.write_ledger_rows([])) == parts(openpyxl_ledger([], None))


# openpyxl's sheet, left unsaved by the refusal, complains when it is collected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_control_character_is_refused_as_openpyxl_refuses_it():
    with pytest.raises(IllegalCharacterError):
        openpyxl_ledger([{"name": "项目\x01"}], None)
    with pytest.raises(IllegalCharacterError):
        writer.write_ledger_rows([{"name": "项目\x01"}])
    gc.collect()  # here, where the complaint is expected
