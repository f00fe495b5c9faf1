"""The only writers of users, roles, people and the security policy. Every write is audited.
Org units are `accounts.org_units`."""

from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts import policy
from tiaodu.accounts.models import (
    OrgUnit,
    PasswordHistory,
    Person,
    SecurityPolicy,
    User,
    UserRole,
)
from tiaodu.accounts.permissions import grants_roles, manages_accounts, sets_security_policy
from tiaodu.core import audit
from tiaodu.core.roles import ADMINISTRATOR_ROLES, OUTSIDE_ROLES, Role
from tiaodu.core.scoping import Actor


def _check_role_combination(user: User, role: str) -> None:
    held = set(user.role_assignments.values_list("role", flat=True)) | {role}
    administrators = held & ADMINISTRATOR_ROLES
    if administrators and len(held) > 1:
        raise ValidationError(
            _(
                "The system administrator, security administrator and auditor are separate "
                "people: an account with one of these roles can hold no other role."
            ),
            code="separation_of_duties",
        )
    if held & OUTSIDE_ROLES and len(held) > 1:
        raise ValidationError(
            _(
                "A financial institution's account is outside the commission: it can hold "
                "no other role."
            ),
            code="outside_account",
        )


def is_administrator(user: User) -> bool:
    """Whether the account holds one of the three administrator roles (read afresh)."""
    return UserRole.objects.filter(user_id=user.pk, role__in=ADMINISTRATOR_ROLES).exists()


def needs_confirmation(message: str) -> ValidationError:
    """The refusal of an act on an administrator's account done by one administrator alone."""
    return ValidationError(message, code="needs_confirmation")


def _require_role_granter(actor: Actor | None) -> None:
    """Roles are the security administrator's to give and take away (DOMAIN.md §2); a
    command or the site's set-up (no actor) gives them too."""
    if actor is not None and not grants_roles(actor):
        raise PermissionDenied(_("Only the security administrator gives and takes away roles."))


def check_role_grant(
    user: User, role: str, org_unit: OrgUnit | None = None, assigned_only: bool = False
) -> None:
    """Refuse a role the account may not hold, or one without the unit it needs."""
    _check_role_combination(user, role)
    if role in {Role.DISPATCHER, Role.DEPARTMENT_HANDLER, Role.REPORTER} and org_unit is None:
        raise ValidationError({"org_unit": _("This role needs the unit whose data it covers.")})
    if role == Role.LEADER and org_unit is None and not assigned_only:
        raise ValidationError(
            {"org_unit": _("A leader needs a region, or “assigned projects only”.")}
        )
    if role == Role.DISPATCHER and org_unit is not None and not org_unit.is_region:
        raise ValidationError({"org_unit": _("A dispatcher's unit must be a region.")})


@transaction.atomic
def assign_role(
    *,
    actor: Actor | None,
    user: User,
    role: str,
    org_unit: OrgUnit | None = None,
    assigned_only: bool = False,
) -> UserRole:
    """Give a user a role anchored at a unit: the security administrator's act.

    Refuses to combine the administrator roles; an administrator role is given only on a
    request a second administrator confirms (`accounts.confirmations`).
    """
    _require_role_granter(actor)
    User.objects.select_for_update().filter(pk=user.pk).first()
    check_role_grant(user, role, org_unit, assigned_only)
    if actor is not None and role in ADMINISTRATOR_ROLES:
        raise needs_confirmation(
            _(
                "An administrator role is given only with a second administrator's "
                "confirmation: ask for it, and another administrator confirms it."
            )
        )
    return give_role(
        actor=actor, user=user, role=role, org_unit=org_unit, assigned_only=assigned_only
    )


def give_role(
    *,
    actor: Actor | None,
    user: User,
    role: str,
    org_unit: OrgUnit | None = None,
    assigned_only: bool = False,
    message: str = "",
) -> UserRole:
    """Write a role the checks allowed, with its audit event (inside the caller's
    transaction: `assign_role`, or the confirmation of a request)."""
    assignment = UserRole(user=user, role=role, org_unit=org_unit, assigned_only=assigned_only)
    assignment.full_clean()
    assignment.save()
    if hasattr(user, "_scope_grants"):
        del user._scope_grants
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        instance=assignment,
        parent=user,
        changes=audit.diff({}, audit.snapshot(assignment)),
        message=message,
    )
    return assignment


@transaction.atomic
def remove_role(*, actor: Actor | None, assignment: UserRole) -> None:
    """Take a role away from a user: the security administrator's act; an administrator
    role only on a request a second administrator confirms."""
    _require_role_granter(actor)
    if actor is not None and assignment.role in ADMINISTRATOR_ROLES:
        raise needs_confirmation(
            _(
                "An administrator role is taken away only with a second administrator's "
                "confirmation: ask for it, and another administrator confirms it."
            )
        )
    take_role(actor=actor, assignment=assignment)


