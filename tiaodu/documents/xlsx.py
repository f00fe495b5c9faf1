"""The bulletin's tables as an Excel workbook: one sheet per table, every row (the documents
show the first rows of a long list, the workbook all of them), then the totals row.

Amounts and rates are numbers (two places), counts whole numbers, "none" an empty cell;
text goes through `core.xlsx.text_cell`, so a project name is never a formula.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.core.xlsx import add_sheet, text_cell, to_bytes
from tiaodu.documents.contents import BulletinContent, Value


def _cell(sheet: WriteOnlyWorksheet, value: Value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = text_cell(sheet, value)
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            cell.number_format = "0.00"
    if bold:
        cell.font = Font(bold=True)
    return cell


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
