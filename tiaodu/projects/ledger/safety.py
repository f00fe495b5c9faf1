"""Checks of an uploaded ledger before anything parses it (DOMAIN.md §9).

The file is a ledger by its content, not by its name: an .xlsx workbook, an old .xls
(Excel 97–2003, still common in offices) or CSV text in UTF-8 or GBK. Its size is bounded,
and an xlsx's zip package is checked from its directory before any part is unpacked
(`core.media.office`: parts, names, sizes, growth); the imported sheet may hold neither merged
cells nor formulas, which are found by streaming through an xlsx sheet's XML (never building
a tree of it) or through an .xls sheet's records (`ledger.xls`), nor a text longer than a
cell holds (`ledger.texts`), found before the workbook is read.
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _

from tiaodu.core.media import office, signatures
from tiaodu.projects.ledger import texts, xls

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024
MAX_REPORTED_CELLS = 20

_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_WITH_FORMULA = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>(?:<(?:[A-Za-z_][\w.-]*:)?is>.*?</(?:[A-Za-z_][\w.-]*:)?is>)?<(?:[A-Za-z_][\w.-]*:)?f[\s>/]',
    re.DOTALL,
)
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class LedgerFileError(ValueError):
    """The file cannot be imported at all; the message says why and what to do."""

    def __init__(self, message: str, *, sheet: str = "", cells: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.cells = cells


def max_bytes() -> int:
    return int(getattr(settings, "TIAODU_LEDGER_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_uncompressed_bytes() -> int:
    return int(
        getattr(settings, "TIAODU_LEDGER_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


XLSX, XLS, CSV = "xlsx", "xls", "csv"
CSV_SHEET = "CSV"
# The encodings a CSV ledger may be saved in: UTF-8 (with or without a BOM), and GBK as
# Excel and WPS save "CSV" on a Chinese Windows (read as GB 18030, which contains it).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class CheckedFile:
    """A ledger that passed every check: its kind (the file name extension it is stored
    under), the name of its first sheet, an xlsx's zip path of it, a CSV's encoding."""

    sheet_name: str
    sheet_path: str = ""
    kind: str = XLSX
    encoding: str = ""


def _csv_encoding(data: bytes) -> str | None:
    for encoding in CSV_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _check_text(handle: IO[bytes], head: bytes) -> CheckedFile:
    """CSV text whose header row has separators, in UTF-8 or GBK."""
    if b"\x00" in head:
        raise LedgerFileError(
            _("This file is not an Excel workbook (.xlsx). Save the ledger as .xlsx and upload it.")
        )
    data = handle.read()
    handle.seek(0)
    encoding = _csv_encoding(data)
    if encoding is None:
        raise LedgerFileError(
            _(
                "This text file is neither UTF-8 nor GBK text. Open it in Excel or WPS and "
                "save it as “Excel Workbook (*.xlsx)”, or as CSV UTF-8."
            )
        )
    first_line = data.decode(encoding).split("\n", 1)[0]
    if "," not in first_line and "\t" not in first_line:
        raise LedgerFileError(
            _(
                "This is a text file, not a ledger: its first line has no columns. Fill in "
                "the ledger template (export it from the project library) and save it as "
                ".xlsx, .xls or CSV."
            )
        )
    return CheckedFile(sheet_name=CSV_SHEET, kind=CSV, encoding=encoding)


def _check_xls(handle: IO[bytes]) -> CheckedFile:
    """An old Excel workbook: a compound file with a worksheet, no merged cells, no formulas."""
    try:
        sheet = xls.first_sheet(handle)
    except xls.NotAWorkbook as error:
        raise LedgerFileError(
            _(
                "This old Office file (perhaps a Word .doc) holds no Excel worksheet. Upload "
                "the ledger as .xlsx, .xls or CSV."
            )
        ) from error
    finally:
        handle.seek(0)
    _refuse(sheet.name, sheet.merged, sheet.formulas)
    return CheckedFile(sheet_name=sheet.name, kind=XLS)


def _refuse(sheet: str, merged: list[str], formulas: list[str]) -> None:
    """Refuse a first sheet with merged cells or formulas (each named, up to a limit)."""
    if merged:
        shown = "、".join(merged[:MAX_REPORTED_CELLS])
        raise LedgerFileError(
            _(
                "Sheet “%(sheet)s” has merged cells (%(cells)s). Unmerge them and write the "
                "value in every row it belongs to: one row per project, one header row."
            )
            % {"sheet": sheet, "cells": shown},
            sheet=sheet,
            cells=tuple(merged),
        )
    if formulas:
        shown = "、".join(formulas[:MAX_REPORTED_CELLS]) or "?"
        raise LedgerFileError(
            _(
                "Sheet “%(sheet)s” has formulas (in %(cells)s). Replace them by their values "
                "(copy, then paste as values) and upload the file again."
            )
            % {"sheet": sheet, "cells": shown},
            sheet=sheet,
            cells=tuple(formulas),
        )


def _check_kind(handle: IO[bytes]) -> CheckedFile | None:
    """An .xls or CSV ledger checked whole; None for a zip (checked as an xlsx next)."""
    head = handle.read(4096)
    handle.seek(0)
    kind = signatures.identify(head)
    if kind is signatures.OLD_OFFICE:
        return _check_xls(handle)
    if kind is signatures.ZIP:
        return None
    if kind is None:
        return _check_text(handle, head)
    raise LedgerFileError(
        _(
            "This file is a %(kind)s, not a ledger. Upload the ledger as an Excel workbook "
            "(.xlsx or .xls) or as CSV."
        )
        % {"kind": kind.label or _("media file")}
    )


def _first_sheet(archive: zipfile.ZipFile) -> CheckedFile:
    """The first sheet of the workbook, by the workbook's own order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
    if sheet is None:
        raise LedgerFileError(_("The workbook has no sheet. Put the ledger on its first sheet."))
    name = sheet.get("name", "")
    relation = sheet.get(f"{_NS_REL}id", "")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for item in rels.iter(f"{_NS_PKG_REL}Relationship"):
        if item.get("Id") == relation:
            target = item.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            return CheckedFile(sheet_name=name, sheet_path=posixpath.normpath(path))
    raise LedgerFileError(_("The workbook is damaged: its first sheet cannot be found."))


