"""The forms of the card pages: computing a month's cards, and a new version of the rules
(whose checks are the services' own: `services.proposed_rule_set`)."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tiaodu.core.refusals import errors_onto
from tiaodu.scoring import services
from tiaodu.scoring.models import RuleSet


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month input), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        return services.parse_month(text)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        return value


class ComputeForm(forms.Form):
    month = MonthField(label=_("Month"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_(
            "Why the cards are computed, e.g. “monthly evaluation” or “figures corrected”."
        ),
    )


class RuleSetForm(forms.ModelForm):
    """A new version of the rules, pre-filled with the latest version's values."""

    effective_month = MonthField(
        label=_("Effective from (month)"),
        help_text=_("The new rules apply to the cards of this month and after."),
    )

    field_order = ["effective_month", "note"]

    class Meta:
        model = RuleSet
        fields = [*services.RULE_FIELDS, "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.fields["note"].help_text = _("What changes and why.")
        self.rule_set: RuleSet | None = None

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.RULE_FIELDS}

    def clean_effective_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["effective_month"]
        try:
            services.check_effective_from(month)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return month

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(name in self.errors for name in services.RULE_FIELDS):
            try:
                self.rule_set = services.proposed_rule_set(
                    **{name: cleaned[name] for name in services.RULE_FIELDS}
                )
            except ValidationError as error:
                errors_onto(self, error)
        return cleaned

    def _post_clean(self) -> None:
        # The model's own checks are those of `proposed_rule_set`, run in `clean`.
        pass
