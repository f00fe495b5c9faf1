"""The system administrator's channel form and each account's own choices."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.area_forms import UnitChoiceField
from tiaodu.accounts.models import OrgUnit
from tiaodu.messaging.choices import NOTIFICATION_GROUPS, PERSONAL_TRANSPORTS, ChannelKind
from tiaodu.messaging.models import Channel, MessagingProfile

GROUP_CHOICES = [(key, label) for key, label in NOTIFICATION_GROUPS.items()]


class ChannelForm(forms.Form):
    """A group robot: its secret is never shown back; left empty on an edit, it stays."""

    name = forms.CharField(label=_("Channel name"), max_length=100)
    kind = forms.ChoiceField(label=_("Channel kind"), choices=ChannelKind.choices)
    webhook_url = forms.URLField(
        label=_("Webhook URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "As the group's robot settings show it (WeCom: …/webhook/send?key=…; DingTalk: …/robot/send?access_token=…)."
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            'DingTalk robots with signing ("加签") only; left empty on a change, the stored one stays.'
        ),
    )
    org_unit = UnitChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.order_by("path"))
    groups = forms.MultipleChoiceField(
        label=_("Notification groups"),
        choices=GROUP_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("None ticked: every group."),
    )
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, channel: Channel | None = None, **kwargs: Any) -> None:
        if channel is not None:
            kwargs.setdefault("initial", {
                "name": channel.name, "kind": channel.kind,
                "org_unit": channel.org_unit, "groups": channel.groups, "is_active": channel.is_active,
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        if channel is not None:
            # The stored URL carries the robot's key: never sent back; empty keeps it.
            self.fields["webhook_url"].required = False


class ProfileForm(forms.Form):
    """An account's own choices: the channels per notification group besides the bell."""

    wecom_user_id = forms.CharField(
        label=_("WeCom user id"),
        max_length=64,
        required=False,
        help_text=_("Your account (帐号) in the WeCom address book, for WeCom messages."),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    daily_digest = forms.BooleanField(
        label=_("One daily digest instead of a message each time"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, profile: MessagingProfile, **kwargs: Any) -> None:
        initial = {
            "wecom_user_id": profile.wecom_user_id,
            "quiet_from": profile.quiet_from,
            "quiet_until": profile.quiet_until,
            "daily_digest": profile.daily_digest,
        }
        for group in NOTIFICATION_GROUPS:
            initial[f"group_{group}"] = profile.choices.get(group, ["email"])
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for group, label in NOTIFICATION_GROUPS.items():
            self.fields[f"group_{group}"] = forms.MultipleChoiceField(
                label=str(label),
                choices=[(t.value, t.label) for t in PERSONAL_TRANSPORTS],
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )

    def group_fields(self) -> list[forms.BoundField]:
        return [self[f"group_{group}"] for group in NOTIFICATION_GROUPS]

    def choices(self) -> dict[str, list[str]]:
        return {group: self.cleaned_data[f"group_{group}"] for group in NOTIFICATION_GROUPS}
