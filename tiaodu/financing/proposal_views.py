"""The owner units' proposals on a draft edition's page: a reporter proposes a need of its
own project, the list's dispatcher puts it on the list or leaves it out. Thin: scoped
reads (404 outside scope), writes through `proposals`, refusals shown with nothing written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import idempotency
from tiaodu.core.refusals import refusal
from tiaodu.financing import proposals, selectors
from tiaodu.financing.forms import ProposalForm
from tiaodu.financing.permissions import compiles, reads_financing


@login_required
@require_POST
def proposal_add(request: SignedInRequest, pk: int) -> HttpResponse:
    """A reporter's proposal; a refusal comes back as messages on the edition's page."""
    if not reads_financing(request.user):
        raise Http404
    financing_list = selectors.list_for(request.user, pk)
    form = ProposalForm(request.POST, actor=request.user, financing_list=financing_list)

    def create() -> str | None:
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return None
        try:
            proposals.propose_need(
                actor=request.user, financing_list=financing_list, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal(error))
            return None
        messages.success(request, _("Your need was proposed to the dispatcher."))
        return financing_list.get_absolute_url()

    idempotency.form_once(request, "financing.proposal", create)
    return redirect(financing_list)


@login_required
@require_POST
def proposal_decide(
    request: SignedInRequest, pk: int, proposal_id: int, decision: str
) -> HttpResponse:
    """The dispatcher puts a proposal on the list (`include`) or leaves it out (`decline`)."""
    if not reads_financing(request.user):
        raise Http404
    financing_list = selectors.list_for(request.user, pk)
    if not compiles(request.user, financing_list) or decision not in ("include", "decline"):
        raise Http404
    proposal = get_object_or_404(
        selectors.proposals_on(request.user, financing_list), pk=proposal_id
    )
    try:
        if decision == "include":
            proposals.include_proposal(actor=request.user, proposal=proposal)
        else:
            proposals.decline_proposal(actor=request.user, proposal=proposal)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        done = (
            _("The need was put on the list.")
            if decision == "include"
            else _("The proposal was left out of the list.")
        )
        messages.success(request, done)
    return redirect(financing_list)