def _blocks(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[bytes, bytes]]:
    """The member's bytes block by block, each with the chunk to search: the block after
    the end of the one before, so that no tag is cut in two."""
    tail = b""
    with archive.open(member) as stream:
        while block := stream.read(CHUNK):
            yield block, tail + block
            tail = block[-512:]


def _scan_sheet(archive: zipfile.ZipFile, checked: CheckedFile) -> bool:
    """Refuse a declaration, merged cells and formulas; say whether the quick length scan
    (`texts.Stretches`, fed the same bytes) finds every cell's text short."""
    merged: list[str] = []
    formula_seen = False
    stretches = texts.Stretches("c")
    for block, chunk in _blocks(archive, checked.sheet_path):
        stretches.feed(block)
        # Each pattern looked for only where its fixed part is (a quick byte search).
        if b"<!" in chunk and _DOCTYPE.search(chunk):
            raise LedgerFileError(
                _("The sheet holds a document type declaration, which a ledger never has."),
                sheet=checked.sheet_name,
            )
        if b"mergeCell" in chunk:
            merged.extend(m.decode() for m in _MERGE.findall(chunk) if m.decode() not in merged)
        formula_seen = formula_seen or (
            (b"<f" in chunk or b":f" in chunk) and bool(_FORMULA.search(chunk))
        )
    cells: list[str] = []
    if formula_seen:
        for _block, chunk in _blocks(archive, checked.sheet_path):
            for ref in _CELL_WITH_FORMULA.findall(chunk):
                if ref.decode() not in cells:
                    cells.append(ref.decode())
        cells = cells or ["?"]
    _refuse(checked.sheet_name, merged, cells)
    return stretches.finish()


def _not_a_workbook() -> LedgerFileError:
    return LedgerFileError(
        _(
            "This zip file is not an Excel workbook (perhaps a Word document). "
            "Upload the ledger as an .xlsx file."
        )
    )


