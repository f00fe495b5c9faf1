"""The instruction pages: the list (a leader's own, a dispatcher's regions'), the unit's
inbox, writing one on an object, one instruction with its history and its steps.

Thin: reads go through the selectors (an instruction outside the actor's reach is a 404),
writes through the services; a refusal comes back onto the form or as a message, and
changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.bounds import id_or_none
from tiaodu.core.listing import Found, Listing, page_context
from tiaodu.core.refusals import errors_onto
from tiaodu.supervision import listings
from tiaodu.supervision.instructions import permissions, selectors, services, workflow
from tiaodu.supervision.instructions.choices import InstructionAction
from tiaodu.supervision.instructions.forms import (
    AnswerForm,
    CloseForm,
    InstructionForm,
    SendBackForm,
)
from tiaodu.supervision.instructions.models import Instruction
from tiaodu.supervision.instructions.subjects import subject_kind
from tiaodu.supervision.paging import PAGE_SIZE


def _listing(
    request: SignedInRequest, listing: Listing, found: Found, **extra: Any
) -> HttpResponse:
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    state = found.data["state"]
    context = {
        **page_context(request, listing, found),
        **found.data,
        "page": page,
        "shown_rows": listing.table().present(page.object_list),
        "query": f"state={state}" if state else "",
        **extra,
    }
    return render(request, "supervision/instruction_list.html", context)


@login_required
def instruction_list(request: SignedInRequest) -> HttpResponse:
    """批示: a leader's own instructions and a dispatcher's regions', overdue first."""
    actor = request.user
    if not (permissions.writes_instructions(actor) or permissions.follows_instructions(actor)):
        if permissions.answers_instructions(actor):
            return redirect("supervision:instruction_inbox")
        raise Http404
    found = listings.instructions_source(request)
    answers = permissions.answers_instructions(actor)
    return _listing(request, listings.INSTRUCTIONS, found, inbox=False, answers=answers)


@login_required
def instruction_inbox(request: SignedInRequest) -> HttpResponse:
    """The instructions routed to the user's unit, those to answer first."""
    found = listings.instruction_inbox_source(request)
    return _listing(request, listings.INSTRUCTION_INBOX, found, inbox=True)


@login_required
def instruction_create(request: SignedInRequest) -> HttpResponse:
    """A leader writes an instruction on an object he reaches (`?on=project&id=5`)."""
    kind = subject_kind(request.GET.get("on", ""))
    pk = id_or_none(request.GET.get("id"))
    obj = kind.get(pk) if kind is not None and pk is not None else None
    if kind is None or obj is None or not permissions.may_write_on(request.user, obj):
        raise Http404
    default_unit = kind.default_unit(obj)
    initial = {"unit": default_unit.pk if default_unit else None}
    form = InstructionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write() -> str | None:
            try:
                instruction = services.write_instruction(
                    actor=request.user, on=obj, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(
                request,
                _("Your instruction was routed to %(unit)s. The unit has been notified.")
                % {"unit": instruction.unit.name},
            )
            return reverse("supervision:instruction", args=[instruction.pk])

        location = idempotency.form_once(request, "supervision.instruction", write)
        if location is not None:
            return redirect(location)
    context = {
        "form": form,
        "kind": kind,
        "object_title": kind.title(obj),
        "object_url": kind.url(obj),
    }
    return render(request, "supervision/instruction_form.html", context)


def _detail(
    request: SignedInRequest, instruction: Instruction, failed: dict[str, Form] | None = None
) -> HttpResponse:
    actions = workflow.INSTRUCTIONS.actions_for(
        permissions.relations(request.user, instruction), instruction.status
    )
    forms: dict[str, Form] = {
        InstructionAction.ANSWER: AnswerForm(),
        InstructionAction.CLOSE: CloseForm(),
        InstructionAction.SEND_BACK: SendBackForm(),
    }
    forms.update(failed or {})
    kind = subject_kind(instruction.subject_kind)
    obj = kind.get(instruction.subject_id) if kind is not None else None
    today = clock.today()
    context = {
        "instruction": instruction,
        "overdue": instruction.is_overdue(today),
        "entries": instruction.entries.select_related("author"),
        "kind_label": kind.label if kind is not None else instruction.subject_kind,
        "object_url": kind.url(obj) if kind is not None and obj is not None else "",
        "answer_form": forms[InstructionAction.ANSWER] if "answer" in actions else None,
        "close_form": forms[InstructionAction.CLOSE] if "close" in actions else None,
        "send_back_form": forms[InstructionAction.SEND_BACK] if "send_back" in actions else None,
        "follows": permissions.follows(request.user, instruction),
        "today": today,
    }
    return render(request, "supervision/instruction_detail.html", context)


@login_required
def instruction_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One instruction: what the leader wrote, where, the answers and the next step."""
    return _detail(request, selectors.instruction_for(request.user, pk))


def _step(
    request: SignedInRequest, pk: int, action: str, form_class: type[Form], done: str
) -> HttpResponse:
    instruction = selectors.instruction_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        calls: dict[str, Any] = {
            InstructionAction.ANSWER: services.answer_instruction,
            InstructionAction.CLOSE: services.close_instruction,
            InstructionAction.SEND_BACK: services.send_back_instruction,
        }
        call = calls[action]
        try:
            call(actor=request.user, instruction=instruction, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(request, done)
            return redirect("supervision:instruction", pk=instruction.pk)
    return _detail(request, instruction, {action: form})


@login_required
@require_POST
def instruction_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    """The routed unit answers."""
    done = _("Your answer was sent. The leader has been notified.")
    return _step(request, pk, InstructionAction.ANSWER, AnswerForm, done)


@login_required
@require_POST
def instruction_close(request: SignedInRequest, pk: int) -> HttpResponse:
    """The leader accepts the answer and closes the instruction."""
    done = _("The instruction is closed.")
    return _step(request, pk, InstructionAction.CLOSE, CloseForm, done)


@login_required
@require_POST
def instruction_send_back(request: SignedInRequest, pk: int) -> HttpResponse:
    """The leader sends the answer back with a note."""
    done = _("The answer was sent back. The unit has been notified.")
    return _step(request, pk, InstructionAction.SEND_BACK, SendBackForm, done)
