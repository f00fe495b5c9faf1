"""Attached documents: a PDF, a JPEG or PNG image, or a Word or Excel file, accepted by its
content (`signatures`; a Word or Excel file's zip package checked by `office`) and stored as
uploaded. What it is decides its extension and content type: the uploader's name is kept,
reduced to a safe file name, for display only, and given the extension of its content
(`evil.html` that starts with `%PDF-` is `evil.pdf`, served as a PDF)."""

import hashlib
import io
import os
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tiaodu.core.media import limits
from tiaodu.core.media.office import PackageProblem, PackageRefused, check_package
from tiaodu.core.media.signatures import DOCX, JPEG, PDF, PNG, XLSX, ZIP, identify

DOCUMENT_TYPES = frozenset({PDF, JPEG, PNG, DOCX, XLSX})
# What a zip package may be: its parts say which (`office`), not its name.
PACKAGES = frozenset({ZIP, DOCX, XLSX})


@dataclass(frozen=True, kw_only=True)
class Document:
    """An attached file that passed the checks, stored as uploaded; `name` and
    `original_name` are the uploader's name, made safe, with the extension of its
    content."""

    name: str
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str
    content: bytes = field(repr=False)

    def content_file(self) -> File[bytes]:
        """The file to store, as uploaded."""
        return ContentFile(self.content, name=self.name)

    def thumbnail_file(self) -> File[bytes] | None:
        """Documents have no thumbnail."""
        return None


def safe_original_name(name: str) -> str:
    """The uploader's name without folders or characters a file system would misread."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    try:
        cleaned = get_valid_filename(base)
    except Exception:
        cleaned = ""
    stem, extension = os.path.splitext(cleaned)
    return (stem[: 200 - len(extension)] + extension.lower()) or "file"


def named_for(name: str, extension: str) -> str:
    """The uploader's name with the extension of what the file is."""
    return f"{os.path.splitext(name)[0] or 'file'}.{extension}"


def _refused_file() -> ValidationError:
    return ValidationError(
        {"file": _("Attach a PDF, a JPEG or PNG image, or a Word or Excel (.docx, .xlsx) file.")}
    )


def inspect_document(handle: IO[bytes], *, name: str, max_bytes: int) -> Document:
    """Accept a PDF, JPEG, PNG, Word or Excel file of at most `max_bytes`; else ValidationError
    on `file`, saying what to attach instead. A zip package is a Word or Excel file by its
    parts, within the package limits (`office`)."""
    data = handle.read(max_bytes + 1)
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > max_bytes:
        raise ValidationError(
            {
                "file": _("The file is larger than %(megabytes)s MB; attach a smaller one.")
                % {"megabytes": max_bytes // limits.MB}
            }
        )
    original = safe_original_name(name)
    signature = identify(data[: limits.HEAD], name=original)
    if signature in PACKAGES:
        try:
            signature = check_package(io.BytesIO(data))
        except PackageRefused as refused:
            if refused.problem == PackageProblem.NOT_OFFICE:
                raise _refused_file() from refused
            raise ValidationError({"file": refused.message}) from refused
    if signature is None or signature not in DOCUMENT_TYPES:
        raise _refused_file()
    shown = named_for(original, signature.extension)
    return Document(
        name=shown,
        original_name=shown,
        extension=signature.extension,
        content_type=signature.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )
