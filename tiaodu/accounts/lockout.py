"""Sign-in with a per-address throttle and scoped locks (DOMAIN.md §9, docs/adr/0002-lockout.md).

Three guards, checked in this order before a password is checked:

1. The address throttle. Failures from one address, whatever the usernames, within
   `ADDRESS_WINDOW`: from `ADDRESS_DELAY_AFTER` on, the next attempt from that address must
   wait 1, 2, 4 … seconds (at most `ADDRESS_DELAY_MAX`) after the last failure, and is
   answered "try again in N seconds" without checking the password (nobody sleeps in a
   request); at `ADDRESS_REFUSE_AFTER` the address is refused for `ADDRESS_REFUSAL` after its
   last failure.
2. The lock of the account from that address: `LOCKOUT_FAILURES` failures of one username
   from one address within `LOCKOUT_WINDOW` lock that username from that address for
   `LOCKOUT_DURATION`. Its owner still signs in from anywhere else, and its API tokens work.
3. The account-wide lock: the username's failures within the window come from at least
   `LOCKOUT_ADDRESSES` addresses and number at least `LOCKOUT_FAILURES`. Only this lock ends
   the account's API tokens (`tokens.user_for_token`).

The current password typed on the password page is checked here too (`check_current_password`):
a wrong one is a failed attempt, audited, counting toward the same throttle and locks.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaodu.accounts import policy as security_policy
from tiaodu.accounts.models import AccountLock, SignInAttempt, User, UserRole
from tiaodu.accounts.permissions import unlocks_accounts
from tiaodu.core import audit
from tiaodu.core.context import current
from tiaodu.core.models import AuditAction
from tiaodu.core.notifications import notify
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role

# An account-wide lock has no address.
EVERY_ADDRESS = ""
UNKNOWN_ADDRESS = "unknown"


def has_second_factor(user: User) -> bool:
    """Whether the user signs in with a one-time code after the password."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _site(message: str, **params: Any) -> str:
    """An audit message, translated into the site's language."""
    with audit.in_site_language():
        text = _(message)
    return text % params if params else text


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    # A lock in force on the account: from the attempt's address only, or everywhere.
    locked_until: datetime | None = None
    lock_is_account_wide: bool = False
    remaining_attempts: int | None = None
    # The address throttle: wait this many seconds, or the address is refused until then.
    wait_seconds: int | None = None
    refused_until: datetime | None = None
    # The password was right; the one-time code is still due (`second_factor.verify`).
    second_factor_due: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None


def active_lock(username: str, *, now: datetime | None = None) -> AccountLock | None:
    """The account-wide lock in force on `username`, if any (the one that ends API tokens)."""
    return _lock_in_force(username, None, now or timezone.now())


def locks_in_force(username: str, *, now: datetime | None = None) -> list[AccountLock]:
    """Every lock in force on `username`, account-wide or from one address."""
    return list(
        AccountLock.objects.filter(
            username=username, unlocked_at__isnull=True, locked_until__gt=now or timezone.now()
        ).order_by("source_address", "pk")
    )


def _lock_in_force(username: str, address: str | None, now: datetime) -> AccountLock | None:
    """The lock that stops `username` from `address` (None: account-wide locks only)."""
    addresses = [EVERY_ADDRESS] if address is None else [EVERY_ADDRESS, address]
    return (
        AccountLock.objects.filter(
            username=username,
            source_address__in=addresses,
            unlocked_at__isnull=True,
            locked_until__gt=now,
        )
        .order_by("source_address", "-locked_until")
        .first()
    )


def _counted_failures(now: datetime) -> QuerySet[SignInAttempt]:
    """The failures the address throttle counts: checked (not refused), within its window."""
    window = security_policy.current()["ADDRESS_WINDOW"]
    return SignInAttempt.objects.filter(success=False, refused=False, at__gt=now - window)


def _hold(failures: int, last_at: datetime, now: datetime) -> SignInResult | None:
    """The throttle's answer for an address with `failures` counted, the last at `last_at`."""
    policy = security_policy.current()
    if failures >= policy["ADDRESS_REFUSE_AFTER"]:
        until = last_at + policy["ADDRESS_REFUSAL"]
        return SignInResult(refused_until=until) if now < until else None
    if failures >= policy["ADDRESS_DELAY_AFTER"]:
        delay = min(2 ** (failures - policy["ADDRESS_DELAY_AFTER"]), policy["ADDRESS_DELAY_MAX"])
        wait = (last_at + timedelta(seconds=delay) - now).total_seconds()
        if wait > 0:
            return SignInResult(wait_seconds=math.ceil(wait))
    return None


