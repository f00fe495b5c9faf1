"""Acts on an administrator's account, done only when a second administrator confirms them
(三权分立, DOMAIN.md §2; docs/administration.md, "Acts on administrators").

The security administrator asks (`request_role_grant`, `request_role_removal`,
`request_password_reset`, `request_unlock`, `request_deactivation`, `request_activation`,
`request_username_change`); a different administrator — any of the three,
neither the one who asked nor the account acted on — confirms within a day (`confirm`), and
the act is done then, inside this transaction, audited with both names; or refuses it
(`refuse`), or the one who asked withdraws it. Every step is audited. A request left
unconfirmed for a day expires (`expire_overdue`, in the daily round and whenever the
requests are listed): its status says so and the hash of a temporary password is cleared.
"""

from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaodu.accounts import lockout, second_factor, services
from tiaodu.accounts.models import (
    AccountLock,
    AdminActionKind,
    AdminActionRequest,
    AdminActionStatus,
    OrgUnit,
    User,
    UserRole,
)
from tiaodu.accounts.permissions import confirms_admin_actions, grants_roles
from tiaodu.core import audit
from tiaodu.core.roles import ADMINISTRATOR_ROLES

LIFETIME = timedelta(hours=24)
AUDITED_FIELDS = [
    "kind",
    "target",
    "role",
    "new_username",
    "status",
    "requested_by",
    "expires_at",
    "decided_by",
]


def _require_requester(actor: User) -> None:
    if not grants_roles(actor):
        raise PermissionDenied(
            _("Only the security administrator asks for an act on an administrator's account.")
        )


def _require_administrator_target(user: User) -> None:
    if not services.is_administrator(user):
        raise ValidationError(
            _("%(name)s is not an administrator: no second administrator's confirmation is needed.")
            % {"name": user},
            code="not_an_administrator",
        )


def _refuse_twin(kind: str, user: User) -> None:
    if open_requests().filter(kind=kind, target=user).exists():
        raise ValidationError(
            _("The same act on %(name)s is already waiting for confirmation.") % {"name": user},
            code="already_requested",
        )


def _create(
    *,
    actor: User,
    kind: str,
    target: User,
    role: str = "",
    password: str = "",
    new_username: str = "",
) -> AdminActionRequest:
    now = timezone.now()
    request = AdminActionRequest.objects.create(
        kind=kind,
        target=target,
        role=role,
        password=password,
        new_username=new_username,
        requested_by=actor,
        requested_at=now,
        expires_at=now + LIFETIME,
    )
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        instance=request,
        parent=target,
        changes=audit.diff({}, audit.snapshot(request, AUDITED_FIELDS)),
    )
    return request


@transaction.atomic
def request_role_grant(
    *, actor: User, user: User, role: str, org_unit: OrgUnit | None = None
) -> AdminActionRequest:
    """Ask that the account be given an administrator role (making it an administrator's)."""
    _require_requester(actor)
    if role not in ADMINISTRATOR_ROLES:
        raise ValidationError(
            {"role": _("Only an administrator role needs a second administrator's confirmation.")}
        )
    services.check_role_grant(user, role, org_unit)
    _refuse_twin(AdminActionKind.GRANT_ROLE, user)
    return _create(actor=actor, kind=AdminActionKind.GRANT_ROLE, target=user, role=role)


@transaction.atomic
def request_role_removal(*, actor: User, assignment: UserRole) -> AdminActionRequest:
    """Ask that an administrator role be taken away from its account."""
    _require_requester(actor)
    if assignment.role not in ADMINISTRATOR_ROLES:
        raise ValidationError(
            _("Only an administrator role needs a second administrator's confirmation."),
            code="not_an_administrator",
        )
    services.check_not_last(assignment.user, [assignment.role])
    _refuse_twin(AdminActionKind.REMOVE_ROLE, assignment.user)
    return _create(
        actor=actor,
        kind=AdminActionKind.REMOVE_ROLE,
        target=assignment.user,
        role=assignment.role,
    )


@transaction.atomic
def request_password_reset(*, actor: User, user: User, new_password: str) -> AdminActionRequest:
    """Ask that an administrator be given a temporary password (checked by the password
    policy now; only its hash is kept until the confirmation sets it)."""
    _require_requester(actor)
    services.refuse_own_reset(actor, user)
    _require_administrator_target(user)
    validate_password(new_password, user)
    _refuse_twin(AdminActionKind.RESET_PASSWORD, user)
    return _create(
        actor=actor,
        kind=AdminActionKind.RESET_PASSWORD,
        target=user,
        password=make_password(new_password),
    )


