"""Writing xlsx files the same way everywhere: a title row, a styled header, safe text cells.

openpyxl's write-only mode keeps memory flat however many rows are written.
"""

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def new_sheet(
    *, sheet_name: str, title: str, columns: Sequence[tuple[str, int]]
) -> tuple[Workbook, WriteOnlyWorksheet]:
    """A workbook with one sheet: column widths, a bold title row, then the header row."""
    workbook = Workbook(write_only=True)
    return workbook, add_sheet(workbook, sheet_name=sheet_name, title=title, columns=columns)


def add_sheet(
    workbook: Workbook, *, sheet_name: str, title: str, columns: Sequence[tuple[str, int]]
) -> WriteOnlyWorksheet:
    """Another sheet of the workbook, laid out as `new_sheet` lays out the first."""
    sheet = workbook.create_sheet(title=sheet_name[:31])
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
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


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
