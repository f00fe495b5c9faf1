"""Forms of the appeal pages. They parse; the services validate and write, and a refusal of
a service comes back to the field it names (`core.refusals.errors_onto`)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.scoring.choices import AppealDecision, Colour


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files from one input (a phone's camera or gallery); the service judges each
    by its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = {"accept": "image/*,video/*,application/pdf", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the card is wrong"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say why the card is wrong.")},
        help_text=_(
            "Say which dimension is wrong and what the facts are, e.g. the date the project "
            "was included in the statistics or the investment completed."
        ),
    )
    evidence = EvidenceField(
        label=_("Evidence"),
        required=False,
        help_text=_(
            "Photos or videos from the site, or a PDF (a certificate, a letter); up to ten files."
        ),
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=AppealDecision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Uphold the card or revise its colour.")},
    )
    revised_colour = forms.ChoiceField(
        label=_("Revise the colour to"),
        choices=[("", "—"), *Colour.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the decision.")},
    )
