"""What a file is, from its first bytes: the one table of file types (DOMAIN.md §9).

Neither a file's name nor the type its browser declared says what it is; its content does.
Every upload path asks `identify` (report and visit photos and videos, problem attachments,
the ledger import), and each accepts the types it takes. Types that no upload takes are
recognised too, so that a refusal can name what was sent (a GIF, a PDF where a photo was
expected, an old .xls).
"""

import os
import struct
from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    """What a recognised type is for."""

    PHOTO = "photo"
    VIDEO = "video"
    DOCUMENT = "document"
    OTHER = "other"  # recognised, so that a refusal can name it, but accepted by no upload


@dataclass(frozen=True)
class Signature:
    """A recognised file type: what a person calls it, what it is for, and, for the types
    an upload may keep, its content type and extension (without the dot)."""

    label: str
    family: Family
    content_type: str = ""
    extension: str = ""


JPEG = Signature("JPEG", Family.PHOTO, "image/jpeg", "jpg")
PNG = Signature("PNG", Family.PHOTO, "image/png", "png")
WEBP = Signature("WebP", Family.PHOTO, "image/webp", "webp")
HEIC = Signature("HEIC", Family.PHOTO, "image/heic", "heic")
MP4 = Signature("MP4", Family.VIDEO, "video/mp4", "mp4")
QUICKTIME = Signature("MOV", Family.VIDEO, "video/quicktime", "mov")
PDF = Signature("PDF", Family.DOCUMENT, "application/pdf", "pdf")
DOCX = Signature(
    "DOCX",
    Family.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = Signature(
    "XLSX",
    Family.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
)
ZIP = Signature("ZIP", Family.OTHER, "application/zip", "zip")
# Word and Excel before 2007 (.doc, .xls): an OLE2 compound file.
OLD_OFFICE = Signature("Office", Family.OTHER)
MARKUP = Signature("HTML", Family.OTHER, "text/html")
# An ISO base media file (`ftyp` first) of a brand no upload takes, or names.
OTHER_ISO_MEDIA = Signature("", Family.OTHER)

# Leading bytes, each at its offset, → the type. Files people upload by mistake are here
# too, so that the refusal names what they sent.
_LEADING: tuple[tuple[tuple[tuple[int, bytes], ...], Signature], ...] = (
    (((0, b"\xff\xd8\xff"),), JPEG),
    (((0, b"\x89PNG\r\n\x1a\n"),), PNG),
    (((0, b"RIFF"), (8, b"WEBP")), WEBP),
    (((0, b"%PDF-"),), PDF),
    (((0, b"PK\x03\x04"),), ZIP),
    (((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),), OLD_OFFICE),
    (((0, b"GIF87a"),), Signature("GIF", Family.OTHER)),
    (((0, b"GIF89a"),), Signature("GIF", Family.OTHER)),
    (((0, b"II*\x00"),), Signature("TIFF", Family.OTHER)),
    (((0, b"MM\x00*"),), Signature("TIFF", Family.OTHER)),
    (((0, b"Rar!"),), Signature("RAR", Family.OTHER)),
    (((0, b"7z\xbc\xaf\x27\x1c"),), Signature("7z", Family.OTHER)),
    (((0, b"\x1f\x8b"),), Signature("gzip", Family.OTHER)),
    (((0, b"\x1aE\xdf\xa3"),), Signature("WebM/MKV", Family.OTHER)),
)

# The brands of an ISO base media file (its `ftyp` box).
HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis"})
# Generic HEIF brands: a HEIC photo when a HEIC brand is among the compatible ones.
HEIF_GENERIC_BRANDS = frozenset({b"mif1", b"msf1"})
# The ISO and MP4 brands, DASH, iTunes video, and what phones and cameras write as theirs.
MP4_BRANDS = frozenset(
    {
        *(b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1"),
        *(b"dash", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"MSNV", b"XAVC"),
    }
)
QUICKTIME_BRAND = b"qt  "
# Brands no upload takes, by their first letters, named in the refusal.
_KNOWN_BRANDS = (
    (b"3g", Signature("3GP", Family.OTHER)),
    (b"avi", Signature("AVIF", Family.OTHER)),
    (b"M4A", Signature("M4A", Family.OTHER)),
    (b"crx", Signature("CR3", Family.OTHER)),
)
# Office documents are ZIP containers; as for Word and Excel themselves, the name's
# extension says which one.
_OFFICE_BY_EXTENSION = {".docx": DOCX, ".xlsx": XLSX}
_BLANKS_AND_BOMS = b" \t\r\n\x0b\x0c\xef\xbb\xbf\xff\xfe"


def identify(head: bytes, *, name: str = "") -> Signature | None:
    """The type of a file from its first bytes (512 are enough), or None when unknown.

    A ZIP container is a Word or Excel document when `name` ends in .docx or .xlsx; without
    a name it is a ZIP. A file that starts, after byte-order marks and blanks, with `<` is
    `MARKUP` (HTML, SVG, XML), which a browser would run.
    """
    for marks, signature in _LEADING:
        if all(head[offset : offset + len(mark)] == mark for offset, mark in marks):
            if signature is ZIP:
                return _OFFICE_BY_EXTENSION.get(os.path.splitext(name)[1].lower(), ZIP)
            return signature
    if head[4:8] == b"ftyp":
        return _by_brand(head)
    if _looks_like_markup(head):
        return MARKUP
    return None


def _by_brand(head: bytes) -> Signature:
    """An ISO base media file (`ftyp` box first): a HEIC photo, an MP4 or a QuickTime video,
    a type named by its brand, or `OTHER_ISO_MEDIA`."""
    (box_size,) = struct.unpack(">I", head[:4])
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in HEIC_BRANDS or (major in HEIF_GENERIC_BRANDS and compatible & HEIC_BRANDS):
        return HEIC
    if major in MP4_BRANDS:
        return MP4
    if major == QUICKTIME_BRAND:
        return QUICKTIME
    for prefix, signature in _KNOWN_BRANDS:
        if major.startswith(prefix):
            return signature
    if compatible & MP4_BRANDS:
        return MP4
    return OTHER_ISO_MEDIA


def _looks_like_markup(head: bytes) -> bool:
    """Whether the file starts, after byte-order marks and blanks, with `<` (HTML, SVG, XML),
    in UTF-8 or UTF-16."""
    return head.replace(b"\x00", b"").lstrip(_BLANKS_AND_BOMS).startswith(b"<")
