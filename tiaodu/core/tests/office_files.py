"""Word and Excel files made for the tests: real packages, and crafted ones."""

import io
import zipfile

from docx import Document as WordDocument
from openpyxl import Workbook

CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def workbook_bytes(*rows: list[object]) -> bytes:
    """An Excel workbook written by openpyxl."""
    workbook = Workbook()
    for row in rows or ([["项目名称", "总投资"], ["青岛港扩建", 1200]]):
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def document_bytes(text: str = "协调会纪要") -> bytes:
    """A Word document written by python-docx."""
    document = WordDocument()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def package(parts: dict[str, bytes], *, stored: bool = False) -> bytes:
    """A zip of exactly these parts (names as given, however hostile), deflated."""
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A copy of the package `data` with `parts` added."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
