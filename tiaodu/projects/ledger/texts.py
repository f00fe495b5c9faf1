"""The length of a ledger's texts, checked before the workbook is read.

A cell holds at most 32,767 characters (Excel's own limit). An xlsx can hold far more in a
few hundred kilobytes: one inline string of 150 million repeated characters packs into a
small file, and a reader that builds the cell's text takes gigabytes. The shared strings
(`xl/sharedStrings.xml` and whatever the workbook's relationships name) and the first
sheet's XML are streamed through expat in 64 KB chunks, counting each text as it arrives,
and the scan stops at the first text over the limit: memory stays bounded by the chunk,
whatever the text's length. An ElementTree `iterparse` would not do: it hands over an
element only once its whole text is built.

Before that, a scan at the speed of `re` (`_all_short`) settles the usual file: a text of
more characters than the limit takes more bytes than the limit between its element's start
and the next one's, so a part whose cells (or shared strings) all start within the limit of
each other, without a declaration, has no text over it. Only a file with a longer stretch
goes through expat, which names the cell.
"""

import zipfile
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from defusedxml import ElementTree

from tiaodu.core import xlsx

MAX_CHARACTERS = 32_767
CHUNK = 64 * 1024
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class TextTooLong(ValueError):
    """A text over `MAX_CHARACTERS`: in `cell` of the sheet, or in a shared string that no
    cell of the sheet uses (`cell` empty)."""

    def __init__(self, cell: str = "") -> None:
        super().__init__(cell)
        self.cell = cell


class Declaration(ValueError):
    """The XML declares a document type or entities, which a ledger never does."""


class _Stop(Exception):
    """Ends a scan early (the first over-long text)."""


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _refuse_declarations(*_args: Any) -> None:
    raise Declaration


def _refuse_external(*_args: Any) -> int:
    raise Declaration


