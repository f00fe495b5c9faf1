"""Uploads of a report's photos and videos (DOMAIN.md §3, §9; docs/uploads.md): accepted by
their content, photos stored upright as plain JPEGs with their date, place and perceptual hash
but no metadata, videos stored as they are. Refusals: test_media_refusals.py."""

import hashlib
import io
import os
import struct
import subprocess
import sys
from datetime import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image, ImageEnhance

from tiaodu.core.media import limits, phash
from tiaodu.core.media.checks import inspect_upload
from tiaodu.core.media.choices import FileKind
from tiaodu.core.tests.media_files import (
    BLUE,
    RED,
    SCRIPT,
    SHANGHAI,
    CountingReader,
    accept,
    box,
    chunk,
    encode,
    exif,
    ftyp,
    marked,
    mp4,
    near,
    opened,
    scene,
    segments,
    srgb_profile,
    with_comment,
)

# --- photos --------------------------------------------------------------------------------


def test_a_phone_photo_is_stored_upright_as_a_jpeg_with_its_date_place_and_camera():
    data = encode(marked(), exif=exif(orientation=6), comment=b"shot on site")
    accepted = accept(data, name="IMG_0001.JPG")
    assert accepted.kind == FileKind.PHOTO
    assert (accepted.name, accepted.extension, accepted.content_type) == (
        "IMG_0001.jpg",
        "jpg",
        "image/jpeg",
    )
    assert accepted.source_type == "image/jpeg"
    assert (accepted.width, accepted.height) == (400, 600)
    assert accepted.taken_at == datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)
    assert (accepted.latitude, accepted.longitude) == (Decimal("30.660139"), Decimal("104.070000"))
    assert accepted.camera == "Apple iPhone 15"
    assert accepted.size == len(accepted.content)
    assert accepted.sha256 == hashlib.sha256(accepted.content).hexdigest()
    stored = opened(accepted.content)
    assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (400, 600))
    # Orientation 6: the camera was turned clockwise; upright, the red corner is top right.
    assert near(stored.getpixel((360, 40)), RED)
    assert near(stored.getpixel((40, 40)), BLUE)


def test_what_is_stored_holds_no_metadata_at_all():
    data = encode(marked(), exif=exif(), comment=b"shot on site", icc_profile=srgb_profile())
    accepted = accept(data)
    for stored in (accepted.content, accepted.thumbnail):
        # APP0 (JFIF), quantisation and Huffman tables, the frame, the scan: nothing else.
        assert set(segments(stored)) <= {0xE0, 0xDB, 0xC4, 0xC2, 0xDA}
        assert b"Exif" not in stored
        assert b"shot on site" not in stored
        assert opened(stored).getexif() == {}


@pytest.mark.parametrize(
    "fmt, source_type, params",
    [
        ("JPEG", "image/jpeg", {"quality": 92}),
        ("PNG", "image/png", {}),
        ("WEBP", "image/webp", {"quality": 90}),
        ("HEIF", "image/heic", {"quality": 90}),
    ],
)
def test_each_photo_format_is_read_and_re_encoded(fmt, source_type, params):
    data = encode(scene(1), fmt, exif=exif(), **params)
    accepted = accept(data, name=f"site.{fmt.lower()}")
    assert (accepted.source_type, accepted.name, accepted.content_type) == (
        source_type,
        "site.jpg",
        "image/jpeg",
    )
    assert (accepted.width, accepted.height) == (640, 480)
    assert accepted.taken_at == datetime(2026, 11, 3, 9, 15, tzinfo=SHANGHAI)
    assert (accepted.latitude, accepted.longitude) == (Decimal("30.660139"), Decimal("104.070000"))
    assert opened(accepted.content).format == "JPEG"
    assert phash.hamming(accepted.phash, phash.perceptual_hash(scene(1))) <= phash.NEAR


def test_a_heic_from_an_iphone_is_decoded_here():
    """pillow-heif decodes HEIC on this machine (libheif with libde265)."""
    data = encode(marked(), "HEIF", exif=exif(make="Apple", model="iPhone 15 Pro"))
    assert data[4:12] == b"ftypheic"
    accepted = accept(data, name="IMG_4711.HEIC", declared_type="image/heic")
    assert (accepted.name, accepted.camera) == ("IMG_4711.jpg", "Apple iPhone 15 Pro")
    assert near(opened(accepted.content).getpixel((40, 40)), RED, tolerance=24)


HEIC_IN_A_NEW_PROCESS = """
import sys
import django

django.setup()
assert "pillow_heif" not in sys.modules, "pillow-heif loaded at start-up"
from tiaodu.core.tests.media_files import accept, opened

accepted = accept(open(sys.argv[1], "rb").read(), name="IMG_4712.HEIC", declared_type="image/heic")
assert "pillow_heif" in sys.modules
print(opened(accepted.content).format, accepted.camera)
"""


