"""The meeting pages: the list, the meeting form, and one meeting with its agenda and a
decision form per problem. Thin: scoped reads (404 outside scope), writes through
`meetings.services`, refusals on the form or as a message, nothing half-written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import audit, idempotency
from tiaodu.core.bounds import query_id
from tiaodu.core.downloads import download
from tiaodu.core.listing import page_context
from tiaodu.core.models import AuditAction
from tiaodu.core.page_sections import sections_for
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import problem_for
from tiaodu.supervision import listings
from tiaodu.supervision.meetings import minutes, selectors, services
from tiaodu.supervision.meetings.forms import DecisionForm, MeetingForm, initial_for
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.supervision.meetings.permissions import is_convener, may_convene
from tiaodu.supervision.paging import PAGE_SIZE

CANDIDATES_SHOWN = 20
# The page's name for the sections higher apps add (core.page_sections).
PAGE = "supervision.meeting"


@login_required
def meeting_list(request: SignedInRequest) -> HttpResponse:
    """会商与联席会议: the meetings the user may see, newest first."""
    found = listings.meetings_source(request)
    filterset = found.data["filter"]
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/meeting_list.html",
        {
            **page_context(request, listings.MEETINGS, found),
            "filter": filterset,
            "page": page,
            "shown_rows": listings.MEETINGS.table().present(page.object_list),
            "query": query.urlencode(),
            "can_convene": may_convene(request.user),
        },
    )


@login_required
def meeting_create(request: SignedInRequest) -> HttpResponse:
    """Record a meeting; its agenda is built on the meeting's page."""
    if not may_convene(request.user):
        raise Http404
    form = MeetingForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():

        def record() -> str | None:
            try:
                meeting = services.create_meeting(actor=request.user, **form.meeting_fields())
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(
                request,
                _("The meeting was recorded. Now put the problems to discuss on its agenda."),
            )
            return reverse("supervision:meeting", args=[meeting.pk])

        location = idempotency.form_once(request, "supervision.meeting", record)
        if location is not None:
            return redirect(location)
    return render(request, "supervision/meeting_form.html", {"form": form})


@login_required
def meeting_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The convener changes the meeting (the minutes, the attendees) after it is held."""
    meeting = selectors.meeting_for(request.user, pk)
    if not is_convener(request.user, meeting):
        raise Http404
    form = MeetingForm(request.POST or None, actor=request.user, initial=initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.meeting_fields())
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("supervision:meeting", pk=meeting.pk)
    return render(request, "supervision/meeting_form.html", {"form": form, "meeting": meeting})


def _detail(
    request: SignedInRequest, meeting: Meeting, bound: DecisionForm | None = None
) -> HttpResponse:
    convener = is_convener(request.user, meeting)
    decisions = {
        decision.problem_id: decision
        for decision in meeting.decisions.select_related("department", "handler", "recorded_by")
    }
    items = []
    for problem in selectors.agenda_of(request.user, meeting):
        form = None
        if convener and problem.pk not in decisions:
            if bound is not None and bound.problem.pk == problem.pk:
                form = bound
            else:
                form = DecisionForm(actor=request.user, problem=problem)
        items.append({"problem": problem, "decision": decisions.get(problem.pk), "form": form})
    query = request.GET.get("q", "")
    candidates = (
        list(selectors.agenda_candidates(request.user, meeting, query)[:CANDIDATES_SHOWN])
        if convener
        else []
    )
    context = {
        "meeting": meeting,
        "attendees": meeting.attendees.all(),
        "items": items,
        "is_convener": convener,
        "candidates": candidates,
        "query": query,
        "undecided": sum(1 for item in items if item["decision"] is None),
        "withheld": selectors.agenda_withheld(request.user, meeting),
        # What higher apps add to the page (the roll call and the video wall).
        "sections": sections_for(PAGE, request.user, meeting),
    }
    return render(request, "supervision/meeting_detail.html", context)


@login_required
def meeting_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One meeting: its attendees and minutes, the agenda with each decision or its form."""
    return _detail(request, selectors.meeting_for(request.user, pk))


def _back(meeting: Meeting, anchor: str = "agenda") -> HttpResponse:
    return redirect(f"{reverse('supervision:meeting', args=[meeting.pk])}#{anchor}")


def _problem_id(request: SignedInRequest) -> int:
    return query_id(request.POST.get("problem"))


@login_required
@require_POST
def agenda_add(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    problem = problem_for(request.user, _problem_id(request))
    try:
        services.add_agenda_problem(actor=request.user, meeting=meeting, problem=problem)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
        return _back(meeting, "add-problems")
    messages.success(request, _("“%(title)s” is on the agenda.") % {"title": problem.title})
    return _back(meeting, f"problem-{problem.pk}")


def _agenda_problem(request: SignedInRequest, meeting: Meeting, problem_id: int) -> Problem:
    """A problem of the meeting's agenda that the user may open; 404 otherwise."""
    return get_object_or_404(selectors.agenda_of(request.user, meeting), pk=problem_id)


@login_required
@require_POST
def agenda_remove(request: SignedInRequest, pk: int, problem_id: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    problem = _agenda_problem(request, meeting, problem_id)
    try:
        services.remove_agenda_problem(actor=request.user, meeting=meeting, problem=problem)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request, _("“%(title)s” was taken off the agenda.") % {"title": problem.title}
        )
    return _back(meeting)


@login_required
@require_POST
def decide(request: SignedInRequest, pk: int, problem_id: int) -> HttpResponse:
    """Record the decision on one agenda problem; a refusal comes back on its form."""
    meeting = selectors.meeting_for(request.user, pk)
    problem = _agenda_problem(request, meeting, problem_id)
    if not is_convener(request.user, meeting):
        messages.error(request, _("Only the person who convened the meeting changes it."))
        return _back(meeting)
    form = DecisionForm(request.POST, actor=request.user, problem=problem)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_decision(
                actor=request.user,
                meeting=meeting,
                problem=problem,
                outcome=data["outcome"],
                text=data["text"],
                department=data["department"],
                handler=data["handler"],
                deadline=data["deadline"],
                resolution=data["resolution"],
            )
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                _("The decision on “%(title)s” is recorded and carried out on the problem.")
                % {"title": problem.title},
            )
            return _back(meeting, f"problem-{problem.pk}")
    return _detail(request, meeting, form)


# ---------------------------------------------------------------------------- the minutes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _minutes_download(request: SignedInRequest, pk: int, extension: str) -> HttpResponse:
    """The minutes as a document (whoever may see the meeting; the agenda problems outside
    the user's scope only counted), audited as an export."""
    meeting = selectors.meeting_for(request.user, pk)
    if extension == "pdf":
        content, content_type = minutes.render_pdf(meeting, request.user), "application/pdf"
    else:
        content, content_type = minutes.render_docx(meeting, request.user), DOCX
    name = minutes.filename(meeting, extension)
    audit.record(
        actor=request.user, action=AuditAction.EXPORT, instance=meeting, message=name[:255]
    )
    return download(
        content, content_type=content_type, name=name, fallback=f"minutes-{meeting.pk}.{extension}"
    )


@login_required
def minutes_docx(request: SignedInRequest, pk: int) -> HttpResponse:
    return _minutes_download(request, pk, "docx")


@login_required
def minutes_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    return _minutes_download(request, pk, "pdf")
