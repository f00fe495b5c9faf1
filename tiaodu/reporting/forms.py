"""Forms of the report pages. They only parse; services validate and write."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.projects.models import MONEY_DIGITS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """A report's contents; the fields are those of `services.CONTENT_FIELDS`."""

    investment = forms.DecimalField(
        label=_("Investment this period (10k yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        help_text=_("Enter 0 if nothing was invested this period."),
    )
    bond_funds_spent = forms.DecimalField(
        label=_("Special-bond funds spent this year (10k yuan)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    physical_progress = forms.CharField(
        label=_("Physical progress"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was built this period: structures, floors, equipment installed."),
    )
    workers_on_site = forms.IntegerField(
        label=_("Workers on site"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_completion = forms.DateField(label=_("Actual completion"), required=False, widget=DATE)
    actual_production = forms.DateField(label=_("Actual production"), required=False, widget=DATE)
    statistics_inclusion = forms.DateField(
        label=_("Statistics inclusion"), required=False, widget=DATE
    )
    next_plan = forms.CharField(
        label=_("Next period's plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_problems = forms.CharField(
        label=_("New problems"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Problems that need the dispatcher's help; leave empty if none."),
    )

    MILESTONES = ("actual_start", "actual_completion", "actual_production", "statistics_inclusion")

    def __init__(self, *args: Any, bond_funds: Decimal | None = None, **kwargs: Any) -> None:
        """`bond_funds`: the entry's special-bond funds of the year; the form asks what is
        spent of them only when there are some (None: the field stays, for the API)."""
        super().__init__(*args, **kwargs)
        if bond_funds is None:
            return
        if not bond_funds:
            del self.fields["bond_funds_spent"]
            return
        self.fields["bond_funds_spent"].help_text = _(
            "Spent since 1 January, up to this period's end, of the %(funds)s allotted this year."
        ) % {"funds": f"{bond_funds:,.2f}"}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