def _parse(
    archive: zipfile.ZipFile,
    member: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], None],
) -> None:
    """Stream `member` through expat, chunk by chunk; _Stop from a handler ends it."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    parser.EndElementHandler = lambda name: end(_local(name))
    parser.CharacterDataHandler = text
    try:
        with archive.open(member) as stream:
            while block := stream.read(CHUNK):
                parser.Parse(block, False)
            parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError:
        # Malformed XML is for the workbook reader to report; lengths were counted so far.
        return


# The start of a cell or of a shared string as Excel, WPS and openpyxl write it: where the
# expat scan starts counting a text again. Another spelling (a prefix, no attribute) only
# makes the stretches look longer, so the quick scan leaves the file to expat.
_STARTS = {"c": b"<c ", "si": b"<si>"}
SCAN_CHUNK = 1024 * 1024


class Stretches:
    """The quick scan of a part, fed its bytes as they are unpacked: `feed` and `finish`
    say True while every `element` starts within `MAX_CHARACTERS` bytes of the next one
    (and the last within as many of the end) and the XML declares nothing: then no text
    in it is over the limit. False says nothing; the expat scan decides. The safety check
    feeds it the sheet it unpacks anyway (`safety`), so the sheet is unpacked once."""

    def __init__(self, element: str) -> None:
        self.start = _STARTS[element]
        self.carry = b""
        self.started = False  # whether an element has started: before the first, none counts
        self.short = True

    def feed(self, block: bytes) -> bool:
        if not self.short:
            return False
        data = self.carry + block
        if b"<!" in data:
            self.short = False
            return False
        pieces = data.split(self.start)
        self.carry = pieces.pop()
        inner = pieces if self.started else pieces[1:]
        if inner and max(map(len, inner)) > MAX_CHARACTERS:
            self.short = False
        self.started = self.started or bool(pieces)
        if len(self.carry) > (MAX_CHARACTERS if self.started else 4 * SCAN_CHUNK):
            self.short = False
        return self.short

    def finish(self) -> bool:
        return self.short and len(self.carry) <= MAX_CHARACTERS


def _all_short(archive: zipfile.ZipFile, member: str, element: str) -> bool:
    """`Stretches` over the whole of `member`."""
    stretches = Stretches(element)
    with archive.open(member) as stream:
        while block := stream.read(SCAN_CHUNK):
            if not stretches.feed(block):
                return False
    return stretches.finish()


def _shared_string_paths(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    paths = [SHARED_STRINGS] if SHARED_STRINGS in names else []
    if WORKBOOK_RELS in names:
        rels = ElementTree.fromstring(archive.read(WORKBOOK_RELS))
        for item in rels.iter(f"{_NS_PKG_REL}Relationship"):
            if item.get("Type", "").endswith("/sharedStrings"):
                target = item.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if path in names and path not in paths:
                    paths.append(path)
    return paths


def _first_long_shared_string(archive: zipfile.ZipFile, member: str) -> int | None:
    """The index of the first shared string (`si`) over the limit, or None."""
    state = {"index": -1, "length": 0, "inside": False}
    found: list[int] = []

    def start(name: str, _attrs: dict[str, str]) -> None:
        if name == "si":
            state.update(index=state["index"] + 1, length=0, inside=True)

    def end(name: str) -> None:
        if name == "si":
            state["inside"] = False

    def text(data: str) -> None:
        if state["inside"]:
            state["length"] += len(data)
            if state["length"] > MAX_CHARACTERS:
                found.append(state["index"])
                raise _Stop

    _parse(archive, member, start, end, text)
    return found[0] if found else None


def _first_long_cell(archive: zipfile.ZipFile, member: str, shared: int | None) -> str | None:
    """The reference of the first cell whose text is over the limit (a value, an inline
    string, or the over-long shared string `shared`), or None."""
    state: dict[str, Any] = {"row": 0, "column": 0, "cell": None, "type": "", "length": 0}
    value: list[str] = []
    found: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "row":
            row = attrs.get("r", "")
            state["row"] = int(row) if row.isdigit() else state["row"] + 1
            state["column"] = 0
        elif name == "c":
            ref = attrs.get("r", "")
            letters = ref.rstrip("0123456789")
            try:
                state["column"] = xlsx.column_number(letters)
            except ValueError:
                state["column"] += 1
                ref = f"{xlsx.column_letter(state['column'])}{state['row']}"
            state.update(cell=ref, type=attrs.get("t", ""), length=0)
            value.clear()

    def end(name: str) -> None:
        if name == "c":
            if (
                shared is not None
                and state["type"] == "s"
                and "".join(value).strip() == str(shared)
            ):
                found.append(state["cell"])
                raise _Stop
            state["cell"] = None

    def text(data: str) -> None:
        if state["cell"] is None:
            return
        state["length"] += len(data)
        if state["length"] > MAX_CHARACTERS:
            found.append(state["cell"])
            raise _Stop
        if state["type"] == "s" and len(value) < 4:
            value.append(data)

    _parse(archive, member, start, end, text)
    return found[0] if found else None


def check_lengths(
    archive: zipfile.ZipFile, sheet_path: str, *, sheet_short: bool | None = None
) -> None:
    """Raise TextTooLong at the first text of the workbook's shared strings or of the sheet
    over `MAX_CHARACTERS`, naming the sheet's cell that holds it; Declaration for XML with
    a document type. `sheet_short`: what `Stretches` said of the sheet, when the caller fed
    it already (None: the sheet is scanned here)."""
    names = set(archive.namelist())
    shared = None
    for path in _shared_string_paths(archive, names):
        if _all_short(archive, path, "si"):
            continue
        shared = _first_long_shared_string(archive, path)
        if shared is not None:
            break
    if sheet_short is None:
        sheet_short = _all_short(archive, sheet_path, "c")
    if shared is None and sheet_short:
        return
    cell = _first_long_cell(archive, sheet_path, shared)
    if cell is not None:
        raise TextTooLong(cell)
    if shared is not None:
        raise TextTooLong()
