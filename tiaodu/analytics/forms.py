"""The statistics page's selectors: year, as-of date, region, level and list."""

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.analytics.figures import Scope, default_as_of, resolve_scope
from tiaodu.core.scoping import Actor
from tiaodu.projects import selectors
from tiaodu.projects.choices import AnnualPlanLevel
from tiaodu.projects.filters import regions_for
from tiaodu.projects.models import KeyProjectList

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FigureSetForm(forms.Form):
    """Parses the page's query; the figure set checks what the parameters name."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    as_of = forms.DateField(label=_("As of"), widget=DATE, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All")
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All")), *AnnualPlanLevel.choices], required=False
    )
    key_list = forms.ModelChoiceField(
        label=_("Key-project list"),
        queryset=KeyProjectList.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(
        self, *args: Any, actor: Actor, years: list[int], year: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan_year = year
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions_for(actor)  # type: ignore[attr-defined]
        self.fields["key_list"].queryset = KeyProjectList.objects.filter(  # type: ignore[attr-defined]
            year=year
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The figures' date is in the plan year shown: the one chosen, else the default.
        year, as_of = data.get("year") or self.plan_year, data.get("as_of")
        if isinstance(as_of, dt.date) and as_of.year != year:
            self.add_error("as_of", _("Choose a date in %(year)s.") % {"year": year})
        return data


def scope_from_request(request: HttpRequest, actor: Actor) -> tuple[Scope, FigureSetForm]:
    """The scope a statistics page's query asks for (the reader's defaults where it asks
    nothing: the default plan year, the last closed day, the reader's region), and the form
    to show it with. A value that cannot be read is said beside its field and left out."""
    years = selectors.plan_years(actor)
    default_year = selectors.default_year(actor, years)
    years = years or [default_year]
    try:
        year = int(request.GET.get("year") or default_year)
    except ValueError:
        year = default_year
    year = year if year in years else default_year
    # A query of none of the form's fields (`?export=xlsx` alone) asks for the defaults.
    asked = any(name in FigureSetForm.base_fields for name in request.GET)
    form = FigureSetForm(request.GET if asked else None, actor=actor, years=years, year=year)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    as_of = chosen.get("as_of") or default_as_of(year)
    scope = resolve_scope(
        actor=actor,
        year=year,
        as_of=as_of,
        region=chosen.get("region"),
        level=chosen.get("level") or None,
        key_list=chosen.get("key_list"),
    )
    if not form.is_bound:
        form = FigureSetForm(
            initial={"year": year, "as_of": as_of}, actor=actor, years=years, year=year
        )
    return scope, form
