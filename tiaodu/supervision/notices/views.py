"""The notice pages: the list, issuing, one notice with its responses, and the downloads.

Thin: reads go through the selectors (a notice outside the actor's scope is a 404),
writes through the services; a refusal comes back as a message or onto the form, and
changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import audit, clock, idempotency
from tiaodu.core.bounds import query_id
from tiaodu.core.downloads import DOCX, download
from tiaodu.core.listing import page_context
from tiaodu.core.models import AuditAction
from tiaodu.core.page_sections import sections_for
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.core.saved_filters import applies_default
from tiaodu.projects.selectors import project_for, task_force_heads
from tiaodu.supervision import listings
from tiaodu.supervision.notices import documents, permissions, selectors, services, workflow
from tiaodu.supervision.notices.choices import NoticeAction, NoticeKind
from tiaodu.supervision.notices.forms import NoticeForm, ResponseForm, issuable_projects
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.notices.origins import origins_of
from tiaodu.supervision.notices.permissions import answers_notices, may_issue_notice
from tiaodu.supervision.notices.preview import preview_response
from tiaodu.supervision.notices.search import NOTICES
from tiaodu.supervision.paging import PAGE_SIZE

# The page's name for the sections other parts add (core.page_sections).
PAGE = "supervision.notice"


# ---------------------------------------------------------------------------- the list


@login_required
@applies_default(NOTICES)
def notice_list(request: SignedInRequest) -> HttpResponse:
    """督办通知: the notices the user may see, filtered, overdue computed, newest first."""
    found = listings.notices_source(request)
    filterset = found.data["filter"]
    today = clock.today()
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    answers = answers_notices(request.user)
    return render(
        request,
        "supervision/notice_list.html",
        {
            **page_context(request, listings.NOTICES, found),
            "filter": filterset,
            "page": page,
            "shown_rows": listings.NOTICES.table().present(page.object_list),
            "query": query.urlencode(),
            "can_issue": may_issue_notice(request.user),
            "answers_notices": answers,
            "awaiting_count": selectors.awaiting_response(request.user).count() if answers else 0,
            "today": today,
        },
    )


# ---------------------------------------------------------------------------- issuing


@login_required
def notice_create(request: SignedInRequest) -> HttpResponse:
    """签发督办: a dispatcher writes a notice about projects of its regions; `?project=`
    ticks a project (and proposes its owner unit and leader) when coming from its page."""
    if not may_issue_notice(request.user):
        raise Http404
    initial: dict[str, Any] = {}
    source = None
    if "project" in request.GET:
        source = project_for(request.user, query_id(request.GET["project"]))
        if issuable_projects(request.user).filter(pk=source.pk).exists():
            unit = source.owner_unit or source.responsible_unit
            leader = source.sponsoring_leader or source.municipal_leader
            initial = {"projects": [source.pk], "recipient_unit": unit.pk if unit else None}
            initial["sponsoring_leader"] = leader.pk if leader else None
            head = task_force_heads([source]).first()
            initial["task_force_head"] = head.pk if head else None
    form = NoticeForm(request.POST or None, actor=request.user, initial=initial)
    context = {"form": form, "source": source, "deadlines": form.deadlines}
    if request.method == "POST" and form.is_valid():
        if "edit" in request.POST:
            return render(request, "supervision/notice_form.html", context)
        if "confirm" not in request.POST:
            # 签发 first shows the notice as it will be issued; only its 确认签发 issues.
            return preview_response(request, form, context)

        def issue() -> str | None:
            try:
                notice = services.issue_notice(actor=request.user, **form.notice_fields())
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(
                request,
                _("%(number)s was issued to %(unit)s. The unit has been notified.")
                % {"number": notice.number_label, "unit": notice.recipient_unit.name},
            )
            return reverse("supervision:notice", args=[notice.pk])

        # 确认签发 clicked twice issues one notice (one number).
        location = idempotency.form_once(request, "supervision.notice", issue)
        if location is not None:
            return redirect(location)
    return render(request, "supervision/notice_form.html", context)


# ---------------------------------------------------------------------------- one notice


def _detail(
    request: SignedInRequest, notice: Notice, response_form: ResponseForm | None = None
) -> HttpResponse:
    today = clock.today()
    actions = workflow.NOTICES.actions_for(
        permissions.relations(request.user, notice), notice.status
    )
    can_respond = NoticeAction.RESPOND in actions
    if can_respond and response_form is None:
        response_form = ResponseForm(notice=notice)
    context = {
        "notice": notice,
        "overdue": notice.is_overdue(today),
        "projects": notice.projects.select_related("region", "owner_unit").order_by("pk"),
        "responses": notice.responses.select_related("responder"),
        "response_form": response_form if can_respond else None,
        "can_close": NoticeAction.CLOSE in actions,
        "asks_plan": notice.kind != NoticeKind.REMINDER,
        "today": today,
        "origins": origins_of(notice),
        # What other parts show on the page (the leaders' instructions on the notice).
        "sections": sections_for(PAGE, request.user, notice),
    }
    return render(request, "supervision/notice_detail.html", context)


@login_required
def notice_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One notice: what it says, its projects, the responses and the next step."""
    return _detail(request, selectors.notice_for(request.user, pk))


@login_required
@require_POST
def notice_respond(request: SignedInRequest, pk: int) -> HttpResponse:
    """The recipient unit answers (with its rectification plan)."""
    notice = selectors.notice_for(request.user, pk)
    form = ResponseForm(request.POST, notice=notice)
    mine = permissions.relations(request.user, notice)
    if NoticeAction.RESPOND not in workflow.NOTICES.actions_for(mine, notice.status):
        messages.error(request, _("This notice is not waiting for an answer from you."))
        return redirect("supervision:notice", pk=notice.pk)
    if form.is_valid():
        try:
            services.respond(actor=request.user, notice=notice, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(
                request, _("Your response was sent. The issuing dispatcher has been notified.")
            )
            return redirect("supervision:notice", pk=notice.pk)
    return _detail(request, notice, form)


@login_required
@require_POST
def notice_close(request: SignedInRequest, pk: int) -> HttpResponse:
    """The issuing side closes the notice (accepting the response, if there is one)."""
    notice = selectors.notice_for(request.user, pk)
    try:
        services.close_notice(actor=request.user, notice=notice)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("%(number)s is closed.") % {"number": notice.number_label})
    return redirect("supervision:notice", pk=notice.pk)


# ---------------------------------------------------------------------------- downloads


@login_required
def notice_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    """The notice as Word, named by its document number (督办〔2026〕4号.docx)."""
    notice = selectors.notice_for(request.user, pk)
    return _document(request, notice, documents.render_docx(notice), DOCX, "docx")


@login_required
def notice_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    """The notice as PDF, named by its document number."""
    notice = selectors.notice_for(request.user, pk)
    return _document(request, notice, documents.render_pdf(notice), "application/pdf", "pdf")


def _document(
    request: SignedInRequest, notice: Notice, content: bytes, content_type: str, extension: str
) -> HttpResponse:
    """A notice's document as a download, audited as an export."""
    name = f"{notice.number_label}.{extension}"
    audit.record(actor=request.user, action=AuditAction.EXPORT, instance=notice, message=name)
    return download(
        content, content_type=content_type, name=name, fallback=f"notice-{notice.pk}.{extension}"
    )
