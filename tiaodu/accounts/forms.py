from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html,
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class TemporaryPasswordForm(forms.Form):
    """The temporary password the system administrator gives an account (checked by the service)."""

    password1 = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Temporary password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class DisplayForm(forms.Form):
    """A new wall display: where it hangs, the region it shows, how long it lasts."""

    name = forms.CharField(
        label=_("Where it hangs"),
        max_length=100,
        help_text=_("For example 市发改委调度指挥中心大屏."),
    )
    region = forms.ModelChoiceField(
        label=_("Region it shows"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3660, initial=365)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = OrgUnit.objects.regions().order_by("path")  # type: ignore[attr-defined]
        # The tree shown by indentation: a city, then its districts.
        region.label_from_instance = lambda unit: "\u3000" * unit.depth + unit.name  # type: ignore[attr-defined]
