"""Upload safety for the photos and videos of progress reports (DOMAIN.md §3, §9).

The content decides what a file is, from its first bytes; neither its name nor the type the
browser declared decides anything. Accepted are JPEG, PNG, WebP and HEIC photos and MP4 (and
QuickTime .mov, as iPhones record) videos. Every photo is decoded under a pixel limit and
re-encoded as a plain JPEG without any metadata, so that what is served is pixels only:
nothing hidden in a comment, an EXIF field or behind the image survives. Its EXIF date, place
and camera are read before they are stripped. A video is checked (size, box structure) and
stored as it is.

This module stores nothing and writes nothing: `inspect_upload` returns an `Accepted` or
raises `UploadRefused`, whose message says, in the user's language, what is wrong and what to
do. Its metadata helpers live in `reporting.photo_metadata`; docs/uploads.md says what is
accepted and why.
"""

import hashlib
import io
import struct
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import PurePosixPath
from typing import IO

import pillow_heif
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms

from tiaodu.reporting.choices import FileKind
from tiaodu.reporting.photo_metadata import (
    NEAR,
    PhotoMetadata,
    hamming,
    perceptual_hash,
    read_metadata,
)

__all__ = [
    "MAX_PIXELS",
    "NEAR",
    "PHOTO_MAX_BYTES",
    "VIDEO_MAX_BYTES",
    "Accepted",
    "RefusalReason",
    "UploadRefused",
    "hamming",
    "inspect_upload",
    "perceptual_hash",
]

MB = 1024 * 1024
PHOTO_MAX_BYTES = 20 * MB
VIDEO_MAX_BYTES = 200 * MB
# A photo with more pixels than this is refused before it is decoded: a small file may claim
# a huge canvas (a "pixel bomb") that would take gigabytes to decode. Phones take 12 to 50
# megapixels; 50 million decoded as RGBA is 200 MB.
MAX_PIXELS = 50_000_000
# What is stored: at most this many pixels on the long side, and a thumbnail for lists.
MAX_SIDE = 4096
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80
CHUNK = MB
HEAD = 512
MAX_STEM = 100
# A video's top-level boxes are walked until `moov` and `mdat` are found; real files have
# a handful, so a file made of thousands of tiny boxes is damaged or hostile.
MAX_BOXES = 1000

_PHOTO_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis"}
_HEIF_GENERIC_BRANDS = {b"mif1", b"msf1"}
# The ISO and MP4 brands, DASH, iTunes video, and what phones and cameras write as theirs.
_MP4_BRANDS = {
    *(b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1"),
    *(b"dash", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"MSNV", b"XAVC"),
}
_QUICKTIME_BRAND = b"qt  "
# Files people upload by mistake, named in the refusal so that they know what they sent.
_KNOWN_SIGNATURES = [
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office"),
    (b"\x1aE\xdf\xa3", "WebM/MKV"),
]
_KNOWN_BRANDS = [(b"3g", "3GP"), (b"avi", "AVIF"), (b"M4A", "M4A"), (b"crx", "CR3")]
_BLANKS_AND_BOMS = b" \t\r\n\x0b\x0c\xef\xbb\xbf\xff\xfe"
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Pillow's own decoding errors: a damaged or cut-off file raises one of these.
_DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)

pillow_heif.register_heif_opener()


class RefusalReason(StrEnum):
    """Why an upload was refused, for the caller's log; the user reads the message."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_MEDIA = "not_media"
    MARKUP = "markup"
    TOO_MANY_PIXELS = "too_many_pixels"
    DAMAGED = "damaged"


class UploadRefused(ValueError):
    """The upload is not accepted; `message` says why and what to do, in the user's language."""

    def __init__(self, message: str, *, reason: RefusalReason) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class Accepted:
    """An upload that passed every check, and what to store of it.

    A photo is stored as `content` (a re-encoded JPEG without metadata) with `thumbnail`;
    a video is stored as it was uploaded (`source`, rewound). `size` and `sha256` are those
    of what is stored; `extension` (without the dot) and `content_type` follow the content.
    """

    kind: FileKind
    name: str
    extension: str
    content_type: str
    source_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    phash: str | None = None
    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    camera: str = ""
    content: bytes | None = field(default=None, repr=False)
    thumbnail: bytes | None = field(default=None, repr=False)
    source: IO[bytes] | None = field(default=None, repr=False, compare=False)

    def content_file(self) -> File[bytes]:
        """The file to store: the re-encoded photo, or the uploaded video from its start."""
        if self.content is not None:
            return ContentFile(self.content, name=self.name)
        if self.source is None:
            raise ValueError("an accepted video keeps its upload as `source`")
        self.source.seek(0)
        if isinstance(self.source, File):
            return self.source
        return File(self.source, name=self.name)

    def thumbnail_file(self) -> File[bytes] | None:
        """The photo's thumbnail (a JPEG), or None for a video."""
        if self.thumbnail is None:
            return None
        return ContentFile(self.thumbnail, name=f"{PurePosixPath(self.name).stem}-thumb.jpg")


