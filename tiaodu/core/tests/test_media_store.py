"""Where stored files go (`<folder>/<year>/<month>/`, in the site's time) and what an attached
document is accepted as (a PDF, JPEG, PNG, Word or Excel file, by its content)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from tiaodu.core.media.documents import inspect_document
from tiaodu.core.media.models import upload_to
from tiaodu.core.tests.media_files import encode, scene
from tiaodu.core.tests.office_files import package, workbook_bytes


class Row:
    upload_folder = "reports"


def test_a_file_is_kept_under_its_models_folder_and_the_month_in_the_sites_time():
    # 17:00 UTC on 30 November is 01:00 on 1 December in Shanghai.
    with time_machine.travel(dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC), tick=False):
        assert upload_to(Row(), "12-3-abc.jpg") == "reports/2026/12/12-3-abc.jpg"


@pytest.mark.parametrize(
    "data, name, expected",
    [
        (
            b"%PDF-1.7\n%%EOF\n",
            "C:\\docs\\会议纪要.PDF",
            ("会议纪要.pdf", "pdf", "application/pdf"),
        ),
        (encode(scene(1), "PNG"), "site.png", ("site.png", "png", "image/png")),
        (
            workbook_bytes(),
            "台账.docx",
            (
                "台账.xlsx",
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ),
    ],
    # Ids of their own: an Office file made at collection carries the minute it was zipped,
    # and ids taken from the bytes would differ between two test processes.
    ids=["pdf", "png", "xlsx-named-docx"],
)
def test_a_document_is_accepted_by_its_content(data, name, expected):
    document = inspect_document(io.BytesIO(data), name=name, max_bytes=1024 * 1024)
    assert (document.original_name, document.extension, document.content_type) == expected
    assert (document.size, document.content_file().read()) == (len(data), data)
    assert document.thumbnail_file() is None


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "a.pdf", "The file is empty."),
        (
            b"%PDF-" + bytes(2 * 1024 * 1024),
            "a.pdf",
            "The file is larger than 1 MB; attach a smaller one.",
        ),
        (
            package({"readme.txt": b"not an office file"}),
            "a.xlsx",
            "Attach a PDF, a JPEG or PNG image, or a Word or Excel (.docx, .xlsx) file.",
        ),
        (
            b"PK\x03\x04" + bytes(30),
            "a.docx",
            "The file is damaged or not a Word or Excel file: its contents cannot be read. "
            "Save it again from Word, Excel or WPS as .docx or .xlsx.",
        ),
        (
            encode(scene(1), "WEBP"),
            "a.webp",
            "Attach a PDF, a JPEG or PNG image, or a Word or Excel (.docx, .xlsx) file.",
        ),
    ],
    ids=["empty", "too-large", "zip-not-office", "damaged-docx", "text"],
)
def test_a_document_that_is_not_accepted_says_what_to_attach(data, name, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        inspect_document(io.BytesIO(data), name=name, max_bytes=1024 * 1024)
    assert refused.value.message_dict == {"file": [message]}
