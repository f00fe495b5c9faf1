"""A report's stored photo or video as a response, for the report page and the reporter API
alike (both check first that the reader sees the report)."""

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from tiaodu.core.media.serving import serve_inline


def serve_file(
    field: Any, content_type: str, request: HttpRequest | None = None
) -> HttpResponseBase:
    """A report file's content (`core.media.serving.serve_inline`: inline, never sniffed, byte
    ranges for seeking in videos). The caller has checked that the reader sees the report."""
    return serve_inline(field, content_type, request)
