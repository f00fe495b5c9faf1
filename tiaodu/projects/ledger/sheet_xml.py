"""The ledger's rows written as the sheet's XML, exactly as openpyxl's write-only mode writes
the same cells.

openpyxl makes a cell object and lxml elements for every value: at 10,000 rows × 34 columns
that was most of an export's time (docs/benchmarks.md, issue 16). Here the workbook — its
styles, the header row, the column widths, the frozen pane — is still openpyxl's, and only
the rows' `<row>` elements are written as text, into the sheet openpyxl saved. What they
say is byte for byte what openpyxl writes (a test writes the same rows both ways):

- text as an inline string, `&`, `<`, `>` and CR escaped, every character outside ASCII as
  a character reference, `xml:space="preserve"` around surrounding spaces; an empty text
  as an empty inline-string cell; a text that is too long is cut at 32,767 characters and
  one with a control character refused, as openpyxl does;
- a number as `t="n"` with 16 significant digits; a date as the days since 1899-12-30,
  with the column's number format (an amount's too), its style registered with the
  workbook where it first appears, as openpyxl registers it;
- anything else (a datetime, a text in a number column) through openpyxl itself.
"""

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from enum import Enum
from io import BytesIO
from typing import IO, Any

from lxml.etree import xmlfile
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat.strings import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# openpyxl's longest cell text.
MAX_TEXT = 32767
# Rows encoded at a time.
CHUNK = 500
# The rows' XML is kept in memory up to this size, on disk beyond it.
SPOOLED = 64 * 1024 * 1024
# Where the rows go in the saved sheet.
END_OF_ROWS = b"</sheetData>"


class Cell(Enum):
    """How a column's values are written."""

    TEXT = "text"  # always text, never a formula (openpyxl's data type "s")
    PLAIN = "plain"  # as openpyxl takes the value: a label, a number
    FORMATTED = "formatted"  # a date or an amount: a number with the column's format


def _escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _checked(text: str) -> str:
    text = text[:MAX_TEXT]
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
    return text


def _text(ref: str, text: str) -> str:
    if not text:
        return f'<c r="{ref}" t="inlineStr"></c>'
    text = _checked(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{_escaped(text)}</t></is></c>'


class RowWriter:
    """Writes rows of values, one per column, in the columns' ways, into `out` (a temporary
    file); `into(saved)` puts them into the saved workbook's sheet."""

    def __init__(
        self,
        sheet: WriteOnlyWorksheet,
        columns: Sequence[tuple[Cell, str | None]],
        first_row: int,
        out: IO[bytes],
    ) -> None:
        self.sheet = sheet
        self.columns = columns
        self.letters = [get_column_letter(index) for index in range(1, len(columns) + 1)]
        self.number = first_row
        self.style_ids: dict[str, int] = {}
        self.out = out
        self.pending: list[str] = []

    def style_id(self, number_format: str, value: Any) -> int:
        """The style of a formatted cell, registered as openpyxl registers it: the value's
        own format first (a date's), then the column's."""
        found = self.style_ids.get(number_format)
        if found is None:
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = number_format
            found = self.style_ids[number_format] = int(cell.style_id)
        return found

    def append(self, values: Sequence[Any]) -> None:
        row = self.number
        cells = []
        for index, (kind, number_format) in enumerate(self.columns):
            value = values[index]
            ref = f"{self.letters[index]}{row}"
            kind_of = type(value)
            if kind is Cell.TEXT:
                if value is None:
                    cells.append(f'<c r="{ref}" t="inlineStr"></c>')
                elif kind_of is str:
                    cells.append(_text(ref, value))
                else:
                    cells.append(self._by_openpyxl(index, value, text=True))
            elif value is None:
                continue
            elif kind is Cell.FORMATTED and number_format and kind_of in (dt.date, Decimal):
                style = self.style_id(number_format, value)
                number = safe_string(to_excel(value) if kind_of is dt.date else value)
                cells.append(f'<c r="{ref}" s="{style}" t="n"><v>{number}</v></c>')
            elif kind_of in (int, Decimal):
                cells.append(f'<c r="{ref}" t="n"><v>{safe_string(value)}</v></c>')
            elif kind_of is str and not value.startswith("=") and value not in ERROR_CODES:
                cells.append(_text(ref, value))
            else:
                format_ = number_format if kind is Cell.FORMATTED else None
                cells.append(self._by_openpyxl(index, value, number_format=format_))
        self.pending.append(f'<row r="{row}">{"".join(cells)}</row>')
        self.number += 1
        if len(self.pending) >= CHUNK:
            self._flush()

    def _by_openpyxl(
        self, index: int, value: Any, *, text: bool = False, number_format: str | None = None
    ) -> str:
        """A value of an unusual kind, written by openpyxl as its write-only mode would."""
        cell = WriteOnlyCell(self.sheet, value=value)
        if text:
            cell.data_type = "s"
        if number_format and isinstance(value, dt.date | Decimal):
            cell.number_format = number_format
        cell.column = index + 1
        cell.row = self.number
        if cell._value is None and not cell.has_style:
            return ""
        buffer = BytesIO()
        with xmlfile(buffer) as xf:
            write_cell(xf, self.sheet, cell, cell.has_style)
        return buffer.getvalue().decode("ascii")

    def _flush(self) -> None:
        if self.pending:
            self.out.write("".join(self.pending).encode("ascii", "xmlcharrefreplace"))
            self.pending = []

    def into(self, saved: bytes) -> bytes:
        """The saved workbook with the rows at the end of its (only) sheet's rows."""
        self._flush()
        self.out.seek(0)
        source = zipfile.ZipFile(BytesIO(saved))
        target = BytesIO()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename != "xl/worksheets/sheet1.xml":
                    archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                head, tail = content.rsplit(END_OF_ROWS, 1)
                with archive.open(info, "w") as sheet:
                    sheet.write(head)
                    while chunk := self.out.read(1024 * 1024):
                        sheet.write(chunk)
                    sheet.write(END_OF_ROWS + tail)
        return target.getvalue()


def write_rows(
    workbook: Workbook,
    sheet: WriteOnlyWorksheet,
    columns: Sequence[tuple[Cell, str | None]],
    rows: Iterator[Sequence[Any]] | Sequence[Sequence[Any]],
    *,
    first_row: int,
    saved: Callable[[Workbook], bytes],
    each: Callable[[int], None] | None = None,
) -> bytes:
    """The workbook, saved by `saved`, with `rows` after the rows appended to `sheet`
    (which end before `first_row`); `each(done)` after every row."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOLED) as out:
        writer = RowWriter(sheet, columns, first_row, out)
        for done, values in enumerate(rows, start=1):
            writer.append(values)
            if each is not None:
                each(done)
        return writer.into(saved(workbook))
