"""The financing-needs pages: the editions, a new edition, one edition with its needs,
answers and changes since the previous one, the answer form of an institution, and the
edition as Word and Excel. Thin: scoped reads (404 outside scope), writes through
`services`, refusals shown in the user's language with nothing written."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock, idempotency
from tiaodu.core.downloads import office_download
from tiaodu.core.listing import page_context
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.financing import files, listings, selectors, services
from tiaodu.financing.choices import FinancingListAction, FinancingListStatus
from tiaodu.financing.forms import AnswerForm, ListForm, NeedForm, ProposalForm
from tiaodu.financing.models import FinancingList
from tiaodu.financing.permissions import (
    compiles,
    is_institution,
    list_relations,
    may_compile,
    reads_financing,
)
from tiaodu.financing.workflow import LISTS


def _list(request: SignedInRequest, pk: int) -> FinancingList:
    if not reads_financing(request.user):
        raise Http404
    return selectors.list_for(request.user, pk)


@login_required
def list_index(request: SignedInRequest) -> HttpResponse:
    """融资需求清单: the editions the user may open, the latest first."""
    found = listings.lists_source(request)
    context = {
        **page_context(request, listings.LISTS, found),
        "rows": found.rows,
        "shown_rows": listings.LISTS.table().present(found.rows),
        "can_create": may_compile(request.user),
        "institution": is_institution(request.user),
    }
    return render(request, "financing/list_index.html", context)


@login_required
def list_create(request: SignedInRequest) -> HttpResponse:
    """A new edition; its needs are put on it on its page."""
    if not may_compile(request.user):
        raise Http404
    today = clock.today()
    form = ListForm(request.POST or None, actor=request.user, initial={"year": today.year})
    if request.method != "POST":
        form.fields["number"].initial = (today.month + 1) // 2
    if request.method == "POST":

        def create() -> str | None:
            if not form.is_valid():
                return None
            try:
                created = services.create_list(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(request, _("The list was created. Now put the projects' needs on it."))
            return created.get_absolute_url()

        location = idempotency.form_once(request, "financing.list", create)
        if location is not None:
            return redirect(location)
    return render(request, "financing/list_form.html", {"form": form})


@login_required
def list_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One edition: its needs with their answers as the user may read them, the changes
    since the previous edition, the workflow's buttons and (on a draft) the need form."""
    financing_list = _list(request, pk)
    return _detail(request, financing_list, need_form=None)


def _detail(
    request: SignedInRequest, financing_list: FinancingList, need_form: NeedForm | None
) -> HttpResponse:
    user = request.user
    needs = list(selectors.needs_of(user, financing_list))
    compiler = compiles(user, financing_list)
    draft = financing_list.status == FinancingListStatus.DRAFT
    if compiler and draft and need_form is None:
        need_form = NeedForm(actor=user, financing_list=financing_list)
    proposal_form = None
    if draft and not compiler:
        proposal_form = ProposalForm(actor=user, financing_list=financing_list)
    answers = selectors.answers_on(user, financing_list)
    for need in needs:
        need.visible_answers = answers.get(need.pk, [])  # type: ignore[attr-defined]
    institution = is_institution(user)
    context: dict[str, Any] = {
        "financing_list": financing_list,
        "needs": needs,
        "total": sum((need.amount for need in needs), selectors.ZERO),
        "institution": institution,
        "open_to_answers": financing_list.status == FinancingListStatus.PUBLISHED,
        "compiler": compiler,
        "draft": draft,
        "need_form": need_form if compiler and draft else None,
        "actions": [
            (action, FinancingListAction(action).label)
            for action in LISTS.actions_for(
                list_relations(user, financing_list), financing_list.status
            )
        ],
        "changes": selectors.comparison(user, financing_list),
        "proposals": list(selectors.proposals_on(user, financing_list)),
        "proposal_form": proposal_form,
    }
    return render(request, "financing/list_detail.html", context)


@login_required
@require_POST
def need_add(request: SignedInRequest, pk: int) -> HttpResponse:
    financing_list = _list(request, pk)
    if not compiles(request.user, financing_list):
        raise Http404
    form = NeedForm(request.POST, actor=request.user, financing_list=financing_list)
    if form.is_valid():
        try:
            services.add_need(
                actor=request.user, financing_list=financing_list, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The need was put on the list."))
            return redirect(financing_list)
    return _detail(request, financing_list, need_form=form)


@login_required
@require_POST
def need_remove(request: SignedInRequest, pk: int, need_id: int) -> HttpResponse:
    financing_list = _list(request, pk)
    if not compiles(request.user, financing_list):
        raise Http404
    need = selectors.need_for(request.user, financing_list, need_id)
    try:
        services.remove_need(actor=request.user, need=need)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(
            request, _("“%(project)s” was taken off the list.") % {"project": need.project.name}
        )
    return redirect(financing_list)


@login_required
@require_POST
def list_act(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    """Publish or close the edition (the workflow's buttons)."""
    financing_list = _list(request, pk)
    if action not in FinancingListAction.values:
        raise Http404
    try:
        services.act_on_list(actor=request.user, financing_list=financing_list, action=action)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        if action == FinancingListAction.PUBLISH:
            messages.success(request, _("The list was published to the financial institutions."))
        else:
            messages.success(request, _("The list was closed."))
    return redirect(financing_list)


@login_required
def need_answer(request: SignedInRequest, pk: int, need_id: int) -> HttpResponse:
    """An institution's answer to one need: its intent, amount, terms and contact."""
    financing_list = _list(request, pk)
    if not is_institution(request.user):
        raise Http404
    need = selectors.need_for(request.user, financing_list, need_id)
    last = selectors.answers_visible_to(request.user).order_by("-created_at").first()
    initial = {"institution": last.institution} if last is not None else {}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def create() -> str | None:
            if not form.is_valid():
                return None
            try:
                services.answer_need(actor=request.user, need=need, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(
                request, _("Your answer was sent to the project's owner unit and the dispatchers.")
            )
            return financing_list.get_absolute_url()

        location = idempotency.form_once(request, "financing.answer", create)
        if location is not None:
            return redirect(location)
    context = {"financing_list": financing_list, "need": need, "form": form}
    return render(request, "financing/answer_form.html", context)


@login_required
def list_export(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    """The edition as the user reads it, as Word (`docx`) or Excel (`xlsx`)."""
    financing_list = _list(request, pk)
    needs = list(selectors.needs_of(request.user, financing_list))
    changes = selectors.comparison(request.user, financing_list)
    sheet = files.sheet_of(financing_list, needs, changes)
    return office_download(
        actor=request.user,
        instance=financing_list,
        title=sheet.title,
        kind=kind,
        write=lambda: (files.write_docx if kind == "docx" else files.write_xlsx)(sheet, changes),
        fallback=f"financing-{financing_list.year}-{financing_list.number}",
    )
