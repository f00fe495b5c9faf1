"""Word and Excel files are zip packages, checked from their zip directory before anything
unpacks them (`core.media.office`), and attached documents are named and served by their
content (`core.media.documents`)."""

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tiaodu.core.media import limits
from tiaodu.core.media.documents import inspect_document
from tiaodu.core.media.office import PackageLimits, PackageProblem, PackageRefused, check_package
from tiaodu.core.media.signatures import DOCX, XLSX
from tiaodu.core.tests.office_files import (
    CONTENT_TYPES,
    document_bytes,
    package,
    with_parts,
    workbook_bytes,
)

MB = limits.MB
# A few megabytes of XML that packs a thousand times smaller: what a zip bomb is made of,
# at a size that keeps the test fast.
BOMB_PART = b"<row/>" * (4 * MB // 6)


def refusal(data: bytes, package_limits: PackageLimits | None = None) -> PackageRefused:
    with translation.override("en"), pytest.raises(PackageRefused) as refused:
        check_package(io.BytesIO(data), package_limits=package_limits)
    return refused.value


def test_word_and_excel_files_are_known_by_their_parts_not_their_names():
    assert check_package(io.BytesIO(workbook_bytes())) is XLSX
    assert check_package(io.BytesIO(document_bytes())) is DOCX


def test_a_zip_bomb_is_refused_from_the_directory_by_how_much_a_part_grows():
    bomb = with_parts(workbook_bytes(), {"xl/worksheets/sheet2.xml": BOMB_PART})
    assert len(bomb) < 40_000
    refused = refusal(bomb)
    assert refused.problem == PackageProblem.RATIO
    assert refused.message.startswith("The part “xl/worksheets/sheet2.xml” of the file unpacks")
    assert "grows at most 200 times" in refused.message


@pytest.mark.parametrize(
    "package_limits, problem",
    [
        (PackageLimits(total=3 * MB), PackageProblem.TOO_LARGE),
        (PackageLimits(part=3 * MB), PackageProblem.PART_TOO_LARGE),
        (PackageLimits(parts=10), PackageProblem.TOO_MANY_PARTS),
    ],
    ids=["unpacked-in-all", "unpacked-part", "parts"],
)
def test_the_sizes_and_the_count_of_parts_are_limited(package_limits, problem):
    stored = package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook/>",
            **{f"xl/media/image{n}.png": bytes(MB // 2) for n in range(8)},
            "xl/media/large.bin": bytes(4 * MB),
        },
        stored=True,
    )
    assert refusal(stored, package_limits).problem == problem


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../../evil.xml", "xl/../../evil.xml", "C:/evil.xml", "xl\\a.xml"]
)
def test_a_part_named_outside_the_package_is_refused(name):
    data = package(
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<document/>", name: b"x"}
    )
    refused = refusal(data)
    assert refused.problem == PackageProblem.BAD_NAME
    assert name in refused.message


@pytest.mark.parametrize(
    "parts",
    [
        {"word/document.xml": b"<document/>"},
        {"[Content_Types].xml": CONTENT_TYPES, "xl/styles.xml": b"<styleSheet/>"},
        {"readme.txt": b"a zip"},
    ],
    ids=["no-content-types", "no-main-part", "plain-zip"],
)
def test_a_zip_without_the_parts_of_word_or_excel_is_neither(parts):
    assert refusal(package(parts)).problem == PackageProblem.NOT_OFFICE


def test_a_directory_that_understates_a_part_is_found_while_unpacking_it():
    data = bytearray(package({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": BOMB_PART}))
    # The central directory entry of the workbook says 1,000 bytes unpacked (its local
    # header says so too); its data unpacks to 4 MB.
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<L", data, central + 24, 1000)
    local = data.rfind(b"PK\x03\x04")
    struct.pack_into("<L", data, local + 22, 1000)
    refused = refusal(bytes(data))
    assert refused.problem == PackageProblem.DAMAGED


def test_a_damaged_zip_is_refused():
    data = workbook_bytes()
    assert refusal(data[: len(data) // 2]).problem == PackageProblem.DAMAGED


def test_an_html_page_that_starts_like_a_pdf_is_named_and_typed_a_pdf():
    page = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"
    document = inspect_document(io.BytesIO(page), name="evil.html", max_bytes=MB)
    assert (document.name, document.original_name) == ("evil.pdf", "evil.pdf")
    assert (document.extension, document.content_type) == ("pdf", "application/pdf")


def test_a_workbook_named_as_a_word_file_is_a_workbook():
    document = inspect_document(io.BytesIO(workbook_bytes()), name="纪要.docx", max_bytes=MB)
    assert (document.original_name, document.extension) == ("纪要.xlsx", "xlsx")
    word = inspect_document(io.BytesIO(document_bytes()), name="台账.xlsx", max_bytes=MB)
    assert (word.original_name, word.extension) == ("台账.docx", "docx")


def test_a_zip_bomb_attached_as_a_workbook_is_refused_in_chinese():
    bomb = with_parts(workbook_bytes(), {"xl/worksheets/sheet2.xml": BOMB_PART})
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        inspect_document(io.BytesIO(bomb), name="台账.xlsx", max_bytes=MB)
    (message,) = refused.value.message_dict["file"]
    assert message.startswith("文件的部件“xl/worksheets/sheet2.xml”解压后是压缩大小的")
