"""What a photo says about itself, read before its metadata is stripped (docs/uploads.md).

The EXIF date it was taken, its GPS position and its camera feed the report's checks
(DOMAIN.md §3, validation rules 4 and 5): a photo older than its period, a photo already used.
Every field is optional and read defensively: a phone that writes nonsense, or nothing, gives
no value, never a refusal. What the photo looks like is `phash`.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone as django_timezone
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

COORDINATE_PLACES = Decimal("0.000001")
MAX_CAMERA_LENGTH = 100

_EXIF_DATE = re.compile(
    r"\s*(\d{4})[:/.-](\d{1,2})[:/.-](\d{1,2})[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?"
)
_EXIF_OFFSET = re.compile(r"\s*([+-])(\d{1,2}):?(\d{2})\s*$")
# Pillow's EXIF reader raises these on a damaged block; a damaged block just means no metadata.
_EXIF_ERRORS = (OSError, SyntaxError, ValueError, TypeError, KeyError, IndexError, EOFError)


@dataclass(frozen=True)
class PhotoMetadata:
    """The EXIF fields we keep; `orientation` (1–8) says how to turn the pixels upright."""

    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    camera: str = ""
    orientation: int = 1


def read_metadata(image: Image.Image) -> PhotoMetadata:
    """The date taken, position, camera and orientation from the photo's EXIF, where present."""
    try:
        exif = image.getexif()
        details = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except _EXIF_ERRORS:
        return PhotoMetadata()
    latitude, longitude = gps_position(gps)
    orientation = exif.get(ExifTags.Base.Orientation)
    return PhotoMetadata(
        taken_at=taken_at(details),
        latitude=latitude,
        longitude=longitude,
        camera=_camera(exif.get(ExifTags.Base.Make), exif.get(ExifTags.Base.Model)),
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1,
    )


# --- when --------------------------------------------------------------------------------


def taken_at(details: Any) -> datetime | None:
    """When the photo was taken, in the site's time zone (Asia/Shanghai).

    Cameras write DateTimeOriginal as the wall-clock time of the phone, without a zone; it
    is taken as the site's local time, unless OffsetTimeOriginal states the zone, in which
    case the moment is converted. DateTimeDigitized stands in when the original is missing;
    DateTime (the time of the last edit) never does.
    """
    pairs = (
        (ExifTags.Base.DateTimeOriginal, ExifTags.Base.OffsetTimeOriginal),
        (ExifTags.Base.DateTimeDigitized, ExifTags.Base.OffsetTimeDigitized),
    )
    for date_tag, offset_tag in pairs:
        moment = parse_exif_datetime(details.get(date_tag), details.get(offset_tag))
        if moment is not None:
            return moment
    return None


def parse_exif_datetime(value: object, offset: object = None) -> datetime | None:
    """`2026:11:03 09:15:00` (and `-` or `/` between the date's parts) as an aware datetime."""
    text = _text(value)
    match = _EXIF_DATE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    zone = django_timezone.get_default_timezone()
    stated = _offset(_text(offset))
    try:
        if stated is None:
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
        moment = datetime(year, month, day, hour, minute, second, tzinfo=stated)
    except ValueError:
        return None  # 0000:00:00 00:00:00 and the blanks of a camera without a clock
    return moment.astimezone(zone)


def _offset(text: str) -> timezone | None:
    match = _EXIF_OFFSET.match(text)
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", " ").strip()


# --- where -------------------------------------------------------------------------------


def gps_position(gps: Any) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude in decimal degrees (south and west negative), six places;
    (None, None) unless both are there and on the globe, or when both are 0 (no fix)."""
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if latitude is None or longitude is None:
        return None, None
    if abs(latitude) > 90 or abs(longitude) > 180 or (latitude == 0 and longitude == 0):
        return None, None
    return (
        latitude.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP),
        longitude.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP),
    )


def _degrees(value: object, reference: object) -> Decimal | None:
    """Degrees, minutes and seconds (or fewer parts) as decimal degrees, signed by the
    reference (N, S, E or W)."""
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    total = Decimal(0)
    for part, scale in zip(parts, (1, 60, 3600), strict=False):
        number = _rational(part)
        if number is None or number < 0:
            return None
        total += number / scale
    sign = _text(reference).upper()[:1]
    if sign in ("S", "W"):
        return -total
    if sign in ("N", "E", ""):
        return total
    return None


def _rational(part: object) -> Decimal | None:
    """An EXIF rational, however the reader gave it: IFDRational, (numerator, denominator),
    int or float."""
    numerator: object
    denominator: object
    if isinstance(part, IFDRational):
        numerator, denominator = part.numerator, part.denominator
    elif isinstance(part, tuple) and len(part) == 2:
        numerator, denominator = part
    else:
        numerator, denominator = part, 1
    if isinstance(numerator, bool) or not isinstance(numerator, int | float):
        return None
    if isinstance(denominator, bool) or not isinstance(denominator, int | float):
        return None
    try:
        number = Decimal(str(numerator)) / Decimal(str(denominator))
    except (InvalidOperation, ZeroDivisionError):
        return None
    return number if number.is_finite() else None


# --- which camera ------------------------------------------------------------------------


def _camera(make: object, model: object) -> str:
    """`HUAWEI ALN-AL00`, `Apple iPhone 15`: the make, unless the model already names it."""
    make_text, model_text = " ".join(_text(make).split()), " ".join(_text(model).split())
    if model_text.lower().startswith(make_text.lower()):
        return model_text[:MAX_CAMERA_LENGTH]
    return f"{make_text} {model_text}".strip()[:MAX_CAMERA_LENGTH]
