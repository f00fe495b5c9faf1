"""The checks of an old Excel workbook (.xls, Excel 97–2003) before anything parses it.

An .xls is an OLE2 compound file whose `Workbook` stream is a run of BIFF records. Its first
sheet is the first BOUNDSHEET record of the workbook globals; that sheet's records are
scanned for merged ranges (MERGEDCELLS) and formulas (FORMULA), the same two things an
.xlsx ledger may not hold. Nothing else of the file is interpreted here: python-calamine
reads the values.
"""

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import olefile

from tiaodu.core import xlsx

BOF = 0x0809
EOF = 0x000A
BOUNDSHEET = 0x0085
FORMULA = 0x0006
MERGEDCELLS = 0x00E5
WORKSHEET = 0x00


class NotAWorkbook(ValueError):
    """The compound file holds no Excel workbook (a .doc, a .ppt, or a damaged file)."""


@dataclass
class FirstSheet:
    name: str
    merged: list[str] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)


def _records(data: bytes, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(offset, type, body) of each record from `start` on."""
    offset = start
    while offset + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, offset)
        yield offset, kind, data[offset + 4 : offset + 4 + length]
        offset += 4 + length


def _sheet_name(body: bytes, biff8: bool) -> str:
    length = body[6]
    if not biff8:
        return body[7 : 7 + length].decode("cp936", "replace")
    wide = body[7] & 1
    text = body[8 : 8 + length * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


def _ref(row: int, column: int) -> str:
    return f"{xlsx.column_letter(column + 1)}{row + 1}"


def first_sheet(handle: IO[bytes]) -> FirstSheet:
    """The name, merged ranges and formula cells of the workbook's first worksheet."""
    try:
        with olefile.OleFileIO(handle) as ole:
            stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
            if stream is None:
                raise NotAWorkbook("no Workbook stream")
            data = ole.openstream(stream).read()
    except (OSError, ValueError, IndexError, struct.error) as error:
        # A damaged compound file: olefile's own errors, or what its parsing meets.
        raise NotAWorkbook(str(error)) from error
    finally:
        handle.seek(0)
    biff8 = stream == "Workbook"
    found: FirstSheet | None = None
    start = 0
    for _offset, kind, body in _records(data):
        if kind == BOUNDSHEET and len(body) >= 8 and body[5] == WORKSHEET:
            start = struct.unpack_from("<I", body)[0]
            found = FirstSheet(name=_sheet_name(body, biff8))
            break
        if kind == EOF:
            break
    if found is None or start >= len(data):
        raise NotAWorkbook("no worksheet")
    for offset, kind, body in _records(data, start):
        if kind == EOF:
            break
        if kind == BOF and offset != start:
            break
        if kind == FORMULA and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            found.formulas.append(_ref(row, column))
        elif kind == MERGEDCELLS and len(body) >= 2:
            (count,) = struct.unpack_from("<H", body)
            for index in range(count):
                if 2 + 8 * (index + 1) > len(body):
                    break
                first, last, left, right = struct.unpack_from("<HHHH", body, 2 + 8 * index)
                found.merged.append(f"{_ref(first, left)}:{_ref(last, right)}")
    return found