def take_role(*, actor: Actor | None, assignment: UserRole, message: str = "") -> None:
    """Delete a role the checks allowed, with its audit event; never the last active
    holder's of an administrator role (`check_not_last`)."""
    check_not_last(assignment.user, [assignment.role])
    audit.record(
        actor=actor,
        action=audit.AuditAction.DELETE,
        instance=assignment,
        parent=assignment.user,
        changes=audit.diff(audit.snapshot(assignment), {}),
        message=message,
    )
    assignment.delete()


@transaction.atomic
def create_user(
    *,
    actor: Actor | None,
    username: str,
    password: str | None,
    display_name: str = "",
    org_unit: OrgUnit | None = None,
    email: str = "",
    phone: str = "",
    must_change_password: bool = False,
) -> User:
    """Create an account whose password passes the site's password policy; with no
    password, an account that cannot sign in (its password unusable, nothing hashed), for
    a person whose past work is recorded on the site. A first password an administrator
    chose can be marked to be changed at the first sign-in."""
    user = User(
        username=username.strip(),
        display_name=display_name,
        org_unit=org_unit,
        email=email,
        phone=phone,
    )
    user.full_clean(exclude=["password"])
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.must_change_password = must_change_password
    user.save()
    audit.record_create(actor=actor, instance=user)
    return user


@transaction.atomic
def update_user(*, actor: Actor | None, user: User, **fields: Any) -> User:
    """Change an account's profile fields (not its password).

    No one deactivates their own account. An administrator's account is deactivated or
    activated, and its username changed, only on the security administrator's request a
    second administrator confirms (`accounts.confirmations`); its name, phone and email are
    edited directly. No change leaves the site without an active holder of each
    administrator role (`check_not_last`).
    """
    stored = User.objects.select_for_update().get(pk=user.pk)
    deactivating = "is_active" in fields and not fields["is_active"] and stored.is_active
    activating = bool(fields.get("is_active")) and not stored.is_active
    renaming = "username" in fields and fields["username"] != stored.username
    if deactivating:
        refuse_own_deactivation(actor, user)
    if actor is not None and is_administrator(user):
        if deactivating or activating:
            raise needs_confirmation(
                _(
                    "An administrator's account is deactivated or activated only at the "
                    "security administrator's request, confirmed by a second administrator."
                )
            )
        if renaming:
            raise needs_confirmation(
                _(
                    "An administrator's username is changed only at the security "
                    "administrator's request, confirmed by a second administrator."
                )
            )
    if deactivating:
        check_not_last(user)
    before = audit.snapshot(user, USER_AUDITED_FIELDS)
    for key, value in fields.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        instance=user,
        changes=audit.diff(before, audit.snapshot(user, USER_AUDITED_FIELDS)),
    )
    return user


def refuse_own_deactivation(actor: Actor | None, user: User) -> None:
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="own_account")


def check_not_last(user: User, roles: list[str] | None = None) -> None:
    """Refuse to take from an active account (by deactivating it, or taking one of `roles`
    away) an administrator role no other active account holds: the site always keeps an
    active system administrator, security administrator and auditor. The other holders'
    rows are locked until the transaction ends, so two such acts at once cannot both pass."""
    held = UserRole.objects.filter(
        user_id=user.pk,
        user__is_active=True,
        role__in=ADMINISTRATOR_ROLES if roles is None else set(roles) & ADMINISTRATOR_ROLES,
    ).values_list("role", flat=True)
    for role in held:
        others = (
            UserRole.objects.select_for_update()
            .filter(role=role, user__is_active=True)
            .exclude(user_id=user.pk)
        )
        if not list(others.values_list("pk", flat=True)):
            raise ValidationError(
                _(
                    "%(name)s is the site's last active %(role)s, and the site cannot be left "
                    "without one: first give the role to another account."
                )
                % {"name": user, "role": Role(role).label},
                code="last_administrator",
            )


def check_username(user: User, username: str) -> str:
    """The username the account may take (well formed, not another account's); returned
    stripped."""
    username = username.strip()
    if username == user.username:
        raise ValidationError(
            {"username": _("This is already the account's username.")}, code="same_username"
        )
    candidate = User(pk=user.pk, username=username, display_name=user.display_name)
    candidate._state.adding = False
    candidate.full_clean(exclude=["password", "display_name", "org_unit", "email", "phone"])
    return username