def test_a_process_loads_the_heic_reader_at_its_first_heic_photo(tmp_path):
    """pillow-heif is not loaded as a process starts (it slows every start), and the first
    HEIC photo loads it: a new process, not this one, where the files above loaded it."""
    photo = tmp_path / "IMG_4712.HEIC"
    photo.write_bytes(encode(marked(), "HEIF", exif=exif(make="Apple", model="iPhone 15")))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiaodu.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", HEIC_IN_A_NEW_PROCESS, str(photo)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["JPEG", "Apple", "iPhone", "15"]


@pytest.mark.parametrize(
    "name, declared_type, stored_name",
    [
        ("IMG_0002.HEIC", "image/heic", "IMG_0002.jpg"),  # a JPEG named as a HEIC
        ("微信图片_20261103.png", "image/png", "微信图片_20261103.jpg"),
        ("C:\\fakepath\\工地.jpeg", "application/octet-stream", "工地.jpg"),
        ("../../etc/passwd", "text/plain", "passwd.jpg"),
        ("", None, "photo.jpg"),
    ],
)
def test_the_content_decides_and_the_stored_name_gets_its_extension(
    name, declared_type, stored_name
):
    accepted = accept(encode(scene(2)), name=name, declared_type=declared_type)
    assert (accepted.kind, accepted.name) == (FileKind.PHOTO, stored_name)


def test_a_large_photo_is_scaled_down_and_gets_a_thumbnail():
    accepted = accept(encode(scene(3, size=(6000, 3000)), quality=80))
    assert (accepted.width, accepted.height) == (4096, 2048)
    assert opened(accepted.content).size == (4096, 2048)
    thumbnail = opened(accepted.thumbnail)
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (480, 240))


def test_a_small_photo_keeps_its_size():
    accepted = accept(encode(scene(3, size=(300, 200))))
    assert (accepted.width, accepted.height) == (300, 200)
    assert opened(accepted.thumbnail).size == (300, 200)


def test_transparency_is_laid_on_white_and_colour_modes_become_rgb():
    transparent = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    transparent.paste((255, 0, 0, 255), (0, 0, 32, 32))
    stored = opened(accept(encode(transparent, "PNG")).content)
    assert near(stored.getpixel((50, 50)), (255, 255, 255))
    assert near(stored.getpixel((10, 10)), RED)

    palette = transparent.convert("P", palette=Image.Palette.ADAPTIVE)
    assert near(opened(accept(encode(palette, "PNG")).content).getpixel((10, 10)), RED)

    cmyk = Image.new("CMYK", (64, 64), (0, 255, 255, 0))  # red in print colours
    stored = opened(accept(encode(cmyk)).content)
    assert stored.mode == "RGB" and near(stored.getpixel((10, 10)), RED, tolerance=24)

    grey_16_bit = Image.new("I;16", (64, 64), 32768)  # a scanner's 16-bit grey: mid grey
    assert near(opened(accept(encode(grey_16_bit, "PNG")).content).getpixel((10, 10)), (128,) * 3)


def test_the_colours_of_a_photo_with_a_colour_profile_are_kept():
    accepted = accept(encode(scene(4), icc_profile=srgb_profile(), quality=95))
    stored = opened(accepted.content)
    assert near(stored.getpixel((320, 240)), scene(4).getpixel((320, 240)), tolerance=16)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_a_photo_whose_exif_is_damaged_is_accepted_without_metadata():
    jpeg = encode(scene(5))
    broken = jpeg[:2] + b"\xff\xe1\x00\x20Exif\x00\x00MM\x00\x2a\xff\xff\xff\xff" + bytes(14)
    accepted = accept(broken + jpeg[2:])
    assert (accepted.taken_at, accepted.latitude, accepted.camera) == (None, None, "")
    assert accepted.width == 640


