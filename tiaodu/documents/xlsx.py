"""The bulletin's tables as an Excel workbook: one sheet per table, every row (the documents
show the first rows of a long list, the workbook all of them), then the totals row.

Amounts and rates are numbers (two places), counts whole numbers, "none" an empty cell;
text that could be read as a formula goes through `core.xlsx.text_cell`, so a project name
is never a formula.
"""

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.core.xlsx import add_sheet, text_cell, to_bytes
from tiaodu.documents.contents import BulletinContent, Value


def _cell(sheet: WriteOnlyWorksheet, value: Value, *, bold: bool = False) -> Any:
    """The cell of a value. A plain value (a count, a name, an empty cell) is appended as it
    is: a workbook holds tens of thousands of rows, and a styled cell costs several times
    more. Amounts get their number format; text that openpyxl would read as a formula or an
    error code is made a text cell."""
    if not bold and (value is None or isinstance(value, int) or _plain_text(value)):
        return value
    if isinstance(value, str):
        cell = text_cell(sheet, value)
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            cell.number_format = "0.00"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _plain_text(value: Value) -> bool:
    return isinstance(value, str) and not value.startswith("=") and value not in ERROR_CODES


def _width(heading: str) -> int:
    return max(8, min(40, len(heading) * 2 + 2))


def render(content: BulletinContent) -> bytes:
    workbook = Workbook(write_only=True)
    for table in content.tables():
        columns = [(heading, _width(heading)) for heading in table.columns]
        sheet = add_sheet(
            workbook,
            sheet_name=table.title,
            title=f"{content.title} · {table.title}",
            columns=columns,
        )
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
        if table.total is not None:
            sheet.append([_cell(sheet, value, bold=True) for value in table.total])
    return to_bytes(workbook)
