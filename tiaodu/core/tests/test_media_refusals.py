"""Refused uploads (DOMAIN.md §9; docs/uploads.md): SVG, HTML named .jpg, pixel bombs,
oversized, empty, damaged and foreign files. Each refusal says, in the user's language, what is
wrong and what to do, and changes nothing: the upload is as it was and no file is written."""

import io
import random
import tempfile

import pytest
from django.utils import translation

from tiaodu.core.media import limits
from tiaodu.core.media.checks import RefusalReason, UploadRefused, inspect_upload
from tiaodu.core.tests.media_files import (
    SCRIPT,
    CountingReader,
    accept,
    box,
    encode,
    ftyp,
    mp4,
    pixel_bomb,
    scene,
)

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
MARKUP = (
    "这是网页或矢量图（HTML、SVG 或 XML），不是照片。请上传照片本身：相机拍摄的 JPEG、PNG、"
    "WebP 或 HEIC 文件。"
)
NOT_MEDIA = "这不是照片或视频：请上传 JPEG、PNG、WebP、HEIC 照片或 MP4、MOV 视频。"
DAMAGED_PHOTO = "照片已损坏或不完整（可能上传中断）。请确认照片在手机上能打开后重新上传。"
DAMAGED_VIDEO = "视频已损坏或不完整（可能上传或录制中断）。请确认视频在手机上能播放后重新上传。"
PIXELS = "照片超过 5000万像素。请缩小尺寸（长边 4096 像素即可）后重新上传。"


def named(label: str) -> str:
    return f"这是 {label} 文件，不是照片或视频：请上传 JPEG、PNG、WebP、HEIC 照片或 MP4、MOV 视频。"


REFUSALS = [
    pytest.param(SVG, "site.svg", RefusalReason.MARKUP, MARKUP, id="svg"),
    pytest.param(SCRIPT, "site.jpg", RefusalReason.MARKUP, MARKUP, id="html renamed .jpg"),
    pytest.param(
        "\r\n  <!DOCTYPE html><html></html>".encode("utf-16"),
        "site.jpg",
        RefusalReason.MARKUP,
        MARKUP,
        id="html in utf-16 after blanks",
    ),
    pytest.param(
        "\ufeff<svg/>".encode(), "a.jpg", RefusalReason.MARKUP, MARKUP, id="svg after a bom"
    ),
    pytest.param(
        pixel_bomb(30000, 30000),
        "bomb.png",
        RefusalReason.TOO_MANY_PIXELS,
        PIXELS,
        id="pixel bomb",
    ),
    pytest.param(
        pixel_bomb(8000, 7000),
        "56mp.png",
        RefusalReason.TOO_MANY_PIXELS,
        PIXELS,
        id="56 megapixels",
    ),
    pytest.param(b"", "empty.jpg", RefusalReason.EMPTY, "文件是空的。请重新选择照片或视频后上传。"),
    pytest.param(
        encode(scene(8))[:3000], "cut.jpg", RefusalReason.DAMAGED, DAMAGED_PHOTO, id="cut jpeg"
    ),
    pytest.param(
        b"\xff\xd8\xff\xe0" + bytes(4000), "zero.jpg", RefusalReason.DAMAGED, DAMAGED_PHOTO
    ),
    pytest.param(encode(scene(8), "PNG")[:2000], "cut.png", RefusalReason.DAMAGED, DAMAGED_PHOTO),
    pytest.param(b"GIF89a" + bytes(100), "a.jpg", RefusalReason.NOT_MEDIA, named("GIF")),
    pytest.param(b"%PDF-1.7\n" + bytes(100), "a.jpg", RefusalReason.NOT_MEDIA, named("PDF")),
    pytest.param(b"PK\x03\x04" + bytes(100), "a.mp4", RefusalReason.NOT_MEDIA, named("ZIP")),
    pytest.param(ftyp(b"avif", b"avif", b"mif1"), "a.heic", RefusalReason.NOT_MEDIA, named("AVIF")),
    pytest.param(
        mp4(major=b"3gp4", compatible=(b"3gp4",)), "a.mp4", RefusalReason.NOT_MEDIA, named("3GP")
    ),
    pytest.param("工地进度说明".encode(), "a.jpg", RefusalReason.NOT_MEDIA, NOT_MEDIA, id="text"),
    pytest.param(random.Random(9).randbytes(5000), "a.jpg", RefusalReason.NOT_MEDIA, NOT_MEDIA),
    pytest.param(
        ftyp(b"isom", b"isom") + box(b"mdat", bytes(500)),
        "no-moov.mp4",
        RefusalReason.DAMAGED,
        DAMAGED_VIDEO,
        id="mp4 without a movie header",
    ),
    pytest.param(mp4()[:-100], "cut.mp4", RefusalReason.DAMAGED, DAMAGED_VIDEO, id="cut mp4"),
    pytest.param(
        ftyp(b"isom", b"isom") + b"\x00\x00\x00\x08\xff\xfe\xfd\xfc" * 3 + mp4()[24:],
        "odd.mp4",
        RefusalReason.DAMAGED,
        DAMAGED_VIDEO,
        id="mp4 with a box that is not one",
    ),
    pytest.param(
        ftyp(b"isom", b"isom") + box(b"free", b"") * 2000 + mp4()[24:],
        "boxes.mp4",
        RefusalReason.DAMAGED,
        DAMAGED_VIDEO,
        id="mp4 of thousands of boxes",
    ),
]