def test_a_django_upload_is_read_and_left_at_its_start(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = encode(scene(6), "PNG")
    in_memory = SimpleUploadedFile("site.png", data, content_type="image/png")
    on_disk = TemporaryUploadedFile("site.png", "image/png", len(data), None)
    on_disk.write(data)
    for upload in (in_memory, on_disk):
        upload.seek(10)
        accepted = inspect_upload(upload, name="site.png")
        assert (accepted.width, upload.tell()) == (640, 0)
    on_disk.close()


# --- polyglots -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: encode(scene(7)) + SCRIPT, id="html appended"),
        pytest.param(lambda: with_comment(encode(scene(7)), SCRIPT), id="html in a comment"),
        pytest.param(
            lambda: encode(scene(7), exif=exif(description=SCRIPT.decode())), id="html in exif"
        ),
        pytest.param(
            lambda: (
                encode(scene(7), "PNG")[:-12]
                + chunk(b"tEXt", b"Comment\x00" + SCRIPT)
                # the IEND chunk again, after the text
                + chunk(b"IEND", b"")
            ),
            id="html in a png text chunk",
        ),
    ],
)
def test_a_photo_that_is_also_a_web_page_is_stored_as_pixels_only(make):
    data = make()
    assert SCRIPT in data
    accepted = accept(data, name="site.jpg")
    assert accepted.kind == FileKind.PHOTO
    for stored in (accepted.content, accepted.thumbnail):
        assert b"<script" not in stored.lower()
        assert b"<html" not in stored.lower()


# --- videos --------------------------------------------------------------------------------


def test_an_mp4_is_stored_as_it_is():
    data = mp4()
    handle = io.BytesIO(data)
    accepted = inspect_upload(handle, name="VID_20261103.mov", declared_type="video/quicktime")
    assert (accepted.kind, accepted.name, accepted.extension, accepted.content_type) == (
        FileKind.VIDEO,
        "VID_20261103.mp4",
        "mp4",
        "video/mp4",
    )
    assert (accepted.size, accepted.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert (accepted.width, accepted.height, accepted.phash, accepted.taken_at) == (None,) * 4
    assert (accepted.content, accepted.thumbnail, accepted.thumbnail_file()) == (None,) * 3
    stored = accepted.content_file()
    assert (stored.name, stored.read()) == ("VID_20261103.mp4", data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(mp4(major=b"mp42", compatible=(b"mp42", b"isom")), id="mp42"),
        pytest.param(mp4(major=b"XAVC", compatible=(b"XAVC", b"mp42", b"iso2")), id="a camera's"),
        pytest.param(mp4(major=b"dash", compatible=(b"iso6", b"mp41")), id="dash"),
        pytest.param(
            ftyp(b"isom", b"isom")
            + box(b"moov", bytes(8))
            + box(b"free", bytes(16))
            # a 64-bit size, and a last box that runs to the end of the file
            + struct.pack(">I4sQ", 1, b"mdat", 16 + 64)
            + bytes(64)
            + struct.pack(">I4s", 0, b"free")
            + bytes(32),
            id="large and open-ended boxes",
        ),
    ],
)
def test_mp4_variants_are_accepted(data):
    accepted = accept(data, name="clip.mp4")
    assert (accepted.kind, accepted.content_type, accepted.size) == (
        FileKind.VIDEO,
        "video/mp4",
        len(data),
    )


def test_an_iphone_mov_is_accepted_as_quicktime():
    data = mp4(major=b"qt  ", compatible=(b"qt  ",))
    accepted = accept(data, name="IMG_0042.MOV")
    assert (accepted.name, accepted.extension, accepted.content_type) == (
        "IMG_0042.mov",
        "mov",
        "video/quicktime",
    )


def test_a_video_is_read_in_chunks_never_whole():
    data = mp4(media_bytes=5 * limits.MB)
    handle = CountingReader(data)
    accepted = inspect_upload(handle, name="clip.mp4")
    assert accepted.sha256 == hashlib.sha256(data).hexdigest()
    assert handle.largest_read == limits.CHUNK


# --- perceptual hash -----------------------------------------------------------------------


def variants(image: Image.Image) -> dict[str, bytes]:
    return {
        "re-encoded": encode(image, quality=50),
        "halved": encode(image.resize((image.width // 2, image.height // 2))),
        "brightened": encode(ImageEnhance.Brightness(image).enhance(1.1)),
        "as png": encode(image, "PNG"),
        "as webp": encode(image, "WEBP", quality=60),
        "trimmed": encode(image.crop((6, 5, image.width - 6, image.height - 5))),
    }


def test_the_same_photo_re_encoded_resized_brightened_or_trimmed_stays_near():
    original = accept(encode(scene(10), quality=90)).phash
    assert len(original) == 16 and int(original, 16) >= 0
    distances = {
        label: phash.hamming(original, accept(data).phash)
        for label, data in variants(scene(10)).items()
    }
    assert max(distances.values()) <= phash.NEAR, distances


def test_different_photos_are_far_apart():
    hashes = [accept(encode(scene(seed))).phash for seed in range(20, 28)]
    distances = [phash.hamming(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]]
    assert min(distances) > 2 * phash.NEAR, distances
    assert sum(distances) / len(distances) > 24, distances  # half the bits, as for real photos
