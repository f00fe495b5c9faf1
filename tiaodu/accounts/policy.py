"""The security policy in force (DOMAIN.md §9, docs/security.md): the values the security
administrator sets on the 安全策略 page of the administration area over those of
`settings.TIAODU_SECURITY`.

`current()` answers the whole `TIAODU_SECURITY` mapping with the tunable keys taken from the
`SecurityPolicy` row when there is one; without a row the settings' values apply unchanged
(the tests empty `TOTP_REQUIRED_ROLES` through the settings, the demo through the
environment). During a request the answer is read once and kept until the request ends
(`remembered`, bound by `SessionPolicyMiddleware`); outside a request each call reads the
row, and saving the policy drops what the request kept, so a change applies at once.

The bounds keep the policy at least as strict as the MLPS level 3 profile: a value outside
them is refused by `services.update_security_policy` and nothing changes. They apply to the values
saved through that service; the settings' values are the operator's and are not checked
here (an emptied `TOTP_REQUIRED_ROLES` is how the demo and the tests sign in with a password
alone).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.models import SecurityPolicy
from tiaodu.core import audit
from tiaodu.core.roles import Role


@dataclass(frozen=True)
class Tunable:
    """One value of the policy: its model field, the settings key it replaces, how a number
    of the field becomes the settings' value, and the bounds it must lie within."""

    field: str
    key: str
    unit: str  # "days", "minutes" or "" (a count)
    low: int
    high: int

    def to_setting(self, number: int) -> Any:
        if self.unit == "days":
            return timedelta(days=number)
        if self.unit == "minutes":
            return timedelta(minutes=number)
        return number

    def from_setting(self, value: Any) -> int:
        if self.unit == "days":
            return int(value.total_seconds() // 86400)
        if self.unit == "minutes":
            return int(value.total_seconds() // 60)
        return int(value)


TUNABLES = (
    # Change a password at least every 90 days.
    Tunable("password_max_age_days", "PASSWORD_MAX_AGE", "days", 1, 90),
    # Refuse at least the last 5 passwords.
    Tunable("password_history", "PASSWORD_HISTORY", "", 5, 24),
    # Sign out after at most 30 minutes idle, 15 for the administrators.
    Tunable("idle_timeout_minutes", "IDLE_TIMEOUT", "minutes", 1, 30),
    Tunable("admin_idle_timeout_minutes", "ADMIN_IDLE_TIMEOUT", "minutes", 1, 15),
    # Lock after at most 5 failures, for at least 30 minutes (a day at most).
    Tunable("lockout_failures", "LOCKOUT_FAILURES", "", 1, 5),
    Tunable("lockout_duration_minutes", "LOCKOUT_DURATION", "minutes", 30, 1440),
)
SECOND_FACTOR_KEY = "TOTP_REQUIRED_ROLES"
# The administrators and the dispatchers always sign in in two steps (DOMAIN.md §9).
ALWAYS_SECOND_FACTOR = frozenset(
    {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR, Role.DISPATCHER}
)
# Lazy texts: each shown in the language of the request that reads it.
LABELS: dict[str, Any] = {
    "password_max_age_days": gettext_lazy("Password maximum age (days)"),
    "password_history": gettext_lazy("Earlier passwords refused"),
    "idle_timeout_minutes": gettext_lazy("Idle timeout (minutes)"),
    "admin_idle_timeout_minutes": gettext_lazy("Administrators' idle timeout (minutes)"),
    "lockout_failures": gettext_lazy("Failures that lock"),
    "lockout_duration_minutes": gettext_lazy("Lock duration (minutes)"),
    "second_factor_roles": gettext_lazy("Roles that sign in in two steps"),
}

# What the request being served has read (None outside a request).
_kept: ContextVar[dict[str, Any] | None] = ContextVar("tiaodu_security_policy", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Read the policy at most once during the block (a request)."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def _row() -> SecurityPolicy | None:
    return SecurityPolicy.objects.filter(pk=SecurityPolicy.SINGLETON).first()


def current() -> dict[str, Any]:
    """The security values in force: `TIAODU_SECURITY`, with the saved policy over it."""
    kept = _kept.get()
    if kept is not None and "values" in kept:
        return dict(kept["values"])
    values = dict(settings.TIAODU_SECURITY)
    row = _row()
    if row is not None:
        for tunable in TUNABLES:
            values[tunable.key] = tunable.to_setting(getattr(row, tunable.field))
        values[SECOND_FACTOR_KEY] = frozenset(row.second_factor_roles)
    if kept is not None:
        kept["values"] = values
    return dict(values)


def lock_minutes() -> int:
    """How long a lock lasts, in minutes (the sign-in pages say it)."""
    return int(current()["LOCKOUT_DURATION"].total_seconds() // 60)


def lock_terms() -> dict[str, int]:
    """The lockout rule in force, as the sign-in page, the locks page and the security
    administrator's home state it."""
    values = current()
    return {
        "failures": int(values["LOCKOUT_FAILURES"]),
        "window": int(values["LOCKOUT_WINDOW"].total_seconds() // 60),
        "minutes": lock_minutes(),
        "addresses": int(values["LOCKOUT_ADDRESSES"]),
    }


def forget() -> None:
    kept = _kept.get()
    if kept is not None:
        kept.pop("values", None)


def in_force() -> dict[str, Any]:
    """The policy's values in force, as the page shows them (numbers, role codes)."""
    values = current()
    shown: dict[str, Any] = {
        tunable.field: tunable.from_setting(values[tunable.key]) for tunable in TUNABLES
    }
    shown["second_factor_roles"] = [
        role for role in Role.values if role in values[SECOND_FACTOR_KEY]
    ]
    return shown


def described(values: dict[str, Any]) -> dict[str, str]:
    """The values as the audit log shows them: numbers, and role names in the roles' order."""
    described = {tunable.field: str(values[tunable.field]) for tunable in TUNABLES}
    with audit.in_site_language():
        described["second_factor_roles"] = "、".join(
            str(label)
            for value, label in Role.choices
            if value in set(values["second_factor_roles"])
        )
    return described


def checked(values: dict[str, Any]) -> dict[str, Any]:
    """The values, each within its bounds, or a refusal naming every bound crossed."""
    errors: dict[str, str] = {}
    checked: dict[str, Any] = {}
    for tunable in TUNABLES:
        number = values.get(tunable.field)
        if not isinstance(number, int) or isinstance(number, bool):
            errors[tunable.field] = _("Give a whole number.")
        elif not tunable.low <= number <= tunable.high:
            errors[tunable.field] = _(
                "“%(label)s” must lie between %(low)d and %(high)d: the policy may be "
                "stricter than the MLPS level 3 profile, never looser."
            ) % {"label": LABELS[tunable.field], "low": tunable.low, "high": tunable.high}
        else:
            checked[tunable.field] = number
    roles = set(values.get("second_factor_roles") or ())
    if not roles <= set(Role.values):
        errors["second_factor_roles"] = _("Choose roles of the list.")
    elif not roles >= ALWAYS_SECOND_FACTOR:
        errors["second_factor_roles"] = _(
            "The system administrator, the security administrator, the auditor and the "
            "dispatchers always sign in in two steps."
        )
    else:
        checked["second_factor_roles"] = [role for role in Role.values if role in roles]
    if errors:
        raise ValidationError(errors)
    return checked