@transaction.atomic
def request_unlock(*, actor: User, lock: AccountLock) -> AdminActionRequest:
    """Ask that the lock on an administrator's account be lifted before it runs out."""
    _require_requester(actor)
    user = User.objects.filter(username=lock.username).first()
    if user is None or not lock.is_active_at(timezone.now()):
        raise ValidationError(_("This lock has already ended."), code="lock_ended")
    _require_administrator_target(user)
    _refuse_twin(AdminActionKind.UNLOCK, user)
    return _create(actor=actor, kind=AdminActionKind.UNLOCK, target=user)


@transaction.atomic
def request_second_factor_reset(*, actor: User, user: User) -> AdminActionRequest:
    """Ask that an administrator's two-step sign-in be reset (a lost phone)."""
    _require_requester(actor)
    _require_administrator_target(user)
    if not TOTPDevice.objects.filter(user=user).exists():
        raise ValidationError(
            _("%(name)s has not set up two-step sign-in.") % {"name": user}, code="no_device"
        )
    _refuse_twin(AdminActionKind.RESET_SECOND_FACTOR, user)
    return _create(actor=actor, kind=AdminActionKind.RESET_SECOND_FACTOR, target=user)


@transaction.atomic
def request_deactivation(*, actor: User, user: User) -> AdminActionRequest:
    """Ask that an administrator's account be deactivated (never one's own, never the last
    active holder of an administrator role)."""
    _require_requester(actor)
    services.refuse_own_deactivation(actor, user)
    _require_administrator_target(user)
    if not user.is_active:
        raise ValidationError(
            _("%(name)s is already deactivated.") % {"name": user}, code="already_inactive"
        )
    services.check_not_last(user)
    _refuse_twin(AdminActionKind.DEACTIVATE, user)
    return _create(actor=actor, kind=AdminActionKind.DEACTIVATE, target=user)


@transaction.atomic
def request_activation(*, actor: User, user: User) -> AdminActionRequest:
    """Ask that a deactivated administrator's account may sign in again."""
    _require_requester(actor)
    _require_administrator_target(user)
    if user.is_active:
        raise ValidationError(
            _("%(name)s is already active.") % {"name": user}, code="already_active"
        )
    _refuse_twin(AdminActionKind.ACTIVATE, user)
    return _create(actor=actor, kind=AdminActionKind.ACTIVATE, target=user)


@transaction.atomic
def request_username_change(*, actor: User, user: User, username: str) -> AdminActionRequest:
    """Ask that an administrator's account sign in under another username (checked now and
    again at the confirmation)."""
    _require_requester(actor)
    _require_administrator_target(user)
    username = services.check_username(user, username)
    _refuse_twin(AdminActionKind.CHANGE_USERNAME, user)
    return _create(
        actor=actor, kind=AdminActionKind.CHANGE_USERNAME, target=user, new_username=username
    )


def open_requests(now: datetime | None = None) -> QuerySet[AdminActionRequest]:
    """The requests still waiting for a second administrator (not yet expired)."""
    return AdminActionRequest.objects.filter(
        status=AdminActionStatus.PENDING, expires_at__gt=now or timezone.now()
    )


def may_confirm(actor: User, request: AdminActionRequest) -> bool:
    """An active administrator who neither asked for the act nor is the account it acts on."""
    return (
        actor.is_active
        and confirms_admin_actions(actor)
        and actor.pk != request.requested_by_id
        and actor.pk != request.target_id
    )


def _open_for_update(request: AdminActionRequest) -> AdminActionRequest:
    request = (
        AdminActionRequest.objects.select_for_update()
        .select_related("target", "requested_by")
        .get(pk=request.pk)
    )
    expired = request.status == AdminActionStatus.EXPIRED
    if request.status != AdminActionStatus.PENDING and not expired:
        raise ValidationError(_("This request has already been decided."), code="decided")
    if expired or request.expires_at <= timezone.now():
        raise ValidationError(
            _("This request has expired: a request is confirmed within 24 hours of asking."),
            code="expired",
        )
    return request


