"""The one scoping function: which rows of domain data an actor may see.

Every selector that reads domain data ends in `restrict(queryset, actor)`. A model that
holds scoped data declares `scope_fields`, naming the lookups by which each role reaches
it; the rules per role live here and nowhere else (DOMAIN.md §2, docs/adr/0003-scoping.md).
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import Q

from tiaodu.core.roles import Role


@dataclass(frozen=True)
class Grant:
    """One role an actor holds, anchored at an org unit's tree path."""

    role: str
    unit_path: str = ""
    assigned_only: bool = False


@dataclass(frozen=True)
class ScopeFields:
    """How a model's rows are reached: lookups to tree paths and to assigned users."""

    region_path: str | None = None
    owner_unit_path: str | None = None
    responsible_unit_path: str | None = None
    leader_users: tuple[str, ...] = ()
    service_officer_users: tuple[str, ...] = ()


class Actor(Protocol):
    pk: Any
    is_authenticated: bool

    def scope_grants(self) -> list[Grant]: ...


def _subtree(lookup: str | None, path: str) -> Q | None:
    if lookup is None or not path:
        return None
    return Q(**{f"{lookup}__startswith": path})


def _any_user(lookups: tuple[str, ...], actor: Actor) -> Q | None:
    condition: Q | None = None
    for lookup in lookups:
        term = Q(**{lookup: actor.pk})
        condition = term if condition is None else condition | term
    return condition


def grant_condition(grant: Grant, fields: ScopeFields, actor: Actor) -> Q | None:
    """The rows one grant opens, or None when it opens nothing."""
    match grant.role:
        case Role.DISPATCHER:
            return _subtree(fields.region_path, grant.unit_path)
        case Role.LEADER if grant.assigned_only:
            return _any_user(fields.leader_users, actor)
        case Role.LEADER:
            return _subtree(fields.region_path, grant.unit_path)
        case Role.DEPARTMENT_HANDLER:
            return _subtree(fields.responsible_unit_path, grant.unit_path)
        case Role.SERVICE_OFFICER:
            return _any_user(fields.service_officer_users, actor)
        case Role.REPORTER:
            return _subtree(fields.owner_unit_path, grant.unit_path)
        case _:
            # Administrators and the auditor read no business data.
            return None


def scope_condition(actor: Actor | None, fields: ScopeFields) -> Q | None:
    """The union of what the actor's grants open; None when they open nothing."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    condition: Q | None = None
    for grant in actor.scope_grants():
        term = grant_condition(grant, fields, actor)
        if term is not None:
            condition = term if condition is None else condition | term
    return condition


def restrict[M: models.Model](
    queryset: models.QuerySet[M], actor: Actor | None
) -> models.QuerySet[M]:
    """The rows of `queryset` that `actor` may see; an empty queryset when none."""
    fields: ScopeFields | None = getattr(queryset.model, "scope_fields", None)
    if fields is None:
        raise TypeError(f"{queryset.model.__name__} declares no scope_fields")
    condition = scope_condition(actor, fields)
    if condition is None:
        return queryset.none()
    # Lookups across to-many relations (none today) would duplicate rows.
    return queryset.filter(condition)
