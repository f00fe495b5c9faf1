"""签发 first shows the notice as it will be issued (the notice form's and a scoring
proposal's): rendered in the official layout with 确认签发 and 返回修改, writing nothing."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render

from tiaodu.core import clock
from tiaodu.core.workdays import add_working_days
from tiaodu.supervision.notices import documents
from tiaodu.supervision.notices.choices import response_days
from tiaodu.supervision.notices.forms import NoticeForm
from tiaodu.supervision.notices.models import Notice


def preview_response(
    request: HttpRequest, form: NoticeForm, context: dict[str, Any]
) -> HttpResponse:
    """The notice rendered in the official layout, with 确认签发 and 返回修改; writes nothing."""
    fields = form.notice_fields()
    today = clock.today()
    deadline = fields["response_deadline"] or add_working_days(today, response_days(fields["kind"]))
    draft = Notice(
        kind=fields["kind"],
        year=today.year,
        number=0,
        issued_at=clock.now(),
        recipient_unit=fields["recipient_unit"],
        sponsoring_leader=fields["sponsoring_leader"],
        task_force_head=fields["task_force_head"],
        subject=fields["subject"].strip(),
        body=fields["body"].strip(),
        requirements=fields["requirements"].strip(),
        response_deadline=deadline,
    )
    projects = sorted(fields["projects"], key=lambda project: project.pk)
    # str() makes the nonce (a lazy nonce is false until it is made: no `or` here).
    nonce = get_nonce(request)
    context["document"] = documents.preview_html(
        draft, projects, nonce="" if nonce is None else str(nonce)
    )
    context["draft"] = draft
    return render(request, "supervision/notice_preview.html", context)
