"""API tokens: issue (shown once), revoke, and authenticate a bearer token.

A token reads `td_<prefix>_<secret>`; the prefix names it in lists, the SHA-256 digest of the
whole token finds it. `ApiTokenAuth` lets the ninja API accept `Authorization: Bearer …`
beside the session; the request then acts as the token's user, with that user's scope.

A token lasts `DEFAULT_DAYS` (90) unless issued for fewer or more days, at most `MAX_DAYS`
(365); one issued without an end before these rules ends 90 days after it was issued. It
ends too when its user's password is changed or reset after it was issued, while the user
must change the password, and when the user is deactivated or locked from every address; a
lock of the account from one address (`lockout`) leaves its tokens working (docs/security.md).
"""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from tiaodu.accounts.lockout import active_lock
from tiaodu.accounts.models import ApiToken, User
from tiaodu.core import audit
from tiaodu.core.middleware import client_address
from tiaodu.core.models import AuditAction
from tiaodu.core.roles import Role

PREFIX = "td_"
# last_used_at is written at most this often per token (not on every request).
TOUCH_EVERY = dt.timedelta(minutes=1)
DEFAULT_DAYS = 90
MAX_DAYS = 365


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _may_issue(actor: User | None, user: User) -> bool:
    """A user for themselves, and nobody for someone else: a token acts as its account, so
    the system administrator issuing one for another account would reach business data
    (三权分立, DOMAIN.md §2). `manage.py issue_api_token` (no actor) is the server's."""
    if actor is None:
        return True  # manage.py, run by the server's administrators
    return actor.pk == user.pk


@transaction.atomic
def issue_api_token(
    *, actor: User | None, user: User, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the plain token, which is not kept."""
    if not _may_issue(actor, user):
        raise PermissionDenied(_("You may issue tokens only for your own account."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the token after where it is used, e.g. “手机App”.")})
    days = DEFAULT_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("A token lasts from 1 to 365 days.")})
    prefix = secrets.token_hex(4)
    raw = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
        password_stamp=user.get_session_auth_hash(),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=token,
        changes={"name": ["", token.name], "user": ["", user.get_username()]},
    )
    return token, raw


def _may_revoke(actor: User, user: User) -> bool:
    """Whoever may issue it, and the security administrator, who keeps the tokens in force."""
    return _may_issue(actor, user) or actor.has_role(Role.SECURITY_ADMIN)


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    """Stop a token from working (audited; a revoked token stays listed)."""
    if not _may_revoke(actor, token.user):
        raise PermissionDenied(_("You may revoke tokens only of your own account."))
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=token,
        changes={"revoked_at": ["", token.revoked_at.isoformat(timespec="seconds")]},
    )


def ends_at(token: ApiToken) -> dt.datetime:
    """When the token stops working by age (a token issued without an end: 90 days on)."""
    return token.expires_at or token.created_at + dt.timedelta(days=DEFAULT_DAYS)


# The API a token of an account that holds no role but the reporter's may call.
REPORTER_API = "/api/v1/reports/"


def user_for_token(raw: str, *, address: str = "", path: str = "") -> User | None:
    """The active, unlocked user of a valid token; None for anything else (also for a
    reporter's token outside the reporter API). A use from an address the token was not
    last used from is audited."""
    if not raw.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None or ends_at(token) <= now:
        return None
    user = token.user
    if not user.is_active or user.must_change_password:
        return None
    if not constant_time_compare(token.password_stamp, user.get_session_auth_hash()):
        return None  # the password was changed or reset since the token was issued
    if active_lock(user.get_username()) is not None:
        return None
    if path and user.roles == {Role.REPORTER} and not path.startswith(REPORTER_API):
        return None
    if address and address != token.last_address:
        ApiToken.objects.filter(pk=token.pk).update(last_address=address, last_used_at=now)
        audit.record(
            actor=user,
            action=AuditAction.SIGN_IN,
            instance=token,
            message=_("API token used from a new address: %(address)s") % {"address": address},
        )
    elif token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer td_…` for the ninja API; the request acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token, address=client_address(request), path=request.path)
        if user is not None:
            request.user = user
        return user