def inspect_upload(handle: IO[bytes], *, name: str, declared_type: str | None = None) -> Accepted:
    """Accept a photo or video by its content, or raise UploadRefused; nothing is written.

    `name` gives the stored name its stem (its extension follows the content); the declared
    type is the browser's claim, as easy to forge as the name, and decides nothing. `handle`
    may be a Django UploadedFile or any seekable binary file; it is left at its start.
    """
    size = _size_of(handle)
    if size == 0:
        raise UploadRefused(
            _("The file is empty. Choose the photo or video again and upload it."),
            reason=RefusalReason.EMPTY,
        )
    handle.seek(0)
    head = handle.read(HEAD)
    handle.seek(0)
    try:
        kind, source_type = _sniff(head)
        if size > (PHOTO_MAX_BYTES if kind is FileKind.PHOTO else VIDEO_MAX_BYTES):
            raise _too_large(size, kind)
        if kind is FileKind.PHOTO:
            return _inspect_photo(handle, name=name, source_type=source_type)
        return _inspect_video(handle, name=name, source_type=source_type)
    finally:
        handle.seek(0)


# --- what the content is -----------------------------------------------------------------


def _sniff(head: bytes) -> tuple[FileKind, str]:
    """The kind and type of the upload, from its first bytes."""
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.PHOTO, "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PHOTO, "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.PHOTO, "image/webp"
    if head[4:8] == b"ftyp":
        return _sniff_brand(head)
    if _looks_like_markup(head):
        raise UploadRefused(
            _(
                "This is a web page or a drawing (HTML, SVG or XML), not a photo. Upload the "
                "photo itself: a JPEG, PNG, WebP or HEIC file from the camera."
            ),
            reason=RefusalReason.MARKUP,
        )
    for signature, label in _KNOWN_SIGNATURES:
        if head.startswith(signature):
            raise _not_media(label)
    raise _not_media(None)


def _sniff_brand(head: bytes) -> tuple[FileKind, str]:
    """An ISO base media file (`ftyp` box first): a HEIC photo, an MP4 or a QuickTime video."""
    (box_size,) = struct.unpack(">I", head[:4])
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _HEIC_BRANDS or (major in _HEIF_GENERIC_BRANDS and compatible & _HEIC_BRANDS):
        return FileKind.PHOTO, "image/heic"
    if major in _MP4_BRANDS:
        return FileKind.VIDEO, "video/mp4"
    if major == _QUICKTIME_BRAND:
        return FileKind.VIDEO, "video/quicktime"
    for prefix, label in _KNOWN_BRANDS:
        if major.startswith(prefix):
            raise _not_media(label)
    if compatible & _MP4_BRANDS:
        return FileKind.VIDEO, "video/mp4"
    raise _not_media(None)


def _looks_like_markup(head: bytes) -> bool:
    """Whether the file starts, after byte-order marks and blanks, with `<` (HTML, SVG, XML),
    in UTF-8 or UTF-16."""
    return head.replace(b"\x00", b"").lstrip(_BLANKS_AND_BOMS).startswith(b"<")


def _not_media(label: str | None) -> UploadRefused:
    if label is None:
        message = _(
            "This is not a photo or a video: upload a JPEG, PNG, WebP or HEIC photo, or an "
            "MP4 or MOV video."
        )
    else:
        message = _(
            "This is a %(type)s file, not a photo or a video: upload a JPEG, PNG, WebP or "
            "HEIC photo, or an MP4 or MOV video."
        ) % {"type": label}
    return UploadRefused(message, reason=RefusalReason.NOT_MEDIA)