def set_active(*, actor: Actor | None, user: User, active: bool, message: str = "") -> None:
    """Deactivate or activate an account the checks allowed, with its audit event (inside
    the confirmation of a request); never the last active holder of an administrator role."""
    if not active:
        check_not_last(user)
    before = audit.snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        instance=user,
        changes=audit.diff(before, audit.snapshot(user, ["is_active"])),
        message=message,
    )


def set_username(*, actor: Actor | None, user: User, username: str, message: str = "") -> None:
    """Give the account the new username (checked again), with its audit event."""
    username = check_username(user, username)
    before = audit.snapshot(user, ["username"])
    user.username = username
    user.save(update_fields=["username"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        instance=user,
        changes=audit.diff(before, audit.snapshot(user, ["username"])),
        message=message,
    )


USER_AUDITED_FIELDS = ["username", "display_name", "org_unit", "email", "phone", "is_active"]


def _set_password(user: User, new_password: str, *, must_change: bool) -> None:
    """Keep the old hash in the history, then set the new one (the policy already checked)."""
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])


@transaction.atomic
def change_password(*, actor: Actor | None, user: User, new_password: str) -> None:
    """Set a new password that passes the policy, keeping the old hash in the history.

    A password the system administrator reset no longer has to be changed after this.
    """
    validate_password(new_password, user)
    _set_password(user, new_password, must_change=False)
    audit.record(actor=actor, action=audit.AuditAction.PASSWORD_CHANGE, instance=user)


def refuse_own_reset(actor: Actor | None, user: User) -> None:
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("You cannot reset your own password here: change it with your current password."),
            code="own_password",
        )


@transaction.atomic
def reset_password(*, actor: User | None, user: User, new_password: str) -> None:
    """The system administrator gives another account a temporary password.

    The temporary password passes the policy; the account must choose a new one at its
    next sign-in. A lock on the account stays: lifting it is the security administrator's
    (`lockout.unlock`). An administrator's password is reset only on the security
    administrator's request, confirmed by a second administrator (`accounts.confirmations`).
    """
    refuse_own_reset(actor, user)
    if actor is not None:
        if is_administrator(user):
            raise needs_confirmation(
                _(
                    "An administrator's password is reset only at the security administrator's "
                    "request, confirmed by a second administrator."
                )
            )
        if not manages_accounts(actor):
            raise PermissionDenied(
                _("Only the system administrator resets the password of an account.")
            )
    validate_password(new_password, user)
    with audit.in_site_language():
        message = _("reset by administrator")
    set_reset_password(
        actor=actor, user=user, password_hash=make_password(new_password), message=message
    )


def set_reset_password(
    *, actor: Actor | None, user: User, password_hash: str, message: str
) -> None:
    """Give the account a temporary password, already hashed, that it must change at its
    next sign-in (the old hash kept in the history), with its audit event."""
    before = audit.snapshot(user, ["must_change_password"])
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.password = password_hash
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(
        actor=actor,
        action=audit.AuditAction.PASSWORD_CHANGE,
        instance=user,
        changes=audit.diff(before, audit.snapshot(user, ["must_change_password"])),
        message=message,
    )


@transaction.atomic
def create_person(*, actor: Actor | None, name: str, **fields: Any) -> Person:
    """Record a named official (leader, responsible person, service officer)."""
    person = Person(name=name.strip(), **fields)
    person.full_clean()
    person.save()
    audit.record_create(actor=actor, instance=person)
    return person


@transaction.atomic
def update_person(*, actor: Actor | None, person: Person, **fields: Any) -> Person:
    before = audit.snapshot(person)
    for key, value in fields.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    audit.record_update(actor=actor, instance=person, before=before)
    return person


@transaction.atomic
def update_security_policy(*, actor: User, **values: Any) -> SecurityPolicy:
    """The security administrator sets the policy (every tunable value and the roles that
    sign in in two steps); a value outside its bounds refuses the whole change. Audited with
    the values before and after (before the first save: the settings' values)."""
    if not sets_security_policy(actor):
        raise PermissionDenied(_("Only the security administrator sets the security policy."))
    unknown = set(values) - set(policy.LABELS)
    if unknown:
        raise ValidationError(_("Unknown policy values: %(names)s") % {"names": sorted(unknown)})
    before = policy.in_force()
    checked = policy.checked({**before, **values})
    row = SecurityPolicy.objects.select_for_update().filter(pk=SecurityPolicy.SINGLETON).first()
    if row is None:
        row = SecurityPolicy(pk=SecurityPolicy.SINGLETON, **checked)
    else:
        for field, value in checked.items():
            setattr(row, field, value)
    row.updated_by = actor
    row.save()
    policy.forget()
    changes = audit.diff(policy.described(before), policy.described(checked))
    if changes:
        audit.record(actor=actor, action=audit.AuditAction.UPDATE, instance=row, changes=changes)
    return row
