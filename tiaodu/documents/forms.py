"""The bulletin pages' forms: the month and region to build, and the commentary paragraphs
at the end of each section."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.documents.contents import HEADINGS, SECTIONS

MONTHS_OFFERED = 24  # the months a bulletin can be built for: this one and the 23 before


def months_offered(today: dt.date) -> list[dt.date]:
    """The first days of this month and the months before it, newest first."""
    months, month = [], today.replace(day=1)
    for _index in range(MONTHS_OFFERED):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


class BuildForm(forms.Form):
    """Which bulletin to build: a month that has begun, and a region the dispatcher holds."""

    month = forms.TypedChoiceField(label=_("Month"), coerce=dt.date.fromisoformat)
    region = forms.ModelChoiceField(
        label=pgettext_lazy("bulletin", "Region"), queryset=OrgUnit.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = months_offered(clock.today())
        cast(forms.TypedChoiceField, self.fields["month"]).choices = [
            (month.isoformat(), f"{month.year}年{month.month}月") for month in months
        ]
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        if not self.is_bound:
            # The usual bulletin is of the month just ended.
            self.initial.setdefault("month", months[1].isoformat())
            first = regions.first()
            if first is not None:
                self.initial.setdefault("region", first.pk)


class CommentaryForm(forms.Form):
    """One text box per section; each line becomes a paragraph at the section's end."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in SECTIONS:
            self.fields[key] = forms.CharField(
                label=HEADINGS[key],
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3 if key != "requirements" else 5}),
            )
