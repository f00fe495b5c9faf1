"""The groundbreaking batch pages: the list of a year's batches, the batch form, one batch
with its projects, totals and candidates, and its printable ceremony list (Word, Excel).
Thin: scoped reads (404 outside scope), writes through `services`, refusals shown in the
user's language with nothing written."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.campaigns import ceremony, listings, selectors, services
from tiaodu.campaigns.forms import BatchForm, initial_for
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.campaigns.permissions import may_create_batch, may_edit_batch, reads_batches
from tiaodu.core import clock, idempotency
from tiaodu.core.downloads import office_download
from tiaodu.core.listing import page_context
from tiaodu.core.refusals import errors_onto, refusal
from tiaodu.projects.selectors import plans_visible_to


def _reader(request: SignedInRequest) -> None:
    if not reads_batches(request.user):
        raise Http404


def _batch(request: SignedInRequest, pk: int, *, editing: bool = False) -> GroundbreakingBatch:
    _reader(request)
    batch = selectors.batch_for(request.user, pk)
    if editing and not may_edit_batch(request.user, batch):
        raise Http404
    return batch


@login_required
def batch_list(request: SignedInRequest) -> HttpResponse:
    """集中开工: the year's batches with their figures."""
    found = listings.batches_source(request)
    if found.data["bad_year"]:
        messages.error(request, _("Give the year as four digits, e.g. 2026."))
    context: dict[str, Any] = {
        **page_context(request, listings.BATCHES, found),
        **found.data,
        "rows": found.rows,
        "shown_rows": listings.BATCHES.table().present(found.rows),
        "can_create": may_create_batch(request.user),
    }
    return render(request, "campaigns/batch_list.html", context)


@login_required
def batch_create(request: SignedInRequest) -> HttpResponse:
    """A new batch; its projects are chosen on its page."""
    _reader(request)
    if not may_create_batch(request.user):
        raise Http404
    form = BatchForm(request.POST or None, actor=request.user)
    if request.method == "POST":

        def create() -> str | None:
            # Checked inside the key's claim: a repeat is sent to the first batch before the
            # form is looked at again.
            if not form.is_valid():
                return None
            try:
                batch = services.create_batch(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                errors_onto(form, error)
                return None
            messages.success(
                request, _("The batch was created. Now tick the projects that break ground in it.")
            )
            return batch.get_absolute_url()

        location = idempotency.form_once(request, "campaigns.batch", create)
        if location is not None:
            return redirect(location)
    return render(request, "campaigns/batch_form.html", {"form": form})


@login_required
def batch_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk, editing=True)
    form = BatchForm(request.POST or None, actor=request.user, initial=initial_for(batch))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_batch(actor=request.user, batch=batch, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(batch)
    return render(request, "campaigns/batch_form.html", {"form": form, "batch": batch})


@login_required
@require_POST
def batch_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk, editing=True)
    services.delete_batch(actor=request.user, batch=batch)
    messages.success(request, _("The batch “%(name)s” was deleted.") % {"name": batch.name})
    return redirect("campaigns:batches")


def _days(request: SignedInRequest) -> int:
    """The candidates' window asked for (±days), else the site's default."""
    text = request.GET.get("days", "").strip()
    if not text:
        return selectors.window_days()
    if text.isdecimal() and 0 <= int(text) <= selectors.MAX_WINDOW_DAYS:
        return int(text)
    messages.error(
        request,
        _("Give the window as a whole number of days from 0 to %(max)s.")
        % {"max": selectors.MAX_WINDOW_DAYS},
    )
    return selectors.window_days()


@login_required
def batch_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """The batch's projects with their totals, the share started once the date has come,
    and (for its dispatchers) the candidates to add."""
    batch = _batch(request, pk)
    today = clock.today()
    plans = list(selectors.batch_plans(batch))
    figures = selectors.figures_of(plans, batch=batch, today=today)
    editable = may_edit_batch(request.user, batch)
    days = _days(request)
    context: dict[str, Any] = {
        "batch": batch,
        "plans": plans,
        "figures": figures,
        "not_started": set(figures.not_started),
        "editable": editable,
        "days": days,
        "candidates": list(selectors.candidates(batch, days=days)) if editable else [],
        "today": today,
    }
    return render(request, "campaigns/batch_detail.html", context)


@login_required
@require_POST
def batch_add(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk, editing=True)
    ids = [int(value) for value in request.POST.getlist("plan") if value.isdecimal()]
    plans = list(
        plans_visible_to(request.user).filter(pk__in=ids).select_related("project__region")
    )
    try:
        if len(plans) != len(set(ids)):
            raise ValidationError(_("Some ticked projects were not found; reload the page."))
        services.add_entries(actor=request.user, batch=batch, plans=plans)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("%(count)s projects put in the batch.") % {"count": len(plans)})
    days = request.POST.get("days", "")
    suffix = f"?days={days}" if days.isdecimal() else ""
    return redirect(f"{batch.get_absolute_url()}{suffix}")


@login_required
@require_POST
def batch_remove(request: SignedInRequest, pk: int, plan_id: int) -> HttpResponse:
    batch = _batch(request, pk, editing=True)
    plan = selectors.batch_plans(batch).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    services.remove_entry(actor=request.user, batch=batch, plan=plan)
    messages.success(
        request, _("“%(project)s” was taken out of the batch.") % {"project": plan.project.name}
    )
    return redirect(batch)


@login_required
def batch_export(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    """The printable ceremony list, as Word (`docx`) or Excel (`xlsx`)."""
    batch = _batch(request, pk)
    plans = list(selectors.batch_plans(batch))
    figures = selectors.figures_of(plans, batch=batch, today=clock.today())
    content = ceremony.ceremony_list(batch, plans, figures)
    return office_download(
        actor=request.user,
        instance=batch,
        title=content.title,
        kind=kind,
        write=lambda: (ceremony.write_docx if kind == "docx" else ceremony.write_xlsx)(content),
        fallback=f"batch-{batch.pk}-{batch.date:%Y%m%d}",
    )
