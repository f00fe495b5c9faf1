"""Writing xlsx files the same way everywhere: a title row, a styled header, safe text cells,
amounts and rates as numbers.

openpyxl's write-only mode keeps memory flat however many rows are written.
"""

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
# Amounts (万元) and rates (percentages) carry two places, as DOMAIN.md §4 writes them.
TWO_PLACES = "0.00"
# The value of a cell: a name, a count, an amount or rate, or nothing (an empty cell).
Value = str | int | Decimal | None


def new_sheet(
    *, sheet_name: str, title: str, columns: Sequence[tuple[str, int]]
) -> tuple[Workbook, WriteOnlyWorksheet]:
    """A workbook with one sheet: column widths, a bold title row, then the header row."""
    workbook = Workbook(write_only=True)
    return workbook, add_sheet(workbook, sheet_name=sheet_name, title=title, columns=columns)


def add_sheet(
    workbook: Workbook,
    *,
    sheet_name: str,
    title: str,
    columns: Sequence[tuple[str, int]],
    notes: Sequence[str] = (),
) -> WriteOnlyWorksheet:
    """Another sheet of the workbook, laid out as `new_sheet` lays out the first; `notes`
    are lines of text between the title and the header (what the figures are of)."""
    sheet = workbook.create_sheet(title=sheet_name[:31])
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # The header row stays in sight while the rows scroll.
    sheet.freeze_panes = f"A{3 + len(notes)}"
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    for note in notes:
        sheet.append([text_cell(sheet, note)])
    header = []
    for text, _width in columns:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def text_cell(sheet: WriteOnlyWorksheet, value: str | None) -> WriteOnlyCell:
    """A cell that holds typed text as text: "=HYPERLINK(…)" must never become a formula."""
    cell = WriteOnlyCell(sheet, value=value or "")
    cell.data_type = "s"
    return cell


def cell(sheet: WriteOnlyWorksheet, value: Value, *, bold: bool = False) -> Any:
    """The cell of a value. A plain value (a count, a name, an empty cell) is appended as it
    is: a workbook may hold tens of thousands of rows, and a styled cell costs several times
    more. Amounts and rates (Decimal) are numbers with two places; text that openpyxl would
    read as a formula or an error code is made a text cell."""
    if not bold and (value is None or isinstance(value, int) or _plain_text(value)):
        return value
    if isinstance(value, str):
        written = text_cell(sheet, value)
    else:
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            written.number_format = TWO_PLACES
    if bold:
        written.font = Font(bold=True)
    return written


def _plain_text(value: Value) -> bool:
    return isinstance(value, str) and not value.startswith("=") and value not in ERROR_CODES


def width(heading: str) -> int:
    """A column's width for its heading (a Chinese character is about two widths)."""
    return max(8, min(40, len(heading) * 2 + 2))


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
