"""The one scoping function: which rows of domain data an actor may see.

Every selector that reads domain data ends in `restrict(queryset, actor)`. A model that
holds scoped data declares `scope_fields`, naming the lookups by which each role reaches
it; the rules per role live here and nowhere else (DOMAIN.md §2, docs/adr/0003-scoping.md).

The apps' write and page checks (`<app>/permissions.py`) read the same grants through the
helpers below: the paths of an actor's grants of some roles (`grant_paths`,
`dispatcher_paths`), whether a path lies in one of them (`covers`), and what an actor is to
one object placed in the tree (`relations_to`, given the object's `Place`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models
from django.db.models import Q

from tiaodu.core.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


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

    def through(self, relation: str) -> "ScopeFields":
        """The same reach from a model related to this one by `relation` (a report's or a
        card's rows are reached as their project's: `Project.scope_fields.through("project")`)."""

        def path(lookup: str | None) -> str | None:
            return None if lookup is None else f"{relation}__{lookup}"

        return ScopeFields(
            region_path=path(self.region_path),
            owner_unit_path=path(self.owner_unit_path),
            responsible_unit_path=path(self.responsible_unit_path),
            leader_users=tuple(f"{relation}__{lookup}" for lookup in self.leader_users),
            service_officer_users=tuple(
                f"{relation}__{lookup}" for lookup in self.service_officer_users
            ),
        )


class Actor(Protocol):
    """Whoever acts through the services and reads through the selectors: what every actor
    has. A signed-in `accounts.User` is one (core cannot import it); analytics' whole-site
    reader of `manage.py stats` is the other."""

    pk: Any

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...

    def scope_grants(self) -> list[Grant]: ...


# Whoever a request carries: a signed-in actor, Django's anonymous user, or nobody (a
# command). The checks answer no for the last two.
type Someone = Actor | AnonymousUser | None


def grants_of(actor: Someone) -> list[Grant]:
    """The grants of a signed-in actor; none for the anonymous user or nobody."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    grants: Callable[[], list[Grant]] | None = getattr(actor, "scope_grants", None)
    return grants() if grants is not None else []


def holds(actor: Someone, *roles: str) -> bool:
    """Whether a signed-in actor holds at least one of the roles, wherever anchored."""
    return any(grant.role in roles for grant in grants_of(actor))


def grant_paths(actor: Someone, *roles: str) -> list[str]:
    """The tree paths at which the actor holds one of the roles (unanchored grants left out)."""
    return [g.unit_path for g in grants_of(actor) if g.role in roles and g.unit_path]


def dispatcher_paths(actor: Someone) -> list[str]:
    """The region paths the actor dispatches (its dispatcher grants)."""
    return grant_paths(actor, Role.DISPATCHER)


def covers(paths: Iterable[str], path: str) -> bool:
    """Whether the org unit at `path` lies in the subtree of one of `paths` (an empty path
    is no subtree: an unanchored grant covers nothing)."""
    return bool(path) and any(mine and path.startswith(mine) for mine in paths)


@dataclass(frozen=True)
class Place:
    """Where one object sits for the grants: its tree paths and the users it names (the
    values behind a model's `scope_fields`, read from one row)."""

    region_path: str = ""
    owner_unit_path: str = ""
    responsible_unit_path: str = ""
    leader_ids: tuple[Any, ...] = ()
    service_officer_ids: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Relations:
    """What an actor is to one object: the paths of its dispatcher grants over the object's
    region (a city dispatcher and a district one differ in the workflows), and whether it
    is the owner unit's reporter, the responsible department's handler, a leader over it
    or its service officer."""

    dispatching: tuple[str, ...] = ()
    reporter: bool = False
    handler: bool = False
    leader: bool = False
    service_officer: bool = False

    @property
    def dispatcher(self) -> bool:
        return bool(self.dispatching)


def relations_to(actor: Someone, place: Place) -> Relations:
    """The actor's relations to the object at `place` (all false for an anonymous one)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Relations()
    grants = grants_of(actor)
    dispatching = tuple(
        g.unit_path
        for g in grants
        if g.role == Role.DISPATCHER and covers([g.unit_path], place.region_path)
    )

    def over(role: str, path: str) -> bool:
        return any(g.role == role and covers([g.unit_path], path) for g in grants)

    region_leader = any(
        g.role == Role.LEADER and not g.assigned_only and covers([g.unit_path], place.region_path)
        for g in grants
    )
    assigned_leader = actor.pk in place.leader_ids and any(
        g.role == Role.LEADER and g.assigned_only for g in grants
    )
    return Relations(
        dispatching=dispatching,
        reporter=over(Role.REPORTER, place.owner_unit_path),
        handler=over(Role.DEPARTMENT_HANDLER, place.responsible_unit_path),
        leader=region_leader or assigned_leader,
        service_officer=actor.pk is not None and actor.pk in place.service_officer_ids,
    )


def _subtree(lookup: str | None, path: str) -> Q | None:
    if lookup is None or not path:
        return None
    return Q(**{f"{lookup}__startswith": path})


def _any_user(lookups: tuple[str, ...], actor_pk: Any) -> Q | None:
    condition: Q | None = None
    for lookup in lookups:
        term = Q(**{lookup: actor_pk})
        condition = term if condition is None else condition | term
    return condition


def opens_by_account(grant: Grant) -> bool:
    """Whether the grant opens rows by the account that holds it (a leader's assigned
    projects, a service officer's), not by the unit it is anchored at: two accounts holding
    it at one unit see different rows (`grant_condition`)."""
    return grant.role == Role.SERVICE_OFFICER or (grant.role == Role.LEADER and grant.assigned_only)


def grant_condition(grant: Grant, fields: ScopeFields, actor_pk: Any) -> Q | None:
    """The rows one grant of the actor whose key is `actor_pk` opens, or None when it opens
    nothing."""
    match grant.role:
        case Role.DISPATCHER:
            return _subtree(fields.region_path, grant.unit_path)
        case Role.LEADER if grant.assigned_only:
            return _any_user(fields.leader_users, actor_pk)
        case Role.LEADER:
            return _subtree(fields.region_path, grant.unit_path)
        case Role.DEPARTMENT_HANDLER:
            return _subtree(fields.responsible_unit_path, grant.unit_path)
        case Role.SERVICE_OFFICER:
            return _any_user(fields.service_officer_users, actor_pk)
        case Role.REPORTER:
            return _subtree(fields.owner_unit_path, grant.unit_path)
        case _:
            # Administrators and the auditor read no business data.
            return None


def scope_condition(actor: Someone, fields: ScopeFields) -> Q | None:
    """The union of what the actor's grants open; None when they open nothing (the
    anonymous user and nobody hold no grants)."""
    condition: Q | None = None
    for grant in grants_of(actor):
        term = grant_condition(grant, fields, actor.pk if actor is not None else None)
        if term is not None:
            condition = term if condition is None else condition | term
    return condition


def restrict[M: models.Model](queryset: models.QuerySet[M], actor: Someone) -> models.QuerySet[M]:
    """The rows of `queryset` that `actor` may see; an empty queryset when none."""
    fields: ScopeFields | None = getattr(queryset.model, "scope_fields", None)
    if fields is None:
        raise TypeError(f"{queryset.model.__name__} declares no scope_fields")
    condition = scope_condition(actor, fields)
    if condition is None:
        return queryset.none()
    # Lookups across to-many relations (none today) would duplicate rows.
    return queryset.filter(condition)
