"""A file download with its name in any language (RFC 6266): the UTF-8 name in
`filename*`, an ASCII name in `filename` for clients that do not read it."""

from urllib.parse import quote

from django.http import HttpResponse


def attachment(content: bytes, content_type: str, filename: str, *, fallback: str) -> HttpResponse:
    """`content` as a download named `filename` (UTF-8), or `fallback` (ASCII) by old clients."""
    ascii_name = fallback.encode("ascii", "ignore").decode().replace('"', "") or "download"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response
