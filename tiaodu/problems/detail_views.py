"""The problem page: every field, the timeline, the comments with their files, and the forms
of the steps the workflow table gives the reader (`workflow.PROBLEMS.actions_for`).

A step is a POST to `/problems/<id>/<action>/`; the service decides. A refusal (a
ValidationError or PermissionDenied) comes back on the page with the form as it was sent,
and nothing has changed.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.downloads import name_download
from tiaodu.core.page_sections import sections_for
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.core.workdays import working_days_between
from tiaodu.problems import selectors, services
from tiaodu.problems.choices import (
    LEVEL_ORDER,
    OPEN_STATUSES,
    ProblemAction,
    ProblemLevel,
    ProblemStatus,
)
from tiaodu.problems.forms import CommentForm, HandlerChoice
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.problems.permissions import handler_paths, reads_ledger, relations
from tiaodu.problems.steps import STEPS, available_actions, step_form
from tiaodu.problems.timeline import timeline

# The page's name for the sections higher apps add (core.page_sections).
PAGE = "problems.problem"

# Who moves next, for a reader with no step to take.
WAITING_FOR: dict[str, Promise] = {
    ProblemStatus.REPORTED: gettext_lazy("Waiting for a dispatcher to assign it to a department."),
    ProblemStatus.ASSIGNED: gettext_lazy("Waiting for the department to start handling it."),
    ProblemStatus.IN_PROGRESS: gettext_lazy("The department is handling it."),
    ProblemStatus.RESOLVED: gettext_lazy(
        "Resolved: waiting for the dispatcher or the owner unit to confirm and close it."
    ),
    ProblemStatus.CLOSED: gettext_lazy("Closed: the resolution was confirmed."),
}


def _next_level(problem: Problem) -> str:
    position = LEVEL_ORDER.index(problem.level)
    if position + 1 >= len(LEVEL_ORDER):
        return ""
    return str(ProblemLevel(LEVEL_ORDER[position + 1]).label)


def _form(action: str, problem: Problem, data: Any = None) -> Form | None:
    return step_form(action, problem, data, prefix=action)


def detail_context(
    request: SignedInRequest,
    problem: Problem,
    *,
    failed: tuple[str, Form | None] | None = None,
    comment_form: CommentForm | None = None,
) -> dict[str, Any]:
    actor = request.user
    today = clock.today()
    actions = available_actions(actor, problem)
    forms = {action: _form(action, problem) for action in actions}
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
    comments = selectors.comments_of(actor, problem)
    is_open = problem.status in OPEN_STATUSES
    overdue = is_open and problem.deadline is not None and problem.deadline < today
    return {
        "problem": problem,
        "project": problem.project,
        "actions": [
            {"name": action, "label": ProblemAction(action).label, "form": forms[action]}
            for action in actions
        ],
        "failed_action": failed[0] if failed is not None else None,
        "entries": timeline(problem, comments),
        "can_comment": bool(relations(actor, problem)) and problem.status != ProblemStatus.CLOSED,
        "comment_form": comment_form or CommentForm(),
        "overdue": overdue,
        "working_days_left": (
            working_days_between(today, problem.deadline)
            if is_open and problem.deadline is not None
            else None
        ),
        "top_level": problem.level == LEVEL_ORDER[-1],
        "waiting_for": WAITING_FOR.get(problem.status, ""),
        "next_level": _next_level(problem),
        "reads_ledger": reads_ledger(actor),
        "handles": bool(handler_paths(actor)),
        "today": today,
        # What higher apps show on the page (supervision: the leaders' instructions).
        "sections": sections_for(PAGE, actor, problem),
    }


@login_required
def problem_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_for(request.user, pk)
    return render(request, "problems/detail.html", detail_context(request, problem))


def _refused(
    request: SignedInRequest, problem: Problem, action: str, form: Form | None, error: Exception
) -> HttpResponse:
    """The page again, the refusal on the form that was sent (or as a message)."""
    problem.refresh_from_db()
    if form is not None and isinstance(error, ValidationError):
        errors_onto(form, error)
    elif form is not None:
        form.add_error(None, str(error) or _("You cannot do this."))
    else:
        messages.error(request, refusal(error))
    context = detail_context(request, problem, failed=(action, form))
    return render(request, "problems/detail.html", context)


@login_required
@require_POST
def problem_step(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    """Take one step of the workflow on a problem the reader sees."""
    if action not in STEPS:
        raise Http404
    problem = selectors.problem_for(request.user, pk)
    form = _form(action, problem, request.POST)
    if form is not None and not form.is_valid():
        return render(
            request,
            "problems/detail.html",
            detail_context(request, problem, failed=(action, form)),
        )
    data = form.cleaned_data if form is not None else {}
    try:
        problem = STEPS[action](request.user, problem, data)
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, problem, action, form, error)
    messages.success(
        request,
        _("%(action)s: done. The problem is now %(status)s.")
        % {"action": ProblemAction(action).label, "status": problem.get_status_display()},
    )
    return redirect("problems:detail", pk=problem.pk)


@login_required
@require_POST
def comment(request: SignedInRequest, pk: int) -> HttpResponse:
    """Add a comment, with a file if one is chosen; a refused file leaves nothing."""
    problem = selectors.problem_for(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    form.is_valid()
    upload = request.FILES.get("file")
    refused: list[HttpResponse] = []

    def create() -> str | None:
        try:
            services.comment_problem(
                actor=request.user,
                problem=problem,
                text=form.cleaned_data.get("text", ""),
                file=upload,
                file_name=(upload.name or "") if upload is not None else "",
            )
        except ValidationError as error:
            errors_onto(form, error)
            context = detail_context(request, problem, comment_form=form)
            refused.append(render(request, "problems/detail.html", context))
            return None
        except PermissionDenied as error:
            messages.error(request, refusal(error))
            refused.append(redirect("problems:detail", pk=problem.pk))
            return None
        messages.success(request, _("Your comment was added."))
        return f"{reverse('problems:detail', args=[problem.pk])}#timeline"

    # Sent twice (a double click, a retry on a slow line), the comment is added once.
    location = idempotency.form_once(request, "problems.comment", create)
    return redirect(location) if location is not None else refused[0]


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A comment's file, as a download under the uploader's name with the extension of its
    content (the stored file's), as its content type, never sniffed; 404 outside the scope."""
    visible = selectors.problems_visible_to(request.user)
    item = get_object_or_404(ProblemComment, pk=pk, problem__in=visible)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=item.content_type or "application/octet-stream")
    name_download(response, item.download_name, fallback=f"file-{item.pk}.{item.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def handler_options(request: SignedInRequest, pk: int) -> HttpResponse:
    """The handler choices of one department (the assign form swaps them in, htmx)."""
    problem = selectors.problem_for(request.user, pk)
    if ProblemAction.ASSIGN not in available_actions(request.user, problem):
        raise Http404
    departments = selectors.assignable_departments(problem)
    chosen = departments.filter(pk=request.GET.get(f"{ProblemAction.ASSIGN}-department") or 0)
    users = selectors.department_handlers(list(chosen)).select_related("org_unit")
    field = HandlerChoice(queryset=users, required=False)
    handlers = [(user.pk, field.label_from_instance(user)) for user in users]
    return render(request, "problems/_handler_options.html", {"handlers": handlers})