@pytest.fixture
def no_temporary_files(tmp_path, monkeypatch):
    """Every temporary file the code under test might make goes here, to be counted."""
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("data, name, reason, message", REFUSALS)
def test_a_refused_upload_says_what_to_do_and_changes_nothing(
    data, name, reason, message, no_temporary_files
):
    handle = io.BytesIO(data)
    with translation.override("zh-hans"), pytest.raises(UploadRefused) as refused:
        inspect_upload(handle, name=name, declared_type="image/jpeg")
    assert (refused.value.reason, refused.value.message, str(refused.value)) == (
        reason,
        message,
        message,
    )
    assert (handle.getvalue(), handle.tell()) == (data, 0)


def test_a_pixel_bomb_is_small_on_disk():
    assert len(pixel_bomb(30000, 30000)) < 200_000


def test_an_oversized_photo_is_refused_before_it_is_read():
    handle = CountingReader(b"\xff\xd8\xff\xe0" + bytes(21 * limits.MB))
    with translation.override("zh-hans"), pytest.raises(UploadRefused) as refused:
        inspect_upload(handle, name="big.jpg")
    assert refused.value.reason == RefusalReason.TOO_LARGE
    assert refused.value.message == (
        "照片大小为 21.0 MB，照片最大 20 MB。请在手机上以较小尺寸分享，或降低拍摄分辨率后重新上传。"
    )
    assert handle.total_read <= limits.HEAD


def test_an_oversized_video_is_refused_before_it_is_read():
    handle = CountingReader(mp4(), size=201 * limits.MB)  # Django's `size`, as it measured
    with translation.override("zh-hans"), pytest.raises(UploadRefused) as refused:
        inspect_upload(handle, name="long.mp4")
    assert refused.value.reason == RefusalReason.TOO_LARGE
    assert refused.value.message == (
        "视频大小为 201.0 MB，视频最大 200 MB。请剪短视频，或以较低分辨率（1080p）录制后重新上传。"
    )
    assert handle.total_read <= limits.HEAD


def test_a_file_larger_than_it_claims_is_refused_once_it_proves_so(monkeypatch):
    photo = CountingReader(b"\xff\xd8\xff\xe0" + bytes(21 * limits.MB), size=4000)
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(photo, name="big.jpg")
    assert refused.value.reason == RefusalReason.TOO_LARGE
    assert photo.total_read <= limits.HEAD + limits.PHOTO_MAX_BYTES + limits.CHUNK

    monkeypatch.setattr(limits, "VIDEO_MAX_BYTES", limits.MB)
    video = CountingReader(mp4(media_bytes=limits.MB), size=4000)
    with translation.override("zh-hans"), pytest.raises(UploadRefused) as refused:
        inspect_upload(video, name="long.mp4")
    assert refused.value.message.startswith("视频大小为 1.0 MB，视频最大 1 MB。")
    assert video.total_read <= limits.HEAD


def test_refusals_read_in_english_after_the_switch():
    with translation.override("en"), pytest.raises(UploadRefused) as refused:
        accept(SCRIPT, name="site.jpg")
    assert refused.value.message == (
        "This is a web page or a drawing (HTML, SVG or XML), not a photo. Upload the photo "
        "itself: a JPEG, PNG, WebP or HEIC file from the camera."
    )
