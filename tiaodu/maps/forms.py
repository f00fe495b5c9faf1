"""The map's choosers: the plan year, the figure the districts are shaded by, the points' colours."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.maps.choices import MapFigure, PointColour


class MapForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    as_of = forms.DateField(
        label=_("As of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    figure = forms.ChoiceField(
        label=_("Districts shaded by"), choices=MapFigure.choices, required=False
    )
    colour = forms.ChoiceField(
        label=_("Points coloured by"), choices=PointColour.choices, required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, as_of = data.get("year"), data.get("as_of")
        if isinstance(as_of, dt.date) and year and as_of.year != year:
            self.add_error("as_of", _("Choose a date in %(year)s.") % {"year": year})
        return data
