"""Downloads named for what they are: 督办〔2026〕4号.docx, 台账-2026-截至2026-11-30.xlsx
(docs/errors.md, "Download names").

A name in Chinese goes in RFC 6266's `filename*` (UTF-8, percent-encoded), which every
current browser reads; `filename` carries an ASCII name for the clients that read nothing
else, so that they still save `notice-13.docx` rather than `download`.
"""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.db import models
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from tiaodu.core import audit
from tiaodu.core.models import AuditAction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# What Windows, macOS or a shell refuse or misread in a file name, and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NOT_ASCII = re.compile(r"[^\x20-\x7e]+")


def file_name(name: str) -> str:
    """A name a file system accepts: unsafe characters become "-", no leading or trailing
    dots or spaces, at most 150 characters before the extension."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = UNSAFE.sub("-", stem).strip(" .-")[:150] or "download"
    return f"{stem}.{extension}" if extension else stem


def content_disposition(name: str, *, fallback: str) -> str:
    """The Content-Disposition of an attachment named `name`, with the ASCII `fallback`
    for the clients that do not read `filename*`."""
    name = file_name(name)
    if name.isascii():
        return f'attachment; filename="{name}"'
    plain = file_name(NOT_ASCII.sub("-", fallback))
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def name_download[Response: HttpResponseBase](
    response: Response, name: str, *, fallback: str
) -> Response:
    """Mark the response as a download named `name` (a FileResponse's too)."""
    response["Content-Disposition"] = content_disposition(name, fallback=fallback)
    return response


def download(content: bytes, *, content_type: str, name: str, fallback: str) -> HttpResponse:
    """Bytes written for the reader, as a download named for what they are."""
    return name_download(HttpResponse(content, content_type=content_type), name, fallback=fallback)


def office_download(
    *,
    actor: Any,
    instance: models.Model,
    title: str,
    kind: str,
    write: Callable[[], bytes],
    fallback: str,
) -> HttpResponse:
    """An object's Word (`kind` docx) or Excel (xlsx) file named `title`, written by
    `write` and its export recorded in the audit log; 404 for another kind."""
    if kind not in ("docx", "xlsx"):
        raise Http404
    data = write()
    with audit.in_site_language():  # audit text is in the site's language
        made = _("Word document") if kind == "docx" else _("Excel workbook")
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        instance=instance,
        object_label=title,
        message=made,
    )
    return download(
        data,
        content_type=DOCX if kind == "docx" else XLSX,
        name=f"{title}.{kind}",
        fallback=f"{fallback}.{kind}",
    )