def _decide(request: AdminActionRequest, *, actor: User, status: str, message: str = "") -> None:
    before = audit.snapshot(request, AUDITED_FIELDS)
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.password = ""
    request.save(update_fields=["status", "decided_by", "decided_at", "password"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        instance=request,
        parent=request.target,
        changes=audit.diff(before, audit.snapshot(request, AUDITED_FIELDS)),
        message=message,
    )


@transaction.atomic
def confirm(*, actor: User, request: AdminActionRequest) -> AdminActionRequest:
    """A second administrator confirms: the act is done now, audited with both names."""
    request = _open_for_update(request)
    if not may_confirm(actor, request):
        raise PermissionDenied(
            _(
                "A second administrator confirms: not the one who asked, nor the account "
                "the act is on."
            )
        )
    requester = User.objects.get(pk=request.requested_by_id)
    if not (requester.is_active and grants_roles(requester)):
        raise ValidationError(
            _("The one who asked is no longer the security administrator: ask again."),
            code="requester_gone",
        )
    with audit.in_site_language():
        message = _("requested by %(requester)s, confirmed by %(confirmer)s") % {
            "requester": request.requested_by.get_username(),
            "confirmer": actor.get_username(),
        }
    target = User.objects.select_for_update().get(pk=request.target_id)
    if request.kind == AdminActionKind.GRANT_ROLE:
        services.check_role_grant(target, request.role)
        services.give_role(actor=actor, user=target, role=request.role, message=message)
    elif request.kind == AdminActionKind.REMOVE_ROLE:
        assignment = UserRole.objects.filter(user=target, role=request.role).first()
        if assignment is None:
            raise ValidationError(
                _("%(name)s no longer holds this role.") % {"name": target}, code="gone"
            )
        services.take_role(actor=actor, assignment=assignment, message=message)
    elif request.kind == AdminActionKind.RESET_PASSWORD:
        services.set_reset_password(
            actor=actor, user=target, password_hash=request.password, message=message
        )
    elif request.kind == AdminActionKind.DEACTIVATE:
        services.set_active(actor=actor, user=target, active=False, message=message)
    elif request.kind == AdminActionKind.ACTIVATE:
        services.set_active(actor=actor, user=target, active=True, message=message)
    elif request.kind == AdminActionKind.RESET_SECOND_FACTOR:
        second_factor.remove(actor=actor, user=target, message=message)
    elif request.kind == AdminActionKind.CHANGE_USERNAME:
        services.set_username(
            actor=actor, user=target, username=request.new_username, message=message
        )
    else:
        # Every lock in force on the account: account-wide, and from each address.
        locks = lockout.locks_in_force(target.username)
        if not locks:
            raise ValidationError(_("This lock has already ended."), code="lock_ended")
        for lock in locks:
            lockout.lift(actor=actor, lock=lock, message=message)
    _decide(request, actor=actor, status=AdminActionStatus.CONFIRMED, message=message)
    return request


@transaction.atomic
def refuse(*, actor: User, request: AdminActionRequest) -> AdminActionRequest:
    """A second administrator refuses the act, or the one who asked withdraws it; nothing
    is done to the account."""
    request = _open_for_update(request)
    if actor.pk == request.requested_by_id:
        _decide(request, actor=actor, status=AdminActionStatus.WITHDRAWN)
    elif may_confirm(actor, request):
        _decide(request, actor=actor, status=AdminActionStatus.REFUSED)
    else:
        raise PermissionDenied(
            _("Only a second administrator refuses it, or the one who asked withdraws it.")
        )
    return request


@transaction.atomic
def expire_overdue(now: datetime | None = None) -> int:
    """Mark the requests left unconfirmed past their day as expired, clearing the hash of a
    temporary password, each with its audit event; and clear any hash a request no longer
    waiting still keeps. Returns how many requests expired."""
    now = now or timezone.now()
    overdue = list(
        AdminActionRequest.objects.select_for_update()
        .filter(status=AdminActionStatus.PENDING, expires_at__lte=now)
        .select_related("target")
    )
    with audit.in_site_language():
        message = _("not confirmed within 24 hours")
    for request in overdue:
        before = audit.snapshot(request, AUDITED_FIELDS)
        request.status = AdminActionStatus.EXPIRED
        request.password = ""
        request.save(update_fields=["status", "password"])
        audit.record(
            actor=None,
            action=audit.AuditAction.UPDATE,
            instance=request,
            parent=request.target,
            changes=audit.diff(before, audit.snapshot(request, AUDITED_FIELDS)),
            message=message,
        )
    AdminActionRequest.objects.exclude(password="").exclude(
        status=AdminActionStatus.PENDING, expires_at__gt=now
    ).update(password="")
    return len(overdue)


def recent_requests() -> QuerySet[AdminActionRequest]:
    """The requests page: those still pending and every request of the last 30 days."""
    since = timezone.now() - timedelta(days=30)
    return (
        AdminActionRequest.objects.filter(
            Q(requested_at__gte=since) | Q(status=AdminActionStatus.PENDING)
        )
        .select_related("target", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


def asked_message(request: AdminActionRequest) -> str:
    """What the security administrator reads after asking."""
    return _(
        "Asked: %(act)s. It is done when a second administrator confirms it on the page "
        "“Waiting for confirmation” within 24 hours."
    ) % {"act": request}