# --- sizes -------------------------------------------------------------------------------


def _size_of(handle: IO[bytes]) -> int:
    """The upload's size, without reading it: Django's `size`, or the end of the file."""
    size = getattr(handle, "size", None)
    if isinstance(size, int):
        return size
    return _end_of(handle)


def _end_of(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    end = handle.tell()
    handle.seek(0)
    return end


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


def _too_large(size: int, kind: FileKind) -> UploadRefused:
    if kind is FileKind.PHOTO:
        message = _(
            "The photo has %(size)s MB; a photo may have at most %(limit)s MB. Share it from "
            "the phone at a smaller size, or take it at a lower resolution, and upload it again."
        ) % {"size": _megabytes(size), "limit": PHOTO_MAX_BYTES // MB}
    else:
        message = _(
            "The video has %(size)s MB; a video may have at most %(limit)s MB. Trim it, or "
            "record it at a lower resolution (1080p), and upload it again."
        ) % {"size": _megabytes(size), "limit": VIDEO_MAX_BYTES // MB}
    return UploadRefused(message, reason=RefusalReason.TOO_LARGE)


def _read_at_most(handle: IO[bytes], limit: int, kind: FileKind) -> bytes:
    """The whole upload, read in chunks; refused as soon as it proves larger than `limit`
    (whatever its `size` claimed)."""
    buffer = bytearray()
    while block := handle.read(CHUNK):
        buffer += block
        if len(buffer) > limit:
            raise _too_large(len(buffer), kind)
    return bytes(buffer)


# --- photos ------------------------------------------------------------------------------


def _damaged_photo() -> UploadRefused:
    return UploadRefused(
        _(
            "The photo is damaged or incomplete (perhaps the upload was cut off). Check that "
            "it opens on the phone, and upload it again."
        ),
        reason=RefusalReason.DAMAGED,
    )


def _too_many_pixels() -> UploadRefused:
    message = _(
        # Translators: limit counts millions of pixels (50 is 5000万像素).
        "The photo has more than %(limit)s megapixels. Reduce its size (%(side)s pixels on "
        "the long side is enough) and upload it again."
    ) % {"limit": MAX_PIXELS // 1_000_000, "side": MAX_SIDE}
    return UploadRefused(message, reason=RefusalReason.TOO_MANY_PIXELS)


def _open_photo(data: bytes, source_type: str) -> Image.Image:
    """The photo, decoded in the format its first bytes announced, under the pixel limit."""
    pillow_format = next(k for k, v in _PHOTO_TYPES.items() if v == source_type)
    try:
        # Opening reads the header only. Pillow refuses a canvas beyond its own (larger,
        # process-wide) limit here; ours is checked below, before anything is decoded.
        probe = Image.open(io.BytesIO(data), formats=[pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except _DECODING_ERRORS as error:
        raise _damaged_photo() from error
    with probe:
        if probe.width * probe.height > MAX_PIXELS:
            raise _too_many_pixels()
        if probe.width < 1 or probe.height < 1:
            raise _damaged_photo()
        try:
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=[pillow_format])
            image.load()
        except _DECODING_ERRORS as error:
            raise _damaged_photo() from error
    return image


def _eight_bit(image: Image.Image) -> Image.Image:
    """The image in a mode that resamples well: L, LA, RGB, RGBA or CMYK."""
    if image.mode in ("P", "PA"):
        return image.convert("RGBA")
    if image.mode == "1":
        return image.convert("L")
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit grey (a scanner's PNG): scale to 8 bits; a plain convert would clip to white.
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image.convert("RGBA")
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Plain sRGB pixels: transparency onto white, colours through the photo's profile."""
    if image.mode in ("LA", "RGBA"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.getchannel("A"))
        image = background
    if icc_profile:
        try:
            # Phones shoot in wide gamuts (an iPhone's Display P3); without the profile the
            # colours of the stored JPEG would look washed out.
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a profile that does not fit the pixels: keep them as they are
        if converted is not None:
            image = converted
    return image.convert("RGB")


def _encode(image: Image.Image, *, quality: int) -> bytes:
    """A progressive baseline-quality JPEG with no metadata at all."""
    image.info = {}  # Pillow would carry a JPEG comment over from the source
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, progressive=True, optimize=True)
    return out.getvalue()


def _inspect_photo(handle: IO[bytes], *, name: str, source_type: str) -> Accepted:
    data = _read_at_most(handle, PHOTO_MAX_BYTES, FileKind.PHOTO)
    image = _open_photo(data, source_type)
    metadata = read_metadata(image)
    icc_profile = image.info.get("icc_profile")
    try:
        pixels = _eight_bit(image)
        if max(pixels.size) > MAX_SIDE:
            pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        if metadata.orientation in _ORIENTATION:
            pixels = pixels.transpose(_ORIENTATION[metadata.orientation])
        photo = _to_srgb(pixels, icc_profile if isinstance(icc_profile, bytes) else None)
    except _DECODING_ERRORS as error:
        raise _damaged_photo() from error
    finally:
        image.close()
    small = photo.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    content = _encode(photo, quality=JPEG_QUALITY)
    return _accepted_photo(
        name=name,
        source_type=source_type,
        content=content,
        thumbnail=_encode(small, quality=THUMBNAIL_QUALITY),
        size=photo.size,
        phash=perceptual_hash(small),
        metadata=metadata,
    )


def _accepted_photo(
    *,
    name: str,
    source_type: str,
    content: bytes,
    thumbnail: bytes,
    size: tuple[int, int],
    phash: str,
    metadata: PhotoMetadata,
) -> Accepted:
    return Accepted(
        kind=FileKind.PHOTO,
        name=_stored_name(name, "jpg", FileKind.PHOTO),
        extension="jpg",
        content_type="image/jpeg",
        source_type=source_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        width=size[0],
        height=size[1],
        phash=phash,
        taken_at=metadata.taken_at,
        latitude=metadata.latitude,
        longitude=metadata.longitude,
        camera=metadata.camera,
        content=content,
        thumbnail=thumbnail,
    )


def _stored_name(name: str, extension: str, kind: FileKind) -> str:
    """The upload's own name (without any folder a browser sent) with the right extension."""
    stem = PurePosixPath(name.replace("\\", "/")).stem.strip()[:MAX_STEM] or str(kind)
    return f"{stem}.{extension}"


# --- videos ------------------------------------------------------------------------------


def _damaged_video() -> UploadRefused:
    return UploadRefused(
        _(
            "The video is damaged or incomplete (perhaps the upload or the recording was cut "
            "off). Check that it plays on the phone, and upload it again."
        ),
        reason=RefusalReason.DAMAGED,
    )


def _check_boxes(handle: IO[bytes], size: int) -> None:
    """The top-level boxes fit in the file, and a movie header (`moov`) and media data
    (`mdat`) are among them; only the box headers are read."""
    position = 0
    seen: set[bytes] = set()
    for _count in range(MAX_BOXES):
        if {b"moov", b"mdat"} <= seen:
            return
        if position >= size:
            break
        handle.seek(position)
        header = handle.read(8)
        if len(header) < 8:
            break
        box_size, box_type = struct.unpack(">I4s", header)
        header_size = 8
        if box_size == 1:
            large = handle.read(8)
            if len(large) < 8:
                break
            (box_size,) = struct.unpack(">Q", large)
            header_size = 16
        elif box_size == 0:
            box_size = size - position
        if box_size < header_size or position + box_size > size:
            break
        if not all(0x20 <= byte < 0x7F for byte in box_type):
            break
        seen.add(box_type)
        position += box_size
    raise _damaged_video()


def _inspect_video(handle: IO[bytes], *, name: str, source_type: str) -> Accepted:
    size = _end_of(handle)  # measured, whatever `size` the handle claimed
    if size > VIDEO_MAX_BYTES:
        raise _too_large(size, FileKind.VIDEO)
    _check_boxes(handle, size)
    handle.seek(0)
    digest = hashlib.sha256()
    read = 0
    while block := handle.read(CHUNK):
        read += len(block)
        digest.update(block)
    if read != size:
        raise _damaged_video()
    extension = "mov" if source_type == "video/quicktime" else "mp4"
    return Accepted(
        kind=FileKind.VIDEO,
        name=_stored_name(name, extension, FileKind.VIDEO),
        extension=extension,
        content_type=source_type,
        source_type=source_type,
        size=size,
        sha256=digest.hexdigest(),
        source=handle,
    )
