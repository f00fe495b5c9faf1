"""Files for the upload tests, built here and never taken from elsewhere: photos drawn with
Pillow (pillow-heif for HEIC), videos assembled box by box, PNGs chunk by chunk."""

import functools
import io
import random
import struct
import zlib
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image, ImageCms, ImageDraw

from tiaodu.core.media import images
from tiaodu.core.media.checks import inspect_upload

SHANGHAI = ZoneInfo("Asia/Shanghai")
SCRIPT = b"<html><script>alert(1)</script></html>"
RED, BLUE = (255, 0, 0), (0, 0, 255)


def scene(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture with the broad light and shade of a photo (a smooth random field) under a few
    coloured shapes, fixed by the seed."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (6, 4), rng.randbytes(6 * 4 * 3))
    image = image.resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x, y, x + rng.randrange(20, size[0] // 4), y + rng.randrange(20, size[1] // 4))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    return image


def marked(size=(600, 400)) -> Image.Image:
    """Blue, with a red square in the top-left corner: shows which way the stored photo turned."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, 100, 100))
    return image


def exif(
    *,
    taken="2026:11:03 09:15:00",
    gps=((30, 39, 36.5), "N", (104, 4, 12), "E"),
    make="Apple",
    model="iPhone 15",
    orientation=None,
    description=None,
) -> Image.Exif:
    block = Image.Exif()
    if make:
        block[ExifTags.Base.Make] = make
    if model:
        block[ExifTags.Base.Model] = model
    if orientation:
        block[ExifTags.Base.Orientation] = orientation
    if description:
        block[ExifTags.Base.ImageDescription] = description
    if taken:
        block.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:
        latitude, north, longitude, east = gps
        position = block.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = north
        position[ExifTags.GPS.GPSLatitude] = latitude
        position[ExifTags.GPS.GPSLongitudeRef] = east
        position[ExifTags.GPS.GPSLongitude] = longitude
    return block


def encode(image: Image.Image, fmt: str = "JPEG", **params) -> bytes:
    if fmt == "HEIF":
        images._read_heic()  # pillow-heif's opener, through which Pillow writes HEIC too
    out = io.BytesIO()
    if "exif" in params and isinstance(params["exif"], Image.Exif):
        params["exif"] = params["exif"].tobytes()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + b"\x00\x00\x02\x00" + b"".join(compatible))


def mp4(major=b"isom", compatible=(b"isom", b"iso2", b"avc1", b"mp41"), media_bytes=2048) -> bytes:
    """The smallest file with the structure of a movie: ftyp, moov (mvhd) and mdat."""
    mvhd = box(b"mvhd", bytes(100))
    return ftyp(major, *compatible) + box(b"moov", mvhd) + box(b"mdat", bytes(media_bytes))


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def pixel_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG of blank rows: kilobytes on disk, width × height pixels once decoded."""
    row = b"\x00" + bytes((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def with_comment(jpeg: bytes, comment: bytes) -> bytes:
    """The JPEG with a COM segment right after its start."""
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + jpeg[2:]


def segments(jpeg: bytes) -> list[int]:
    """The markers of a JPEG up to its first scan."""
    assert jpeg[:2] == b"\xff\xd8"
    found, at = [], 2
    while True:
        marker = jpeg[at + 1]
        found.append(marker)
        if marker == 0xDA:
            return found
        at += 2 + int.from_bytes(jpeg[at + 2 : at + 4], "big")


def accept(data, name="IMG_0001.JPG", **kwargs):
    return inspect_upload(io.BytesIO(data), name=name, **kwargs)


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def near(colour, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


class CountingReader(io.BytesIO):
    """A file that remembers how much was asked of it at once and in all."""

    def __init__(self, data: bytes, *, size: int | None = None) -> None:
        super().__init__(data)
        self.largest_read = 0
        self.total_read = 0
        if size is not None:
            self.size = size

    def read(self, n: int | None = -1, /) -> bytes:
        block = super().read(n)
        self.largest_read = max(self.largest_read, len(block))
        self.total_read += len(block)
        return block
