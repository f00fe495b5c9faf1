"""The only writers of org units, users, roles and people. Every write is audited."""

from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts import divisions, policy
from tiaodu.accounts.choices import OrgUnitKind, child_kinds
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
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.core.scoping import Actor

DIVISION_KINDS = {1: OrgUnitKind.PROVINCE, 2: OrgUnitKind.CITY, 3: OrgUnitKind.COUNTY}


def _place(unit: OrgUnit) -> None:
    unit.depth = 0 if unit.parent is None else unit.parent.depth + 1
    prefix = "/" if unit.parent is None else unit.parent.path
    unit.path = f"{prefix}{unit.pk}/"


@transaction.atomic
def create_org_unit(
    *,
    actor: Actor | None,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    region_code: str | None = None,
    **fields: Any,
) -> OrgUnit:
    """Create an org unit under `parent` with its tree path set."""
    unit = OrgUnit(name=name.strip(), kind=kind, parent=parent, region_code=region_code or None)
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.path = "/pending/"
    unit.full_clean(exclude=["path"])
    unit.save()
    _place(unit)
    unit.save(update_fields=["path", "depth"])
    audit.record_create(actor=actor, instance=unit)
    return unit


@transaction.atomic
def update_org_unit(*, actor: Actor | None, unit: OrgUnit, **fields: Any) -> OrgUnit:
    """Change an org unit; moving it under another parent rewrites its subtree's paths."""
    before = audit.snapshot(unit)
    old_path, old_depth = unit.path, unit.depth
    for key, value in fields.items():
        setattr(unit, key, value)
    if unit.parent is not None and unit.parent.path.startswith(old_path):
        raise ValidationError(
            {"parent": _("A unit cannot be moved under itself or its own subunit.")}
        )
    unit.full_clean(exclude=["path"])
    _place(unit)
    unit.save()
    if unit.path != old_path:
        _rewrite_subtree(old_path, unit.path, unit.depth - old_depth, exclude=unit.pk)
    audit.record_update(actor=actor, instance=unit, before=before)
    return unit


def _rewrite_subtree(old_path: str, new_path: str, depth_change: int, *, exclude: int) -> int:
    """Give every unit under `old_path` the new prefix and depth, in one statement; returns
    how many units changed."""
    return (
        OrgUnit.objects.filter(path__startswith=old_path)
        .exclude(pk=exclude)
        .update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_change,
        )
    )


def check_kind_under(kind: str, parent: OrgUnit | None) -> None:
    """Refuse a unit of `kind` under `parent` unless the tree's rules allow it
    (`choices.CHILD_KINDS`), saying what may sit there instead."""
    parent_kind = parent.kind if parent is not None else None
    allowed = child_kinds(parent_kind)
    if kind in allowed:
        return
    kind_label = OrgUnitKind(kind).label
    if parent is None:
        message = _("A %(kind)s cannot stand at the top of the tree.") % {"kind": kind_label}
    elif not allowed:
        message = _("Nothing can be placed under %(parent)s: it is an owner unit.") % {
            "parent": parent.name
        }
    else:
        message = _(
            "A %(kind)s cannot be placed under %(parent)s (%(parent_kind)s): only %(allowed)s can."
        ) % {
            "kind": kind_label,
            "parent": parent.name,
            "parent_kind": OrgUnitKind(parent.kind).label,
            "allowed": "、".join(str(k.label) for k in allowed),
        }
    raise ValidationError({"kind": message}, code="kind_rule")


def _check_name_free(name: str, kind: str, parent: OrgUnit | None, unit: OrgUnit | None) -> None:
    taken = OrgUnit.objects.filter(parent=parent, kind=kind, name=name)
    if unit is not None:
        taken = taken.exclude(pk=unit.pk)
    if taken.exists():
        where = parent.name if parent is not None else _("the top of the tree")
        raise ValidationError(
            {
                "name": _("%(where)s already has a unit named %(name)s of this kind.")
                % {"where": where, "name": name}
            },
            code="name_taken",
        )


