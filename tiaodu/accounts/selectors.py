"""Reads of the administration area: the accounts list with its filters; an account's
password reset by an administrator, for its owner at sign-in."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tiaodu.accounts.models import AccountLock, OrgUnit, User, UserRole
from tiaodu.core.models import AuditAction, AuditEvent


def locked_now() -> QuerySet[AccountLock]:
    return AccountLock.objects.filter(unlocked_at__isnull=True, locked_until__gt=timezone.now())


def users_for_list(
    *, text: str = "", role: str = "", unit: OrgUnit | None = None, status: str = ""
) -> QuerySet[User]:
    """Accounts with their roles and scope units, filtered: a role ("none": without one), an
    org unit's subtree (the account's unit or a role's scope unit in it), active,
    deactivated or locked now, and a text in the username, name, phone or unit name."""
    users = User.objects.select_related("org_unit").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=UserRole.objects.select_related("org_unit").order_by("role"),
        )
    )
    text = text.strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(display_name__icontains=text)
            | Q(phone__icontains=text)
            | Q(org_unit__name__icontains=text)
        )
    if role == "none":
        users = users.filter(role_assignments__isnull=True)
    elif role:
        users = users.filter(Exists(UserRole.objects.filter(user=OuterRef("pk"), role=role)))
    if unit is not None:
        in_scope = UserRole.objects.filter(
            user=OuterRef("pk"), org_unit__path__startswith=unit.path
        )
        users = users.filter(Q(org_unit__path__startswith=unit.path) | Exists(in_scope))
    locked = Exists(locked_now().filter(username=OuterRef("username")))
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    elif status == "locked":
        users = users.filter(locked)
    return users.annotate(locked=locked).order_by("username")


def reset_by_administrator(user: User, since: datetime | None) -> AuditEvent | None:
    """The latest reset of the account's password by someone else (an administrator, or a
    command on the server) after `since` — the account's previous sign-in — if any. A
    person's own change of password is not one."""
    resets = AuditEvent.objects.filter(
        object_type="accounts.user",
        object_id=str(user.pk),
        action=AuditAction.PASSWORD_CHANGE,
    ).exclude(actor_id=user.pk)
    if since is not None:
        resets = resets.filter(at__gt=since)
    return resets.order_by("-at", "-id").first()
