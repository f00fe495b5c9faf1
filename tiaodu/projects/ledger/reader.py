"""Reading the first sheet of a ledger (header row 1): an xlsx or xls with python-calamine,
a CSV with the csv module (every cell a text, which the cell parsers read as typed)."""

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from tiaodu.core import xlsx
from tiaodu.projects.ledger.cells import is_blank
from tiaodu.projects.ledger.columns import Column, StatedDate, header_as_of, match_header
from tiaodu.projects.ledger.progress import READING, Progress, report
from tiaodu.projects.ledger.safety import CSV, CSV_SHEET, CheckedFile, LedgerFileError
from tiaodu.projects.ledger.texts import MAX_CHARACTERS


@dataclass(frozen=True)
class HeaderCell:
    index: int  # 0-based column index
    text: str
    column: Column | None
    stated: StatedDate | None = None  # the date the header states its figures as of

    @property
    def letter(self) -> str:
        return xlsx.column_letter(self.index + 1)


class Row:
    """One row of the sheet: its Excel number and, as `values`, its known columns' raw
    cells by column id, read from the row as read (kept once, in `Sheet.raw`), not copied
    into a dictionary per row."""

    __slots__ = ("cells", "number", "used")

    def __init__(self, number: int, cells: list[Any], used: tuple[tuple[int, str], ...]) -> None:
        self.number = number
        self.cells = cells
        self.used = used

    @property
    def values(self) -> dict[str, Any]:
        cells = self.cells
        width = len(cells)
        return {cid: cells[i] if i < width else None for i, cid in self.used}


@dataclass
class Sheet:
    name: str
    headers: list[HeaderCell]
    rows: list[Row]
    raw: list[list[Any]] = field(default_factory=list)  # every row as read, for the error report

    @property
    def stated(self) -> list[HeaderCell]:
        """The known columns whose headers state a date."""
        return [h for h in self.headers if h.column is not None and h.stated is not None]

    def header_of(self, column_id: str) -> HeaderCell | None:
        for header in self.headers:
            if header.column is not None and header.column.id == column_id:
                return header
        return None


def _read_csv(handle: IO[bytes], encoding: str) -> list[list[Any]]:
    text = handle.read().decode(encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise LedgerFileError(
            _("The CSV file cannot be read (%(error)s). Save it again from Excel or WPS.")
            % {"error": error}
        ) from error
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if len(value) > MAX_CHARACTERS:
                cell = f"{xlsx.column_letter(index + 1)}{number}"
                raise LedgerFileError(
                    _(
                        "Cell %(cell)s holds a text of more than %(limit)s characters, the "
                        "most a cell of Excel holds. Shorten it and upload the file again."
                    )
                    % {"cell": cell, "limit": f"{MAX_CHARACTERS:,}"},
                    sheet=CSV_SHEET,
                    cells=(cell,),
                )
    return rows


def _read_workbook(handle: IO[bytes]) -> tuple[str, list[list[Any]]]:
    try:
        workbook = CalamineWorkbook.from_filelike(handle)
        sheet = workbook.get_sheet_by_index(0)
        return sheet.name, sheet.to_python(skip_empty_area=False)
    except CalamineError as error:
        raise LedgerFileError(
            _("The workbook cannot be read (%(error)s). Save it again as .xlsx.") % {"error": error}
        ) from error


def read_sheet(
    handle: IO[bytes], *, checked: CheckedFile | None = None, progress: Progress | None = None
) -> Sheet:
    """The first sheet: its headers (row 1) and its non-empty rows keyed by column id."""
    if checked is not None and checked.kind == CSV:
        name, raw = checked.sheet_name, _read_csv(handle, checked.encoding)
    else:
        name, raw = _read_workbook(handle)
        name = (checked.sheet_name if checked else "") or name
    if not raw or all(is_blank(value) for value in raw[0]):
        raise LedgerFileError(
            _(
                "Sheet “%(sheet)s” is empty: row 1 must hold the headers of the ledger "
                "template and each following row one project."
            )
            % {"sheet": name},
            sheet=name,
        )
    headers = [
        HeaderCell(index, str(text).strip(), match_header(text), header_as_of(text))
        for index, text in enumerate(raw[0])
        if not is_blank(text)
    ]
    used = tuple((h.index, h.column.id) for h in headers if h.column is not None)
    rows: list[Row] = []
    total = len(raw) - 1
    report(progress, READING, 0, total)
    for offset, values in enumerate(raw[1:], start=2):
        report(progress, READING, offset - 1, total)
        if all(is_blank(value) for value in values):
            continue
        rows.append(Row(offset, values, used))
    if not rows:
        raise LedgerFileError(
            _("Sheet “%(sheet)s” has headers but no project rows: add one row per project.")
            % {"sheet": name},
            sheet=name,
        )
    return Sheet(name=name, headers=headers, rows=rows, raw=raw)
