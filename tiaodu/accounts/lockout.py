"""Sign-in with lockout (DOMAIN.md §9): 5 failures in 15 minutes lock the account for 30 minutes.

The counting window and the lock duration are separate settings; see docs/adr/0002-lockout.md
for why this is ours rather than django-axes.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tiaodu.accounts.models import AccountLock, SignInAttempt, User, UserRole
from tiaodu.accounts.permissions import unlocks_accounts
from tiaodu.core import audit
from tiaodu.core.context import current
from tiaodu.core.models import AuditAction
from tiaodu.core.roles import ADMINISTRATOR_ROLES


def _site(message: str, **params: Any) -> str:
    """An audit message, translated into the site's language."""
    with audit.in_site_language():
        text = _(message)
    return text % params if params else text


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    locked_until: datetime | None = None
    remaining_attempts: int | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def active_lock(username: str, *, now: datetime | None = None) -> AccountLock | None:
    """The lock in force on `username`, if any."""
    now = now or timezone.now()
    return (
        AccountLock.objects.filter(
            username=username, unlocked_at__isnull=True, locked_until__gt=now
        )
        .order_by("-locked_until")
        .first()
    )


def _recent_failures(username: str, now: datetime) -> int:
    policy = settings.TIAODU_SECURITY
    since = now - policy["LOCKOUT_WINDOW"]
    # Failures before the last success or the end of the last lock do not count.
    last_success = SignInAttempt.objects.filter(username=username, success=True).aggregate(
        at=Max("at")
    )["at"]
    last_lock = AccountLock.objects.filter(username=username).order_by("-locked_at").first()
    resets = [since, last_success]
    if last_lock is not None:
        resets.append(last_lock.unlocked_at or min(last_lock.locked_until, now))
    floor = max(moment for moment in resets if moment is not None)
    return SignInAttempt.objects.filter(username=username, success=False, at__gt=floor).count()


def _audit_actor(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def sign_in(*, request: HttpRequest | None, username: str, password: str) -> SignInResult:
    """Check a password; count failures; lock after too many. Every outcome is audited."""
    now = timezone.now()
    policy = settings.TIAODU_SECURITY
    username = username.strip()
    address = current().source_address
    lock = active_lock(username, now=now)
    account = _audit_actor(username)
    if lock is not None:
        SignInAttempt.objects.create(username=username, at=now, source_address=address)
        audit.record(
            actor=account,
            actor_name=username,
            action=AuditAction.SIGN_IN_FAILED,
            instance=account,
            success=False,
            message=_site(gettext_noop("account locked")),
        )
        return SignInResult(locked_until=lock.locked_until)

    user = authenticate(request, username=username, password=password)
    if user is not None and user.is_active:
        SignInAttempt.objects.create(
            username=username, at=now, success=True, source_address=address
        )
        audit.record(actor=user, action=AuditAction.SIGN_IN, instance=user)
        return SignInResult(user=user)

    SignInAttempt.objects.create(username=username, at=now, source_address=address)
    audit.record(
        actor=account,
        actor_name=username,
        action=AuditAction.SIGN_IN_FAILED,
        instance=account,
        success=False,
        message=_site(gettext_noop("wrong username or password")),
    )
    failures = _recent_failures(username, now)
    if failures >= policy["LOCKOUT_FAILURES"]:
        lock = AccountLock.objects.create(
            username=username, locked_at=now, locked_until=now + policy["LOCKOUT_DURATION"]
        )
        audit.record(
            actor=account,
            actor_name=username,
            action=AuditAction.LOCKOUT,
            instance=account,
            object_label=username,
            success=False,
            message=_site(
                gettext_noop("%(n)d failures; locked until %(time)s"),
                n=failures,
                time=f"{timezone.localtime(lock.locked_until):%H:%M}",
            ),
        )
        return SignInResult(locked_until=lock.locked_until)
    return SignInResult(remaining_attempts=policy["LOCKOUT_FAILURES"] - failures)


@transaction.atomic
def unlock(*, actor: User | None, lock: AccountLock) -> None:
    """Lift a lock before it expires: the security administrator's act. A lock on an
    administrator's account is lifted only on a request a second administrator confirms
    (`accounts.confirmations`)."""
    if actor is not None:
        if not unlocks_accounts(actor):
            raise PermissionDenied(_("Only the security administrator unlocks accounts."))
        if UserRole.objects.filter(
            user__username=lock.username, role__in=ADMINISTRATOR_ROLES
        ).exists():
            raise ValidationError(
                _(
                    "An administrator's account is unlocked only with a second "
                    "administrator's confirmation: ask for it, and another administrator "
                    "confirms it."
                ),
                code="needs_confirmation",
            )
    lift(actor=actor, lock=lock)


def lift(*, actor: User | None, lock: AccountLock, message: str = "") -> None:
    """End a lock the checks allowed, with its audit event."""
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = actor
    lock.save(update_fields=["unlocked_at", "unlocked_by"])
    audit.record(
        actor=actor,
        action=AuditAction.UNLOCK,
        instance=_audit_actor(lock.username),
        object_label=lock.username,
        message=message,
    )
