"""The forms of the administration area: units, accounts, roles, filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts import policy
from tiaodu.accounts.choices import OrgUnitKind, child_kinds
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.roles import Role


class UnitChoiceField(forms.ModelChoiceField):
    """An org unit, listed in tree order and indented by its depth."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * obj.depth}{obj.name}"


def _units(**filters: Any) -> Any:
    return OrgUnit.objects.filter(**filters).order_by("path")


class UnitAddForm(forms.Form):
    """A child unit under a parent, of a kind that may sit there."""

    prefix = "add"

    name = forms.CharField(label=_("Unit name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"))
    region_code = forms.RegexField(
        label=_("Administrative division code"),
        regex=r"^\d{6}$",
        required=False,
        help_text=_("Six digits, for a district or county of the national table."),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)

    def __init__(self, *args: Any, parent: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind.value, kind.label) for kind in child_kinds(parent.kind)]


class UnitEditForm(forms.Form):
    prefix = "edit"
    name = forms.CharField(label=_("Unit name"), max_length=100)
    region_code = forms.RegexField(
        label=_("Administrative division code"), regex=r"^\d{6}$", required=False
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class UnitMoveForm(forms.Form):
    prefix = "move"
    parent = forms.ModelChoiceField(
        label=_("New parent unit"),
        queryset=OrgUnit.objects.all(),
        error_messages={"required": _("Choose the unit to move it under.")},
    )


STATUS_CHOICES = [
    ("", _("All")),
    ("active", _("Active")),
    ("inactive", _("Deactivated")),
    ("locked", _("Locked now")),
]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = UnitChoiceField(
        label=_("Unit (with its subunits)"),
        queryset=_units().exclude(kind=OrgUnitKind.OWNER_UNIT),
        required=False,
    )
    status = forms.ChoiceField(label=_("Account status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", _("All roles")), ("none", _("No role")), *Role.choices]


class UserProfileForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )
    display_name = forms.CharField(label=_("Name"), max_length=50)
    org_unit = UnitChoiceField(label=_("Org unit"), queryset=_units(), required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class UsernameChangeForm(forms.Form):
    """The new username of an administrator's account, asked for by the security
    administrator."""

    prefix = "rename"
    username = forms.RegexField(
        label=_("New username"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )


class UserCreateForm(UserProfileForm):
    password1 = forms.CharField(
        label=_("First password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The person must choose their own at the first sign-in."),
    )


class RoleAssignForm(forms.Form):
    prefix = "role"
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    org_unit = UnitChoiceField(label=_("Scope unit"), queryset=_units(), required=False)
    assigned_only = forms.BooleanField(label=_("Assigned projects only (leaders)"), required=False)


class SecurityPolicyForm(forms.Form):
    """The values of the security policy (`accounts.policy`); the service checks the bounds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for tunable in policy.TUNABLES:
            self.fields[tunable.field] = forms.IntegerField(
                label=policy.LABELS[tunable.field],
                help_text=_("From %(low)d to %(high)d.")
                % {"low": tunable.low, "high": tunable.high},
                widget=forms.NumberInput(attrs={"min": tunable.low, "max": tunable.high}),
            )
        self.fields["second_factor_roles"] = forms.MultipleChoiceField(
            label=policy.LABELS["second_factor_roles"],
            choices=Role.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "The system administrator, the security administrator, the auditor and the "
                "dispatchers always do; add other roles if the site wants."
            ),
        )
