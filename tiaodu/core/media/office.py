"""Word and Excel files (.docx, .xlsx): zip packages checked before anything unpacks them.

A package is judged from its zip directory first: how many parts it holds, their names (no
absolute path, no `..`, no name twice), what each part and all of them unpack to, and how
much a part grows when unpacked (a "zip bomb" grows a thousand times). It is a Word
document when it holds `[Content_Types].xml` and `word/document.xml`, an Excel workbook
when it holds `[Content_Types].xml` and `xl/workbook.xml`: its content decides, never its
name. Then every part is unpacked once, in bounded chunks and into nothing, to confirm that
it unpacks to exactly the size the directory states, with its checksum: a directory that
understates a part cannot let a reader inflate more than was checked.
"""

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from django.utils.translation import gettext as _

from tiaodu.core.media import limits
from tiaodu.core.media.signatures import DOCX, XLSX, Signature

CONTENT_TYPES = "[Content_Types].xml"
# The part that makes a package a workbook or a Word document.
MAIN_PARTS = (("xl/workbook.xml", XLSX), ("word/document.xml", DOCX))
CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class PackageLimits:
    """What a package may unpack to: in all, per part, per part relative to its packed
    size (parts under `ratio_floor` unpacked excepted), and how many parts it may hold."""

    total: int = limits.OFFICE_MAX_UNPACKED_BYTES
    part: int = limits.OFFICE_MAX_PART_BYTES
    ratio: int = limits.OFFICE_MAX_RATIO
    ratio_floor: int = limits.OFFICE_RATIO_FLOOR
    parts: int = limits.OFFICE_MAX_PARTS


class PackageProblem(StrEnum):
    """Why a package was refused, for callers that say it in their own words."""

    DAMAGED = "damaged"
    TOO_MANY_PARTS = "too_many_parts"
    BAD_NAME = "bad_name"
    TOO_LARGE = "too_large"
    PART_TOO_LARGE = "part_too_large"
    RATIO = "ratio"
    NOT_OFFICE = "not_office"


class PackageRefused(ValueError):
    """The package is refused; `message` says why and what to do, in the user's language."""

    def __init__(self, message: str, *, problem: PackageProblem, size: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.problem = problem
        self.size = size


def _megabytes(size: int) -> str:
    return limits.megabytes(size)


def _damaged() -> PackageRefused:
    return PackageRefused(
        _(
            "The file is damaged or not a Word or Excel file: its contents cannot be read. "
            "Save it again from Word, Excel or WPS as .docx or .xlsx."
        ),
        problem=PackageProblem.DAMAGED,
    )


def _bad_name(name: str) -> bool:
    parts = name.split("/")
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or (len(name) > 1 and name[1] == ":")
        or ".." in parts
    )


def check_directory(archive: zipfile.ZipFile, package_limits: PackageLimits) -> Signature:
    """The package's kind (DOCX or XLSX) from its zip directory, within the limits; else
    PackageRefused. Nothing is unpacked."""
    infos = archive.infolist()
    if len(infos) > package_limits.parts:
        raise PackageRefused(
            _(
                "The file holds %(count)s parts; a Word or Excel file is accepted with at "
                "most %(limit)s. Save it again from Word, Excel or WPS."
            )
            % {"count": len(infos), "limit": package_limits.parts},
            problem=PackageProblem.TOO_MANY_PARTS,
        )
    seen: set[str] = set()
    for info in infos:
        if _bad_name(info.filename) or info.filename in seen:
            raise PackageRefused(
                _(
                    "The file holds a part named “%(name)s”, which no Word or Excel file "
                    "has. Save it again from Word, Excel or WPS."
                )
                % {"name": info.filename[:100]},
                problem=PackageProblem.BAD_NAME,
            )
        seen.add(info.filename)
        if info.flag_bits & 0x1:  # an encrypted part cannot be checked
            raise _damaged()
    total = sum(info.file_size for info in infos)
    if total > package_limits.total:
        raise PackageRefused(
            _(
                "Unpacked, the file has %(size)s MB; at most %(limit)s MB are accepted. "
                "Remove pictures or split the file."
            )
            % {"size": _megabytes(total), "limit": _megabytes(package_limits.total)},
            problem=PackageProblem.TOO_LARGE,
            size=total,
        )
    for info in infos:
        if info.file_size > package_limits.part:
            raise PackageRefused(
                _(
                    "Unpacked, the part “%(name)s” of the file has %(size)s MB; at most "
                    "%(limit)s MB are accepted. Remove pictures or split the file."
                )
                % {
                    "name": info.filename[:100],
                    "size": _megabytes(info.file_size),
                    "limit": _megabytes(package_limits.part),
                },
                problem=PackageProblem.PART_TOO_LARGE,
                size=info.file_size,
            )
        if (
            info.file_size >= package_limits.ratio_floor
            and info.file_size > package_limits.ratio * max(info.compress_size, 1)
        ):
            raise PackageRefused(
                _(
                    "The part “%(name)s” of the file unpacks to %(ratio)s times its packed "
                    "size; a Word or Excel file grows at most %(limit)s times. Save it again "
                    "from Word, Excel or WPS."
                )
                % {
                    "name": info.filename[:100],
                    "ratio": info.file_size // max(info.compress_size, 1),
                    "limit": package_limits.ratio,
                },
                problem=PackageProblem.RATIO,
            )
    if CONTENT_TYPES in seen:
        for part, kind in MAIN_PARTS:
            if part in seen:
                return kind
    raise PackageRefused(
        _("This zip file is neither a Word document nor an Excel workbook."),
        problem=PackageProblem.NOT_OFFICE,
    )


def unpacked(handle: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, unpacked in chunks of at most `CHUNK`; PackageRefused as soon as
    they exceed the size the directory states, and at the end unless they match it and
    its checksum."""
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise _damaged()
    fields = _LOCAL_HEADER.unpack(header)
    name_length, extra_length = fields[-2], fields[-1]
    handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    elif info.compress_type != zipfile.ZIP_STORED:
        raise _damaged()
    packed_left = info.compress_size
    size = 0
    checksum = 0
    pending = b""
    while packed_left > 0 or pending:
        if not pending:
            pending = handle.read(min(CHUNK, packed_left))
            if not pending:
                raise _damaged()
            packed_left -= len(pending)
        if info.compress_type == zipfile.ZIP_DEFLATED:
            try:
                block = inflater.decompress(pending, CHUNK)
            except zlib.error as error:
                raise _damaged() from error
            pending = inflater.unconsumed_tail
        else:
            block, pending = pending, b""
        size += len(block)
        if size > info.file_size:
            raise _damaged()
        checksum = zlib.crc32(block, checksum)
        if block:
            yield block
    if size != info.file_size or checksum != info.CRC:
        raise _damaged()


def check_package(handle: IO[bytes], *, package_limits: PackageLimits | None = None) -> Signature:
    """DOCX or XLSX when `handle` is a Word or Excel package within the limits, every part
    unpacking to what its directory states; else PackageRefused. The handle is left at its
    start."""
    package_limits = package_limits or PackageLimits()
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            kind = check_directory(archive, package_limits)
            for info in archive.infolist():
                for _block in unpacked(handle, info):
                    pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        if isinstance(error, PackageRefused):
            raise
        raise _damaged() from error
    finally:
        handle.seek(0)
    return kind
