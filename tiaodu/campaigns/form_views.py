"""The campaign form: a new campaign, or a campaign's name, window, scope and targets
changed, for the site's dispatcher (anyone else: 404, as on the other campaign pages).

The form works without scripts: "add a target" and "show the lists of this year" are submit
buttons that draw the form again from what was written, without saving; with scripts, a row
is added in the page and the lists follow the year as it is changed. Writes go through
`services.create_campaign` and `services.update_campaign`; a refusal is shown on the form
with nothing written.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.campaigns import selectors, services
from tiaodu.campaigns.forms import (
    CampaignForm,
    TargetFormSet,
    initial_campaign,
    initial_targets,
    lists_of,
    rows_of,
    threshold_help,
    units,
)
from tiaodu.campaigns.models import Campaign
from tiaodu.campaigns.permissions import may_manage_campaigns
from tiaodu.core import clock, idempotency
from tiaodu.core.refusals import errors_onto

TARGETS = "targets"  # the formset's prefix
ADD_ROW, RELOAD = "add_target", "reload"


def _manager(request: SignedInRequest) -> None:
    if not may_manage_campaigns(request.user):
        raise Http404


def _year(text: str | None, default: int) -> int:
    """A plan year from the form or the query; the default when it is none."""
    try:
        year = int(text or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@login_required
def campaign_create(request: SignedInRequest) -> HttpResponse:
    """A new campaign, with one target row to fill."""
    _manager(request)
    default = clock.today().year
    year = _year(request.POST.get("year") or request.GET.get("year"), default)
    return _form_page(request, None, year, initial={"year": year}, targets=[])


@login_required
def campaign_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The campaign's form filled in; a finished campaign (its final comparison kept) is
    refused and its page shown."""
    _manager(request)
    campaign = selectors.campaign_for(request.user, pk)
    refusal = services.finished_refusal(campaign)
    if refusal:
        messages.error(request, refusal)
        return redirect("campaigns:detail", pk=campaign.pk)
    return _form_page(
        request,
        campaign,
        campaign.year,
        initial=initial_campaign(campaign),
        targets=initial_targets(campaign),
    )


def _form_page(
    request: SignedInRequest,
    campaign: Campaign | None,
    year: int,
    *,
    initial: dict[str, Any],
    targets: list[dict[str, Any]],
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    lists = list(lists_of(year))
    form = CampaignForm(data, actor=request.user, year=year, campaign=campaign, initial=initial)
    # Every row may be left empty: a row as it was offered is no target.
    formset = TargetFormSet(
        data,
        prefix=TARGETS,
        initial=None if data is not None else targets,
        form_kwargs={"lists": lists, "empty_permitted": data is not None},
    )
    if data is not None and (ADD_ROW in data or RELOAD in data):
        written = {name: form[name].value() for name in form.fields}
        form = CampaignForm(
            actor=request.user, year=year, campaign=campaign, initial={**written, "year": year}
        )
        formset = TargetFormSet(
            prefix=TARGETS, initial=rows_of(formset), form_kwargs={"lists": lists}
        )
    elif data is not None:

        def save() -> str | None:
            saved = _save(request, campaign, year, form, formset)
            return None if saved is None else reverse("campaigns:detail", args=[saved.pk])

        # A new campaign is created once per the form's key; a change is simply saved.
        location = (
            save() if campaign else idempotency.form_once(request, "campaigns.campaign", save)
        )
        if location is not None:
            return redirect(location)
    return render(
        request,
        "campaigns/campaign_form.html",
        {
            "form": form,
            "formset": formset,
            "campaign": campaign,
            "year": year,
            "units": units(),
            "threshold_help": threshold_help(),
        },
    )


def _save(
    request: SignedInRequest,
    campaign: Campaign | None,
    year: int,
    form: CampaignForm,
    formset: Any,
) -> Campaign | None:
    """The campaign written, or None with the refusal put on the form."""
    form_valid, targets_valid = form.is_valid(), formset.is_valid()
    if not targets_valid:
        form.add_error(None, _("Check the targets marked below."))
    if not (form_valid and targets_valid):
        return None
    try:
        if campaign is None:
            saved = services.create_campaign(
                actor=request.user, year=year, targets=formset.specs(), **form.values()
            )
        else:
            saved = services.update_campaign(
                actor=request.user, campaign=campaign, targets=formset.specs(), **form.values()
            )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        errors_onto(form, error)
        return None
    if campaign is None:
        messages.success(request, _("The campaign “%(name)s” was created.") % {"name": saved.name})
    else:
        messages.success(request, _("Changes saved."))
    return saved
