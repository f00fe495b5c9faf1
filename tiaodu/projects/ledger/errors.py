"""The error report of a ledger as xlsx: the uploaded values with every wrong cell filled red
and commented with its fix, and a second sheet that lists every error."""

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from tiaodu.core import xlsx
from tiaodu.projects.ledger.rows import LedgerError, shown

if TYPE_CHECKING:
    from openpyxl import Workbook

# The fills of a wrong cell and of its row (openpyxl is imported when a report is written).
ERROR_COLOUR = "FFC7CE"
ROW_COLOUR = "FFEB9C"
COMMENT_AUTHOR = "调度"


def write_error_report(errors: Sequence[LedgerError], *, raw: list[list[Any]] | None) -> bytes:
    """The report: sheet 1 the ledger as uploaded (when it could be read), sheet 2 the errors."""
    workbook = xlsx.new_workbook()
    if raw:
        _write_ledger(workbook, errors, raw)
    _write_list(workbook, errors)
    return xlsx.to_bytes(workbook)


def _write_ledger(
    workbook: "Workbook", errors: Sequence[LedgerError], raw: list[list[Any]]
) -> None:
    sheet = workbook.create_sheet(title=(errors[0].sheet if errors else "") or _("Ledger"))
    by_cell: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in errors:
        if error.row is None:
            continue
        if error.column:
            by_cell[(error.row, _column_index(error.column))].append(error.fix)
        else:
            by_row[error.row].append(f"{error.header}：{error.fix}")
    from openpyxl.comments import Comment

    loaded = xlsx.openpyxl()
    error_fill = loaded.PatternFill("solid", fgColor=ERROR_COLOUR)
    row_fill = loaded.PatternFill("solid", fgColor=ROW_COLOUR)
    width = max(len(row) for row in raw)
    for number, values in enumerate(raw, start=1):
        cells: list[Any] = []
        for index in range(width):
            value = values[index] if index < len(values) else None
            cell = xlsx.text_cell(sheet, shown(value)) if isinstance(value, str) else None
            if cell is None:
                cell = xlsx.value_cell(sheet, None if value == "" else value)
            fixes = by_cell.get((number, index))
            if fixes:
                cell.fill = error_fill
                cell.comment = Comment("\n".join(fixes), COMMENT_AUTHOR, width=300, height=120)
            elif number == 1:
                cell.font = loaded.Font(bold=True)
            cells.append(cell)
        note = xlsx.value_cell(sheet, "；".join(by_row.get(number, [])) or None)
        if number == 1:
            note.value = _("Errors of the row")
            note.font = loaded.Font(bold=True)
        elif note.value:
            note.fill = row_fill
        cells.append(note)
        sheet.append(cells)


def _write_list(workbook: "Workbook", errors: Sequence[LedgerError]) -> None:
    sheet = workbook.create_sheet(title=_("Errors"))
    headers = [_("Sheet"), _("Row"), _("Column"), _("Header"), _("Value"), _("How to fix")]
    sheet.append([xlsx.value_cell(sheet, text) for text in headers])
    for error in errors:
        sheet.append(
            [
                xlsx.text_cell(sheet, error.sheet),
                error.row,
                xlsx.text_cell(sheet, error.column),
                xlsx.text_cell(sheet, error.header),
                xlsx.text_cell(sheet, error.value),
                xlsx.text_cell(sheet, error.fix),
            ]
        )


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1
