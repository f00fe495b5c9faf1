"""What a photo's EXIF says, however a phone wrote it (docs/uploads.md, "What is kept"):
the date taken in the site's time (Asia/Shanghai), the position in decimal degrees, the
camera; nonsense gives no value rather than a wrong one."""

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from tiaodu.core.media.metadata import gps_position, parse_exif_datetime, read_metadata, taken_at
from tiaodu.core.media.phash import hamming, perceptual_hash

SHANGHAI = ZoneInfo("Asia/Shanghai")
ORIGINAL = ExifTags.Base.DateTimeOriginal
DIGITIZED = ExifTags.Base.DateTimeDigitized


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026:11:03 09:15:00", datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)),
        ("2026:11:03 09:15:00\x00", datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)),
        (b"2026:11:03 09:15:07", datetime(2026, 11, 3, 9, 15, 7, tzinfo=SHANGHAI)),
        ("2026-11-03 09:15:00", datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)),
        ("2026/11/03 9:15", datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)),
        ("2026:11:03T21:40:59", datetime(2026, 11, 3, 21, 40, 59, tzinfo=SHANGHAI)),
        ("    :  :     :  :  ", None),  # a camera that never had its clock set
        ("0000:00:00 00:00:00", None),
        ("2026:13:03 09:15:00", None),
        ("2026:02:30 09:15:00", None),
        ("2026:11:03 25:15:00", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20261103, None),
    ],
)
def test_the_date_taken_is_the_phones_wall_clock_in_shanghai(value, expected):
    assert parse_exif_datetime(value) == expected


@pytest.mark.parametrize(
    "offset, expected",
    [
        ("+08:00", datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)),
        ("+00:00", datetime(2026, 11, 3, 17, 15, tzinfo=SHANGHAI)),
        ("-05:00", datetime(2026, 11, 3, 22, 15, tzinfo=SHANGHAI)),
        ("+0530", datetime(2026, 11, 3, 11, 45, tzinfo=SHANGHAI)),
        ("+23:00", datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)),  # no such zone: ignored
        ("   :  ", datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)),
    ],
)
def test_a_stated_offset_is_converted_to_shanghai_time(offset, expected):
    assert parse_exif_datetime("2026:11:03 09:15:00", offset) == expected


def test_the_original_date_wins_and_the_digitized_one_stands_in():
    both = {ORIGINAL: "2026:11:03 09:15:00", DIGITIZED: "2026:11:04 10:00:00"}
    assert taken_at(both) == datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)
    assert taken_at({DIGITIZED: "2026:11:04 10:00:00"}) == datetime(
        2026, 11, 4, 10, tzinfo=SHANGHAI
    )
    assert taken_at({ORIGINAL: "0000:00:00 00:00:00", DIGITIZED: "2026:11:04 10:00:00"}) == (
        datetime(2026, 11, 4, 10, tzinfo=SHANGHAI)
    )
    assert taken_at({}) is None


def gps(latitude, north, longitude, east):
    return {
        ExifTags.GPS.GPSLatitude: latitude,
        ExifTags.GPS.GPSLatitudeRef: north,
        ExifTags.GPS.GPSLongitude: longitude,
        ExifTags.GPS.GPSLongitudeRef: east,
    }


def rational(numerator, denominator=1):
    return IFDRational(Fraction(numerator, denominator))


CHENGDU = (Decimal("30.660139"), Decimal("104.070000"))


