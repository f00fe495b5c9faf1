"""The forms of leaders' instructions: writing one, answering it, closing or sending it
back. The services check again; a form only shapes the input."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.supervision.instructions.services import UNIT_KINDS


def routable_units() -> QuerySet[OrgUnit]:
    """The departments and owner units an instruction may go to, by place in the tree."""
    return OrgUnit.objects.filter(kind__in=UNIT_KINDS).order_by("path")


class InstructionForm(forms.Form):
    text = forms.CharField(
        label=_("Instruction"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    unit = forms.ModelChoiceField(
        label=_("Routed to"),
        queryset=OrgUnit.objects.none(),
        help_text=_("By default the unit responsible for the object."),
    )
    deadline = forms.DateField(
        label=_("Answer by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the site's number of working days from today."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = routable_units()  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class CloseForm(forms.Form):
    remark = forms.CharField(
        label=_("Remark"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SendBackForm(forms.Form):
    note = forms.CharField(
        label=_("What the answer still lacks"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    deadline = forms.DateField(
        label=_("Answer again by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the site's number of working days from today."),
    )
