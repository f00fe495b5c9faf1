"""Files attached to problem comments: accepted by their content, stored under safe names."""

import os
import uuid
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# Leading bytes → (extension, content type). Office files are ZIP containers; the name's
# extension then says which one it is.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
)
OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFAULT_MAX_MEGABYTES = 20


@dataclass(frozen=True)
class Attachment:
    content: ContentFile[bytes]
    original_name: str
    content_type: str
    size: int


def max_bytes() -> int:
    megabytes = getattr(settings, "TIAODU_PROBLEM_ATTACHMENT_MAX_MB", DEFAULT_MAX_MEGABYTES)
    return int(megabytes) * 1024 * 1024


def safe_original_name(name: str) -> str:
    """The uploader's name without folders or characters a file system would misread."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    try:
        cleaned = get_valid_filename(base)
    except Exception:
        cleaned = ""
    stem, extension = os.path.splitext(cleaned)
    return (stem[: 200 - len(extension)] + extension.lower()) or "file"


def inspect_attachment(handle: IO[bytes], *, name: str) -> Attachment:
    """Accept a PDF, JPEG, PNG, Word or Excel file up to the size limit; else ValidationError."""
    limit = max_bytes()
    data = handle.read(limit + 1)
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(megabytes)s MB; attach a smaller one.")
                % {"megabytes": limit // (1024 * 1024)}
            }
        )
    original = safe_original_name(name)
    extension, content_type = _kind_of(data, original)
    stored = f"{uuid.uuid4().hex}{extension}"
    return Attachment(ContentFile(data, name=stored), original, content_type, len(data))


def _kind_of(data: bytes, original: str) -> tuple[str, str]:
    for signature, extension, content_type in SIGNATURES:
        if data.startswith(signature):
            return extension, content_type
    named = os.path.splitext(original)[1].lower()
    if data.startswith(b"PK\x03\x04") and named in OFFICE:
        return named, OFFICE[named]
    raise ValidationError(
        {"file": _("Attach a PDF, a JPEG or PNG image, or a Word or Excel (.docx, .xlsx) file.")}
    )