def _throttle(address: str, now: datetime) -> SignInResult | None:
    """The address throttle's answer for an attempt from `address` now, if it holds it back."""
    recent = (
        _counted_failures(now)
        .filter(source_address=address)
        .aggregate(failures=Count("id"), last_at=Max("at"))
    )
    if not recent["failures"]:
        return None
    return _hold(recent["failures"], recent["last_at"], now)


@dataclass(frozen=True)
class HeldAddress:
    address: str
    failures: int
    usernames: int
    last_at: datetime
    # Refused until then, or (when None) waiting between attempts.
    refused_until: datetime | None


def held_addresses(*, now: datetime | None = None) -> list[HeldAddress]:
    """The addresses the throttle holds back now, refused first (the security
    administrator's lock page; a hold ends by itself, nobody lifts it)."""
    now = now or timezone.now()
    least = security_policy.current()["ADDRESS_DELAY_AFTER"]
    rows = (
        _counted_failures(now)
        .values("source_address")
        .annotate(
            failures=Count("id"),
            usernames=Count("username", distinct=True),
            last_at=Max("at"),
        )
        .filter(failures__gte=least)
    )
    held = []
    for row in rows:
        hold = _hold(row["failures"], row["last_at"], now)
        refused = row["failures"] >= security_policy.current()["ADDRESS_REFUSE_AFTER"]
        if hold is not None or (not refused and row["failures"] >= least):
            held.append(
                HeldAddress(
                    address=row["source_address"],
                    failures=row["failures"],
                    usernames=row["usernames"],
                    last_at=row["last_at"],
                    refused_until=hold.refused_until if hold is not None else None,
                )
            )
    return sorted(held, key=lambda h: (h.refused_until is None, -h.failures, h.address))


def _failures_since_reset(username: str, address: str | None, now: datetime) -> list[str]:
    """The addresses of the username's counted failures (from `address`, or from anywhere for
    None) since the window opened, the last success or the end of the last lock that applied."""
    policy = security_policy.current()
    attempts = SignInAttempt.objects.filter(username=username)
    locks = AccountLock.objects.filter(username=username)
    if address is None:
        locks = locks.filter(source_address=EVERY_ADDRESS)
    else:
        attempts = attempts.filter(source_address=address)
        locks = locks.filter(source_address__in=[EVERY_ADDRESS, address])
    last_success = attempts.filter(success=True).aggregate(at=Max("at"))["at"]
    resets = [now - policy["LOCKOUT_WINDOW"], last_success]
    for lock in locks.order_by("-locked_at")[:1]:
        resets.append(lock.unlocked_at or min(lock.locked_until, now))
    floor = max(moment for moment in resets if moment is not None)
    return list(
        attempts.filter(success=False, refused=False, at__gt=floor).values_list(
            "source_address", flat=True
        )
    )


SECURITY_ALARM = "security_alarm"


def _alarm(lock: AccountLock, message: str) -> None:
    """A serious sign-in event — an account locked from several addresses, or an
    administrator's account locked — is told to the security administrators at once, on the
    site and by e-mail (GB/T 22239-2019 8.1.4.4 f, docs/security.md)."""
    guards = User.objects.filter(
        is_active=True, role_assignments__role=Role.SECURITY_ADMIN
    ).distinct()
    with audit.in_site_language():
        title = _("Sign-in alarm: the account %(name)s is locked") % {"name": lock.username}
    notify(
        recipients=guards,
        kind=SECURITY_ALARM,
        title=title,
        body=message,
        link=reverse("accounts:locks"),
        key=f"{SECURITY_ALARM}:{lock.pk}",
    )


def _lock(username: str, address: str, failures: int, now: datetime) -> AccountLock:
    policy = security_policy.current()
    lock = AccountLock.objects.create(
        username=username,
        source_address=address,
        locked_at=now,
        locked_until=now + policy["LOCKOUT_DURATION"],
    )
    account = _audit_actor(username)
    time = f"{timezone.localtime(lock.locked_until):%H:%M}"
    if address == EVERY_ADDRESS:
        message = _site(
            gettext_noop("%(n)d failures from several addresses; locked until %(time)s"),
            n=failures,
            time=time,
        )
    else:
        message = _site(
            gettext_noop("%(n)d failures from %(address)s; locked from it until %(time)s"),
            n=failures,
            address=address,
            time=time,
        )
    audit.record(
        actor=account,
        actor_name=username,
        action=AuditAction.LOCKOUT,
        instance=account,
        object_label=username,
        success=False,
        message=message,
    )
    administrator = UserRole.objects.filter(
        user__username=username, role__in=ADMINISTRATOR_ROLES
    ).exists()
    if address == EVERY_ADDRESS or administrator:
        _alarm(lock, message)
    return lock


