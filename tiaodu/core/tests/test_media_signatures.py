"""The one table of file types (DOMAIN.md §9): each type by its first bytes, whatever its
name; Office documents by their ZIP container and their name's extension."""

import pytest

from tiaodu.core.media import signatures
from tiaodu.core.media.signatures import Family, identify
from tiaodu.core.tests.media_files import encode, ftyp, mp4, scene


@pytest.mark.parametrize(
    "head, name, expected",
    [
        pytest.param(encode(scene(1))[:512], "a.png", signatures.JPEG, id="jpeg named png"),
        pytest.param(encode(scene(1), "PNG")[:512], "", signatures.PNG, id="png"),
        pytest.param(encode(scene(1), "WEBP")[:512], "", signatures.WEBP, id="webp"),
        pytest.param(ftyp(b"heic", b"mif1", b"heic"), "", signatures.HEIC, id="heic"),
        pytest.param(ftyp(b"mif1", b"mif1", b"heic"), "", signatures.HEIC, id="heif of heic"),
        pytest.param(mp4()[:512], "a.mov", signatures.MP4, id="mp4"),
        pytest.param(ftyp(b"qt  ", b"qt  "), "", signatures.QUICKTIME, id="quicktime"),
        pytest.param(ftyp(b"abcd", b"isom"), "", signatures.MP4, id="mp4 by compatible"),
        pytest.param(b"%PDF-1.7\n", "scan.jpg", signatures.PDF, id="pdf"),
        pytest.param(b"PK\x03\x04" + bytes(30), "plan.docx", signatures.DOCX, id="docx"),
        pytest.param(b"PK\x03\x04" + bytes(30), "ledger.XLSX", signatures.XLSX, id="xlsx"),
        pytest.param(b"PK\x03\x04" + bytes(30), "ledger.zip", signatures.ZIP, id="zip"),
        pytest.param(b"PK\x03\x04" + bytes(30), "", signatures.ZIP, id="zip without a name"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "a.xlsx", signatures.OLD_OFFICE
        ),
        pytest.param(b"\r\n <html>", "a.jpg", signatures.MARKUP, id="markup"),
        pytest.param(ftyp(b"zzzz", b"zzzz"), "", signatures.OTHER_ISO_MEDIA, id="other brand"),
        pytest.param(b"plain words", "a.jpg", None, id="unknown"),
    ],
)
def test_the_content_decides_what_a_file_is(head, name, expected):
    assert identify(head, name=name) is expected


@pytest.mark.parametrize(
    "head, label",
    [
        (b"GIF89a", "GIF"),
        (b"II*\x00", "TIFF"),
        (b"Rar!\x1a\x07", "RAR"),
        (b"\x1f\x8b\x08", "gzip"),
        (ftyp(b"3gp4", b"3gp4"), "3GP"),
        (ftyp(b"avif", b"avif"), "AVIF"),
    ],
)
def test_files_sent_by_mistake_are_named(head, label):
    found = identify(head)
    assert found is not None
    assert (found.label, found.family) == (label, Family.OTHER)


def test_every_type_an_upload_keeps_has_a_content_type_and_an_extension():
    kept = [
        signatures.JPEG,
        signatures.PNG,
        signatures.WEBP,
        signatures.HEIC,
        signatures.MP4,
        signatures.QUICKTIME,
        signatures.PDF,
        signatures.DOCX,
        signatures.XLSX,
    ]
    assert [(s.content_type, s.extension) for s in kept] == [
        ("image/jpeg", "jpg"),
        ("image/png", "png"),
        ("image/webp", "webp"),
        ("image/heic", "heic"),
        ("video/mp4", "mp4"),
        ("video/quicktime", "mov"),
        ("application/pdf", "pdf"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ]
