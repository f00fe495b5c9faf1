"""The dispatcher's settings of the dispatch rounds: the cycle of each level and list (the
whole site's dispatchers) and late-reporting exceptions for locked periods (any dispatcher,
for the units of its region)."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.scoping import Actor, covers, dispatcher_paths
from tiaodu.projects.choices import AnnualPlanLevel
from tiaodu.projects.models import KeyProjectList
from tiaodu.reporting import services
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.models import CycleRule, LockException, Period
from tiaodu.reporting.permissions import manages_dispatch_settings, may_set_cycles

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units_in_scope(actor: Actor) -> list[OrgUnit]:
    paths = dispatcher_paths(actor)
    units = OrgUnit.objects.filter(kind=OrgUnitKind.OWNER_UNIT).order_by("path", "name")
    return [unit for unit in units if covers(paths, unit.path)]


class ExceptionForm(forms.Form):
    period = forms.ModelChoiceField(label=gettext_lazy("Period"), queryset=Period.objects.none())
    owner_unit = forms.ModelChoiceField(
        label=gettext_lazy("Owner unit"), queryset=OrgUnit.objects.none()
    )
    until = forms.DateField(label=gettext_lazy("May report until"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, actor: Actor, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Periods locked in the last year: the ones an exception is for.
        self.fields["period"].queryset = Period.objects.filter(  # type: ignore[attr-defined]
            lock_date__lt=today, lock_date__gte=today - dt.timedelta(days=366)
        ).order_by("-end", "cycle")
        self.fields["period"].label_from_instance = lambda p: f"{p.label} · {p.get_cycle_display()}"  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[unit.pk for unit in _units_in_scope(actor)]
        ).order_by("name")


def _cycle_rows(year: int) -> dict[str, list[dict[str, Any]]]:
    by_level = {rule.level: rule.cycle for rule in CycleRule.objects.exclude(level="")}
    by_list = dict(
        CycleRule.objects.filter(key_project_list__isnull=False).values_list(
            "key_project_list_id", "cycle"
        )
    )
    return {
        "levels": [
            {
                "key": f"level:{level.value}",
                "label": level.label,
                "cycle": by_level.get(level.value, ""),
            }
            for level in AnnualPlanLevel
        ],
        "lists": [
            {"key": f"list:{item.pk}", "label": item.name, "cycle": by_list.get(item.pk, "")}
            for item in KeyProjectList.objects.filter(year=year).order_by("name")
        ],
    }


@login_required
def settings_page(request: SignedInRequest) -> HttpResponse:
    if not manages_dispatch_settings(request.user):
        raise Http404
    today = clock.today()
    form = ExceptionForm(
        actor=request.user, today=today, initial={"until": today + dt.timedelta(days=3)}
    )
    return _render(request, form, today)


def _render(request: SignedInRequest, form: ExceptionForm, today: dt.date) -> HttpResponse:
    units = {unit.pk for unit in _units_in_scope(request.user)}
    exceptions = [
        item
        for item in LockException.objects.select_related("period", "owner_unit", "granted_by")
        .filter(until__gte=today)
        .order_by("-period__end", "owner_unit__name")
        if item.owner_unit_id in units
    ]
    context = {
        "may_set_cycles": may_set_cycles(request.user),
        "cycles": Cycle.choices,
        "default_cycle": Cycle(services.default_cycle()).label,
        "rows": _cycle_rows(today.year),
        "year": today.year,
        "form": form,
        "exceptions": exceptions,
    }
    return render(request, "reporting/settings.html", context)


@login_required
@require_POST
def save_cycles(request: SignedInRequest) -> HttpResponse:
    if not may_set_cycles(request.user):
        raise Http404
    rows = _cycle_rows(clock.today().year)
    wanted: list[services.CycleChange] = []
    for row in rows["levels"] + rows["lists"]:
        cycle = request.POST.get(row["key"], row["cycle"])
        if cycle == row["cycle"]:
            continue
        kind, _sep, value = row["key"].partition(":")
        key_list = KeyProjectList.objects.get(pk=int(value)) if kind == "list" else None
        level = value if kind == "level" else ""
        wanted.append(services.CycleChange(cycle=cycle, key_project_list=key_list, level=level))
    try:
        changed = services.set_cycle_rules(actor=request.user, changes=wanted)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reporting:settings")
    messages.success(
        request,
        _("%(count)d cycles changed. New periods open with the next daily round.")
        % {"count": changed}
        if changed
        else _("Nothing changed."),
    )
    return redirect("reporting:settings")


@login_required
@require_POST
def grant_exception(request: SignedInRequest) -> HttpResponse:
    if not manages_dispatch_settings(request.user):
        raise Http404
    today = clock.today()
    form = ExceptionForm(request.POST, actor=request.user, today=today)
    if form.is_valid():
        try:
            services.grant_lock_exception(
                actor=request.user,
                period=form.cleaned_data["period"],
                owner_unit=form.cleaned_data["owner_unit"],
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(
                None, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
        else:
            messages.success(
                request,
                _("%(unit)s may report for %(period)s until %(date)s.")
                % {
                    "unit": form.cleaned_data["owner_unit"],
                    "period": form.cleaned_data["period"].label,
                    "date": form.cleaned_data["until"].isoformat(),
                },
            )
            return redirect("reporting:settings")
    return _render(request, form, today)
