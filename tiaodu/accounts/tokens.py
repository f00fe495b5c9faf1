"""API tokens: issue (shown once), revoke, and authenticate a bearer token.

A token reads `td_<prefix>_<secret>`; the prefix names it in lists, the SHA-256 digest of the
whole token finds it. `ApiTokenAuth` lets the ninja API accept `Authorization: Bearer …`
beside the session; the request then acts as the token's user, with that user's scope.
"""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from tiaodu.accounts.lockout import active_lock
from tiaodu.accounts.models import ApiToken, User
from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.core.roles import Role

PREFIX = "td_"
# last_used_at is written at most this often per token (not on every request).
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _may_issue(actor: User | None, user: User) -> bool:
    """A user for themselves; the system administrator for any account (e.g. a phone app's)."""
    if actor is None:
        return True  # manage.py, run by the server's administrators
    return actor.pk == user.pk or actor.has_role(Role.SYSTEM_ADMIN)


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
    if days is not None and not 1 <= days <= 3660:
        raise ValidationError({"days": _("A token lasts from 1 to 3,660 days.")})
    prefix = secrets.token_hex(4)
    raw = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
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


def user_for_token(raw: str) -> User | None:
    """The active, unlocked user of a valid token; None for anything else."""
    if not raw.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = token.user
    if not user.is_active or active_lock(user.get_username()) is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer td_…` for the ninja API; the request acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
