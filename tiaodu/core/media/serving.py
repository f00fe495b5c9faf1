"""Serving a stored file inline, with byte ranges (RFC 9110 §14), for photos and videos.

Browsers ask for ranges to seek in a video, and Safari plays a video only from a server
that answers them. One range per request is served (`bytes=a-b`, `bytes=a-`, `bytes=-n`);
a request for several ranges gets the whole file, as the RFC allows; a range outside the
file gets 416.
"""

import re
from collections.abc import Iterator
from typing import IO, Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single satisfiable range; None for no usable range (serve the
    whole file); False for a range outside the file (416)."""
    match = RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first_text, last_text = match.groups()
    if not first_text:  # the last n bytes
        length = int(last_text)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size or first > last:
        return False
    return first, last


def _chunks(handle: IO[bytes], first: int, last: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        left = last - first + 1
        while left > 0:
            block = handle.read(min(CHUNK, left))
            if not block:
                break
            left -= len(block)
            yield block
    finally:
        handle.close()


def serve_inline(
    field: Any, content_type: str, request: HttpRequest | None = None
) -> HttpResponseBase:
    """A stored file, inline, never sniffed, cached by the reader only; 404 when missing.
    The caller has checked that the reader may see it."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
        size = field.size
    except FileNotFoundError:
        raise Http404 from None
    wanted = byte_range(request.headers.get("Range", ""), size) if request is not None else None
    response: HttpResponseBase
    if wanted is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if isinstance(wanted, tuple):
        first, last = wanted
        response = StreamingHttpResponse(
            _chunks(handle, first, last), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    else:
        response = FileResponse(handle, content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
