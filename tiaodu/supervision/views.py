"""Download a notice as Word or PDF (404 outside the actor's scope)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from tiaodu.supervision import documents, selectors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_for(request.user, pk)
    return _attachment(documents.render_docx(notice), DOCX, f"notice-{notice.pk}.docx")


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_for(request.user, pk)
    return _attachment(documents.render_pdf(notice), "application/pdf", f"notice-{notice.pk}.pdf")