@transaction.atomic
def add_org_unit(
    *, actor: Actor | None, parent: OrgUnit, name: str, kind: str, **fields: Any
) -> OrgUnit:
    """Add a child unit under `parent`, of a kind that may sit there (DOMAIN.md §2)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the unit's name.")})
    check_kind_under(kind, parent)
    _check_name_free(name, kind, parent, None)
    return create_org_unit(actor=actor, name=name, kind=kind, parent=parent, **fields)


@transaction.atomic
def move_org_unit(*, actor: Actor | None, unit: OrgUnit, parent: OrgUnit) -> int:
    """Move a unit with its whole subtree under another parent; returns how many units
    moved (the unit and those under it).

    Refuses a move under the unit itself or its own subunits, and one the kind rules do not
    allow. Who sees what follows the paths (`core.scoping`): the new parent region's
    dispatchers and leaders see the subtree's projects, the old ones no longer do; the audit
    event keeps the parents before and after.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    parent = OrgUnit.objects.get(pk=parent.pk)
    if parent.path.startswith(unit.path):
        raise ValidationError(
            {
                "parent": _(
                    "%(unit)s cannot be moved under itself or one of its own subunits (%(parent)s)."
                )
                % {"unit": unit.name, "parent": parent.name}
            },
            code="own_subtree",
        )
    if parent.pk == unit.parent_id:
        raise ValidationError(
            {
                "parent": _("%(unit)s is already under %(parent)s.")
                % {"unit": unit.name, "parent": parent.name}
            },
            code="same_parent",
        )
    check_kind_under(unit.kind, parent)
    _check_name_free(unit.name, unit.kind, parent, unit)
    before = audit.snapshot(unit, ["parent", "path", "depth"])
    old_path, old_depth = unit.path, unit.depth
    unit.parent = parent
    _place(unit)
    unit.save(update_fields=["parent", "path", "depth", "updated_at"])
    below = _rewrite_subtree(old_path, unit.path, unit.depth - old_depth, exclude=unit.pk)
    with audit.in_site_language():
        message = _("moved with %(n)d units under it") % {"n": below}
    audit.record(
        actor=actor,
        action=audit.AuditAction.UPDATE,
        instance=unit,
        changes=audit.diff(before, audit.snapshot(unit, ["parent", "path", "depth"])),
        message=message,
    )
    return below + 1


@transaction.atomic
def setup_regions(*, actor: Actor | None, region_code: str) -> tuple[OrgUnit, int, int]:
    """Create (or bring up to date) the region tree of a site from the national table.

    Idempotent: units are matched by division code; a renamed division is renamed.
    Returns the root, the number created and the number renamed.
    """
    division = divisions.get(region_code)
    if division is None:
        raise ValidationError(
            _("Division code %(code)s is not in the national table.") % {"code": region_code}
        )
    created = renamed = 0
    by_code = {u.region_code: u for u in OrgUnit.objects.filter(region_code__isnull=False)}
    root: OrgUnit | None = None
    for item in divisions.subtree(region_code):
        existing = by_code.get(item.code)
        if existing is None:
            parent = None if item.code == region_code else by_code[item.parent_code]
            existing = create_org_unit(
                actor=actor,
                name=item.name,
                kind=DIVISION_KINDS[item.level],
                parent=parent,
                region_code=item.code,
            )
            by_code[item.code] = existing
            created += 1
        elif existing.name != item.name:
            update_org_unit(actor=actor, unit=existing, name=item.name)
            renamed += 1
        if item.code == region_code:
            root = existing
    assert root is not None
    return root, created, renamed


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
def add_functional_zone(*, actor: Actor | None, parent: OrgUnit, name: str) -> tuple[OrgUnit, bool]:
    """Add a functional zone (高新区, 开发区…) under a region unless it is already there.

    Idempotent: a zone of the same name under the same parent is returned as it is.
    Returns the zone and whether it was created.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the name of the functional zone.")})
    if not parent.is_region:
        raise ValidationError(
            {"parent": _("A functional zone belongs to a city, province, district or county.")}
        )
    existing = OrgUnit.objects.filter(parent=parent, kind=OrgUnitKind.ZONE, name=name).first()
    if existing is not None:
        return existing, False
    zone = create_org_unit(actor=actor, name=name, kind=OrgUnitKind.ZONE, parent=parent)
    return zone, True


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