def _package_error(refused: office.PackageRefused) -> LedgerFileError:
    """The zip package's refusal, in the ledger's words where it has its own."""
    if refused.problem == office.PackageProblem.NOT_OFFICE:
        return _not_a_workbook()
    if refused.problem == office.PackageProblem.DAMAGED:
        return LedgerFileError(
            _("The file is damaged or not an Excel workbook. Save the ledger again as .xlsx.")
        )
    if refused.problem == office.PackageProblem.TOO_LARGE:
        return LedgerFileError(
            _(
                "Unpacked, the workbook has %(size)s MB; at most %(limit)s MB can be "
                "imported. Remove other sheets, pictures and empty formatted rows."
            )
            % {"size": _megabytes(refused.size), "limit": _megabytes(max_uncompressed_bytes())}
        )
    return LedgerFileError(refused.message)


def _check_lengths(archive: zipfile.ZipFile, checked: CheckedFile, sheet_short: bool) -> None:
    """Refuse a text longer than a cell holds, naming its cell (`ledger.texts`)."""
    try:
        texts.check_lengths(archive, checked.sheet_path, sheet_short=sheet_short)
    except texts.Declaration as error:
        raise LedgerFileError(
            _("The workbook holds a document type declaration, which a ledger never has."),
            sheet=checked.sheet_name,
        ) from error
    except texts.TextTooLong as error:
        if error.cell:
            raise LedgerFileError(
                _(
                    "Cell %(cell)s holds a text of more than %(limit)s characters, the most "
                    "a cell of Excel holds. Shorten it and upload the file again."
                )
                % {"cell": error.cell, "limit": f"{texts.MAX_CHARACTERS:,}"},
                sheet=checked.sheet_name,
                cells=(error.cell,),
            ) from error
        raise LedgerFileError(
            _(
                "The workbook holds a text of more than %(limit)s characters, the most a "
                "cell of Excel holds. Shorten it and upload the file again."
            )
            % {"limit": f"{texts.MAX_CHARACTERS:,}"},
            sheet=checked.sheet_name,
        ) from error


def check_ledger_file(handle: IO[bytes]) -> CheckedFile:
    """Raise LedgerFileError unless `handle` is a plain ledger (xlsx, xls, CSV) within the
    limits."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    limit = max_bytes()
    if size > limit:
        raise LedgerFileError(
            _(
                "The file has %(size)s MB; at most %(limit)s MB can be imported. Split the "
                "ledger into several files, or remove pictures and other sheets."
            )
            % {"size": _megabytes(size), "limit": _megabytes(limit)}
        )
    if size == 0:
        raise LedgerFileError(_("The file is empty. Upload the ledger as an .xlsx file."))
    other = _check_kind(handle)
    if other is not None:
        return other
    try:
        kind = office.check_package(
            handle, package_limits=office.PackageLimits(total=max_uncompressed_bytes())
        )
    except office.PackageRefused as refused:
        raise _package_error(refused) from refused
    if kind is not signatures.XLSX:
        raise _not_a_workbook()
    with zipfile.ZipFile(handle) as archive:
        names = set(archive.namelist())
        content_types = archive.read("[Content_Types].xml")
        if any(name.endswith("vbaProject.bin") for name in names) or (
            b"macroEnabled" in content_types
        ):
            raise LedgerFileError(
                _(
                    "This is a workbook with macros (.xlsm) renamed to .xlsx. Save it as "
                    "“Excel Workbook (*.xlsx)”, which removes the macros, and upload it again."
                )
            )
        checked = _first_sheet(archive)
        if checked.sheet_path not in names:
            raise LedgerFileError(_("The workbook is damaged: its first sheet cannot be found."))
        _check_lengths(archive, checked, _scan_sheet(archive, checked))
    handle.seek(0)
    return checked


def open_source(source: str | Path | IO[bytes]) -> IO[bytes]:
    """A binary handle on the source (a path or an open file)."""
    if isinstance(source, str | Path):
        return Path(source).open("rb")
    return source
