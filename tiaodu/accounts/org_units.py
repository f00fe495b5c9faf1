"""The only writers of org units: the unit tree (regions from the national division table,
functional zones, departments, owner units), each write audited. Users, roles and people are
`accounts.services`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from tiaodu.accounts import divisions
from tiaodu.accounts.choices import OrgUnitKind, child_kinds
from tiaodu.accounts.models import OrgUnit
from tiaodu.core import audit
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