@pytest.mark.parametrize(
    "tags, expected",
    [
        pytest.param(
            gps(
                (rational(30), rational(39), rational(365, 10)),
                "N",
                (rational(104), rational(4), rational(12)),
                "E",
            ),
            CHENGDU,
            id="degrees, minutes, seconds as rationals",
        ),
        pytest.param(
            gps(((30, 1), (39, 1), (3650, 100)), b"N\x00", ((104, 1), (4, 1), (12, 1)), b"E\x00"),
            CHENGDU,
            id="pairs and byte references",
        ),
        pytest.param(
            gps((30, 39.60833333), "N", (104, 4.2), "E"),
            (Decimal("30.660139"), Decimal("104.070000")),
            id="degrees and decimal minutes",
        ),
        pytest.param(
            gps((30.6601389,), "n", (104.07,), "e"),
            CHENGDU,
            id="decimal degrees, lower-case references",
        ),
        pytest.param(
            gps((33, 51, 54), "S", (151, 12, 36), "W"),
            (Decimal("-33.865000"), Decimal("-151.210000")),
            id="south and west are negative",
        ),
        pytest.param(
            gps((30, 39, 36.5), None, (104, 4, 12), None),
            CHENGDU,
            id="references missing: north and east",
        ),
        pytest.param(gps((0, 0, 0), "N", (0, 0, 0), "E"), (None, None), id="no fix"),
        pytest.param(gps((95, 0, 0), "N", (104, 0, 0), "E"), (None, None), id="off the globe"),
        pytest.param(gps((30, 39, 36), "N", (190, 0, 0), "E"), (None, None), id="east of 180"),
        pytest.param(gps(((30, 0), 39, 36), "N", (104, 4, 12), "E"), (None, None), id="x/0"),
        pytest.param(gps((30, -39, 36), "N", (104, 4, 12), "E"), (None, None), id="negative"),
        pytest.param(gps((30, 39, 36), "X", (104, 4, 12), "E"), (None, None), id="bad reference"),
        pytest.param(gps("30,39,36", "N", (104, 4, 12), "E"), (None, None), id="text"),
        pytest.param(gps((1, 2, 3, 4), "N", (104, 4, 12), "E"), (None, None), id="four parts"),
        pytest.param(gps((30, 39, 36), "N", None, None), (None, None), id="latitude only"),
        pytest.param({}, (None, None), id="none"),
    ],
)
def test_the_position_in_decimal_degrees(tags, expected):
    assert gps_position(tags) == expected


def with_exif(**tags) -> Image.Image:
    image = Image.new("RGB", (8, 8))
    block = image.getexif()
    for name, value in tags.items():
        block[ExifTags.Base[name]] = value
    return image


@pytest.mark.parametrize(
    "make, model, camera",
    [
        ("Apple", "iPhone 15", "Apple iPhone 15"),
        ("HUAWEI", "ALN-AL00", "HUAWEI ALN-AL00"),
        ("Canon", "Canon EOS R5", "Canon EOS R5"),
        ("Xiaomi\x00", "  23127PN0CC \x00", "Xiaomi 23127PN0CC"),
        ("", "iPhone 15", "iPhone 15"),
        ("Apple", "", "Apple"),
        ("A" * 80, "B" * 80, "A" * 80 + " " + "B" * 19),
    ],
)
def test_the_camera_is_the_make_unless_the_model_names_it(make, model, camera):
    assert read_metadata(with_exif(Make=make, Model=model)).camera == camera


def test_an_orientation_outside_one_to_eight_is_none():
    assert read_metadata(with_exif(Orientation=6)).orientation == 6
    assert read_metadata(with_exif(Orientation=9)).orientation == 1
    assert read_metadata(with_exif()).orientation == 1


def test_the_difference_hash_reads_the_picture_left_to_right():
    # Black on the left, white on the right: no left pixel is brighter than its neighbour.
    rising = Image.linear_gradient("L").rotate(90).resize((90, 80))
    assert (rising.getpixel((0, 40)), rising.getpixel((89, 40))) == (1, 254)
    assert perceptual_hash(rising) == "0" * 16
    assert perceptual_hash(rising.transpose(Image.Transpose.FLIP_LEFT_RIGHT)) == "f" * 16
    # Only the top row falling: the first eight bits, the most significant.
    top_row_falling = rising.copy()
    top_row_falling.paste(rising.transpose(Image.Transpose.FLIP_LEFT_RIGHT).crop((0, 0, 90, 10)))
    assert perceptual_hash(top_row_falling) == "ff00000000000000"
    assert perceptual_hash(Image.new("RGB", (50, 50), "white")) == "0" * 16


def test_hamming_counts_the_bits_that_differ():
    assert hamming("0" * 16, "f" * 16) == 64
    assert hamming("8000000000000001", "0000000000000000") == 2
    assert hamming("0123456789abcdef", "0123456789abcdef") == 0
