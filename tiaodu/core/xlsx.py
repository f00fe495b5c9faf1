"""Writing xlsx files the same way everywhere: a title row, a styled header, safe text cells,
amounts and rates as numbers.

openpyxl's write-only mode keeps memory flat however many rows are written. openpyxl is
imported when the first workbook is made, not when the site starts: a process that writes
none (a command, a worker, a test) starts 0.2 s sooner.
"""

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Excel's error values: a text equal to one would be read back as the error.
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
# Amounts (万元) and rates (percentages) carry two places, as DOMAIN.md §4 writes them.
TWO_PLACES = "0.00"
# The value of a cell: a name, a count, an amount or rate, or nothing (an empty cell).
Value = str | int | Decimal | None


_LOADED: Any = None


def openpyxl() -> Any:
    """openpyxl's classes this site writes with, imported on first use."""
    global _LOADED
    if _LOADED is None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        _LOADED = SimpleNamespace(
            Workbook=Workbook,
            WriteOnlyCell=WriteOnlyCell,
            Alignment=Alignment,
            Font=Font,
            PatternFill=PatternFill,
            get_column_letter=get_column_letter,
            header_fill=PatternFill("solid", fgColor="DCE6F1"),
        )
    return _LOADED


def column_letter(number: int) -> str:
    """A column's letters from its number, as Excel names it (1 → A, 27 → AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """A column's number from its letters (A → 1, AA → 27)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def header_fill() -> Any:
    """The fill of a header cell."""
    return openpyxl().header_fill


def new_workbook() -> "Workbook":
    """An empty write-only workbook."""
    return openpyxl().Workbook(write_only=True)


def value_cell(sheet: "WriteOnlyWorksheet", value: Any) -> "WriteOnlyCell":
    """A cell of the sheet holding the value, to be given a format or a style."""
    return openpyxl().WriteOnlyCell(sheet, value=value)


def new_sheet(
    *, sheet_name: str, title: str, columns: Sequence[tuple[str, int]]
) -> tuple["Workbook", "WriteOnlyWorksheet"]:
    """A workbook with one sheet: column widths, a bold title row, then the header row."""
    workbook = new_workbook()
    return workbook, add_sheet(workbook, sheet_name=sheet_name, title=title, columns=columns)


def add_sheet(
    workbook: "Workbook",
    *,
    sheet_name: str,
    title: str,
    columns: Sequence[tuple[str, int]],
    notes: Sequence[str] = (),
) -> "WriteOnlyWorksheet":
    """Another sheet of the workbook, laid out as `new_sheet` lays out the first; `notes`
    are lines of text between the title and the header (what the figures are of)."""
    loaded = openpyxl()
    sheet = workbook.create_sheet(title=sheet_name[:31])
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[loaded.get_column_letter(index)].width = width
    # The header row stays in sight while the rows scroll.
    sheet.freeze_panes = f"A{3 + len(notes)}"
    title_cell = loaded.WriteOnlyCell(sheet, value=title)
    title_cell.font = loaded.Font(bold=True, size=14)
    sheet.append([title_cell])
    for note in notes:
        sheet.append([text_cell(sheet, note)])
    header = []
    for text, _width in columns:
        cell = loaded.WriteOnlyCell(sheet, value=text)
        cell.font = loaded.Font(bold=True)
        cell.fill = loaded.header_fill
        cell.alignment = loaded.Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def text_cell(sheet: "WriteOnlyWorksheet", value: str | None) -> "WriteOnlyCell":
    """A cell that holds typed text as text: "=HYPERLINK(…)" must never become a formula."""
    cell = value_cell(sheet, value or "")
    cell.data_type = "s"
    return cell


def cell(sheet: "WriteOnlyWorksheet", value: Value, *, bold: bool = False) -> Any:
    """The cell of a value. A plain value (a count, a name, an empty cell) is appended as it
    is: a workbook may hold tens of thousands of rows, and a styled cell costs several times
    more. Amounts and rates (Decimal) are numbers with two places; text that openpyxl would
    read as a formula or an error code is made a text cell."""
    if not bold and (value is None or isinstance(value, int) or _plain_text(value)):
        return value
    if isinstance(value, str):
        written = text_cell(sheet, value)
    else:
        written = value_cell(sheet, value)
        if isinstance(value, Decimal):
            written.number_format = TWO_PLACES
    if bold:
        written.font = openpyxl().Font(bold=True)
    return written


def _plain_text(value: Value) -> bool:
    return isinstance(value, str) and not value.startswith("=") and value not in ERROR_CODES


def width(heading: str) -> int:
    """A column's width for its heading (a Chinese character is about two widths)."""
    return max(8, min(40, len(heading) * 2 + 2))


def to_bytes(workbook: "Workbook") -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
