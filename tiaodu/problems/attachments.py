"""Files attached to problem comments: checked by `core.media.documents` under this site's
size limit (`TIAODU_PROBLEM_ATTACHMENT_MAX_MB`)."""

from typing import IO

from django.conf import settings

from tiaodu.core.media.documents import Document, inspect_document

DEFAULT_MAX_MEGABYTES = 20


def max_bytes() -> int:
    megabytes = getattr(settings, "TIAODU_PROBLEM_ATTACHMENT_MAX_MB", DEFAULT_MAX_MEGABYTES)
    return int(megabytes) * 1024 * 1024


def inspect_attachment(handle: IO[bytes], *, name: str) -> Document:
    """Accept a PDF, JPEG, PNG, Word or Excel file up to the size limit; else ValidationError."""
    return inspect_document(handle, name=name, max_bytes=max_bytes())