def _audit_actor(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _refused(username: str, address: str, now: datetime, message: str) -> None:
    """Record and audit an attempt answered without checking the password."""
    SignInAttempt.objects.create(username=username, at=now, source_address=address, refused=True)
    account = _audit_actor(username)
    audit.record(
        actor=account,
        actor_name=username,
        action=AuditAction.SIGN_IN_FAILED,
        instance=account,
        success=False,
        message=message,
    )


def attempt(
    *,
    username: str,
    check: Callable[[], User | None],
    failure_message: str,
    completes: Callable[[User], bool] = lambda user: True,
) -> SignInResult:
    """The guards, the check, the record and the audit of one attempt (see the module doc).

    A right answer that does not complete the sign-in (a password when a one-time code is
    still due) is neither a failure nor a success: it does not reset the counts."""
    now = timezone.now()
    policy = security_policy.current()
    # Without an address (no request), the attempts share one, never the account-wide mark.
    address = current().source_address or UNKNOWN_ADDRESS
    held = _throttle(address, now)
    if held is not None:
        _refused(username, address, now, _site(gettext_noop("too many failures from the address")))
        return held
    lock = _lock_in_force(username, address, now)
    if lock is not None:
        _refused(username, address, now, _site(gettext_noop("account locked")))
        return SignInResult(
            locked_until=lock.locked_until,
            lock_is_account_wide=lock.source_address == EVERY_ADDRESS,
        )

    user = check()
    if user is not None:
        if not completes(user):
            return SignInResult(user=user, second_factor_due=True)
        SignInAttempt.objects.create(
            username=username, at=now, success=True, source_address=address
        )
        return SignInResult(user=user)

    SignInAttempt.objects.create(username=username, at=now, source_address=address)
    account = _audit_actor(username)
    audit.record(
        actor=account,
        actor_name=username,
        action=AuditAction.SIGN_IN_FAILED,
        instance=account,
        success=False,
        message=_site(failure_message),
    )
    everywhere = _failures_since_reset(username, None, now)
    if (
        len(everywhere) >= policy["LOCKOUT_FAILURES"]
        and len(set(everywhere)) >= policy["LOCKOUT_ADDRESSES"]
    ):
        lock = _lock(username, EVERY_ADDRESS, len(everywhere), now)
        return SignInResult(locked_until=lock.locked_until, lock_is_account_wide=True)
    here = len(_failures_since_reset(username, address, now))
    if here >= policy["LOCKOUT_FAILURES"]:
        lock = _lock(username, address, here, now)
        return SignInResult(locked_until=lock.locked_until)
    return SignInResult(remaining_attempts=policy["LOCKOUT_FAILURES"] - here)


@transaction.atomic
def sign_in(*, request: HttpRequest | None, username: str, password: str) -> SignInResult:
    """Check a password behind the throttle and the locks; every outcome is audited. For a
    user with a second factor, a right password leaves `second_factor_due`: the sign-in is
    done, recorded and audited by `second_factor.verify`."""
    username = username.strip()

    def check() -> User | None:
        user = authenticate(request, username=username, password=password)
        return user if user is not None and user.is_active else None

    result = attempt(
        username=username,
        check=check,
        failure_message=gettext_noop("wrong username or password"),
        completes=lambda user: not has_second_factor(user),
    )
    if result.ok and result.second_factor_due:
        # Not a sign-in yet: the auditor sees a right password whose code never came.
        audit.record(
            actor=result.user,
            action=AuditAction.SIGN_IN,
            instance=result.user,
            success=False,
            message=_site(gettext_noop("right password; one-time code due")),
        )
    elif result.ok:
        audit.record(actor=result.user, action=AuditAction.SIGN_IN, instance=result.user)
    return result


@transaction.atomic
def check_current_password(*, user: User, password: str) -> SignInResult:
    """The current password typed on the password page, checked as a sign-in attempt: a wrong
    one is audited and counts toward the throttle and the locks (its success is not audited:
    the password change that follows is)."""
    return attempt(
        username=user.get_username(),
        check=lambda: user if user.check_password(password) else None,
        failure_message=gettext_noop("wrong current password on the password page"),
    )


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
        message="；".join(
            part
            for part in (
                message,
                ""
                if lock.source_address == EVERY_ADDRESS
                else _site(gettext_noop("from %(address)s"), address=lock.source_address),
            )
            if part
        ),
    )
