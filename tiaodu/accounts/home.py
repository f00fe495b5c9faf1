"""Home-page panels of the administrators (registered in AccountsConfig.ready)."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from tiaodu.accounts import policy
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.confirmations import open_requests
from tiaodu.accounts.models import AccountLock, OrgUnit, SignInAttempt, User
from tiaodu.core.home import HomePanel, register_panel
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor


def system_admin_context(user: Actor) -> dict[str, Any]:
    """Counts of what the system administrator manages."""
    units = dict(OrgUnit.objects.values_list("kind").annotate(n=Count("id")).order_by())
    return {
        "units": [(label, units.get(kind, 0)) for kind, label in OrgUnitKind.choices],
        "users": User.objects.filter(is_active=True).count(),
        "users_without_role": User.objects.filter(
            is_active=True, role_assignments__isnull=True
        ).count(),
    }


def security_admin_context(user: Actor) -> dict[str, Any]:
    """Locks in force and failed sign-ins of the last 24 hours."""
    now = timezone.now()
    return {
        "active_locks": AccountLock.objects.filter(
            unlocked_at__isnull=True, locked_until__gt=now
        ).count(),
        "failures_24h": SignInAttempt.objects.filter(
            success=False, at__gte=now - timedelta(hours=24)
        ).count(),
        "lock_terms": policy.lock_terms(),
    }


# What the administrators do to accounts, as the audit log records it: roles given and
# taken away, accounts created, deactivated, activated or renamed, passwords reset (a
# person's own change has no message), locks lifted, and the requests for a second
# administrator with their decisions.
ADMINISTRATOR_ACTS = (
    Q(object_type__in=["accounts.userrole", "accounts.adminactionrequest"])
    | Q(object_type="accounts.user", action=AuditAction.CREATE)
    | Q(object_type="accounts.user", action=AuditAction.UPDATE)
    & (Q(changes__has_key="is_active") | Q(changes__has_key="username"))
    | Q(action=AuditAction.PASSWORD_CHANGE) & ~Q(message="")
    | Q(action=AuditAction.UNLOCK)
)


def auditor_context(user: Actor) -> dict[str, Any]:
    """The size of the log today, the latest failures, the administrators' latest acts on
    accounts and the requests waiting for a second administrator."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "events_today": AuditEvent.objects.filter(at__gte=today).count(),
        "failures": list(AuditEvent.objects.filter(success=False)[:8]),
        "administrator_acts": list(AuditEvent.objects.filter(ADMINISTRATOR_ACTS)[:12]),
        "waiting": open_requests().count(),
    }


def register() -> None:
    register_panel(
        HomePanel(
            "accounts.system_admin",
            "accounts/_home_system_admin.html",
            frozenset({Role.SYSTEM_ADMIN}),
            system_admin_context,
            order=10,
        )
    )
    register_panel(
        HomePanel(
            "accounts.security_admin",
            "accounts/_home_security_admin.html",
            frozenset({Role.SECURITY_ADMIN}),
            security_admin_context,
            order=10,
        )
    )
    register_panel(
        HomePanel(
            "accounts.auditor",
            "accounts/_home_auditor.html",
            frozenset({Role.AUDITOR}),
            auditor_context,
            order=10,
        )
    )
