"""The writes of a checked ledger: bulk inserts and updates, and one audit event per row changed.

Called by `importer.apply_import` inside its transaction.
"""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core import audit, bulk, clock
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.projects import lists as key_lists
from tiaodu.projects.models import (
    AnnualPlan,
    KeyProjectList,
    ListMembership,
    Project,
    TaskForce,
)

if TYPE_CHECKING:
    from tiaodu.projects.ledger.importer import LedgerPlan, RowPlan

BATCH = 1000


# An audit event, as the values of its columns (`audit.event_values`).
Event = dict[str, Any]


def _created_events(events: audit.BulkEvents, instances: list[Any]) -> list[Event]:
    return [events.created(instance) for instance in instances]


def _unit_place(unit: OrgUnit) -> None:
    """A new unit's depth and path under its parent, once its id is known."""
    assert unit.parent is not None
    unit.depth = unit.parent.depth + 1
    unit.path = f"{unit.parent.path}{unit.pk}/"


def _write_units(events: audit.BulkEvents, units: list[OrgUnit]) -> list[Event]:
    """One insert: the ids are reserved first, so each path is known before the write."""
    bulk.insert(OrgUnit, units, before=_unit_place)
    return _created_events(events, units)


def _plan_changes(
    events: audit.BulkEvents, row: "RowPlan", created: bulk.JSONText | None
) -> dict[str, list[str]] | bulk.JSONText:
    """What an entry's event says: for a new entry, `created` (its document, made by
    `BulkEvents.created_documents`) and its lists; for another, what changed."""
    from tiaodu.projects.ledger.importer import PLAN_AUDITED

    lists = None
    if row.lists is not None and (row.lists_changed or row.plan_new):
        names = sorted(item.name for item in row.lists)
        if names != row.lists_before:
            lists = ["；".join(row.lists_before), "；".join(names)]
    if created is not None:
        return created if lists is None else audit.with_change(created, "lists", lists)
    changes = audit.diff(row.plan_before, events.snapshot(row.plan, PLAN_AUDITED))
    if lists is not None:
        changes["lists"] = lists
    return changes


def _write_memberships(
    rows: list["RowPlan"], existing: dict[int, set[int]], as_of: dt.date, year: int
) -> None:
    """The lists as the ledger states them on its as-of date: an existing entry leaves a
    list it is no longer on and joins a new one on that date, so the figures of earlier
    days keep the lists as they stood; a new entry is on its lists from the year's first
    day, as it is in the whole year's plan (as the plan form does it)."""
    removed: dict[int, set[int]] = defaultdict(set)
    added: list[ListMembership] = []
    day = key_lists.day_within(year, as_of)
    for row in rows:
        if row.lists is None or not (row.lists_changed or row.plan_new):
            continue
        wanted = {item.pk for item in row.lists}
        current = set() if row.plan_new else existing.get(row.plan.pk, set())
        removed[row.plan.pk] |= current - wanted
        start = key_lists.first_day(year) if row.plan_new else day
        added.extend(
            ListMembership(annual_plan=row.plan, key_project_list_id=pk, start=start)
            for pk in sorted(wanted - current)
        )
    pairs = [(plan_id, list_id) for plan_id, ids in removed.items() for list_id in ids]
    for part in itertools.batched(pairs, 200):
        condition = Q(pk__in=[])
        for plan_id, list_id in part:
            condition |= Q(annual_plan_id=plan_id, key_project_list_id=list_id)
        leaving = ListMembership.objects.filter(condition, end__isnull=True)
        # A membership begun on the ledger's date never stood a whole day: it goes.
        leaving.filter(start__gte=day).delete()
        leaving.update(end=day)
    bulk.insert(ListMembership, added)


def write_plan(*, actor: Actor, plan: "LedgerPlan", now: dt.datetime) -> None:
    """Insert what is new, update what changed, audit both; the caller holds the transaction.
    On PostgreSQL each table's COPY is sent while the next table is prepared
    (`bulk.writes_behind`)."""
    with audit.in_site_language(), bulk.writes_behind():
        _write_plan(actor=actor, plan=plan, now=now)


def _write_plan(*, actor: Actor, plan: "LedgerPlan", now: dt.datetime) -> None:
    named = plan.named
    assert named is not None
    made = audit.BulkEvents(actor, now)
    events: list[Event] = []
    # Parents before children: a new owner unit's parent is a region, never a new unit.
    events += _write_units(made, list(named.new_units.values()))
    people = list(named.new_people.values())
    Person.objects.bulk_create(people, batch_size=BATCH)
    events += _created_events(made, people)
    lists = list(named.new_lists.values())
    KeyProjectList.objects.bulk_create(lists, batch_size=BATCH)
    events += _created_events(made, lists)

    rows = plan.rows
    new_plans = [row.plan for row in rows if row.plan_new]
    # Taken now, before the first COPY: later, the query would wait for the COPYs sent.
    plan_ids = bulk.reserve_ids(AnnualPlan, len(new_plans)) if new_plans else []
    new_projects = [row.project for row in rows if row.project_new]
    for project in new_projects:
        project.created_at = now  # made by the import, at its moment
    bulk.insert(Project, new_projects)
    changed_projects = [row for row in rows if not row.project_new and row.project_fields]
    project_fields = sorted({name for row in changed_projects for name in row.project_fields})
    for row in changed_projects:
        row.project.updated_at = now
    if changed_projects:
        Project.objects.bulk_update(
            [row.project for row in changed_projects],
            [*project_fields, "updated_at"],
            batch_size=BATCH,
        )
    # Each stage's events go in as they are made, a batch at a time, so that the import
    # never holds them all (the order, and so the ids, as if they went in at the end).
    audit.record_values(events)
    audit.record_values(_project_events(made, rows))

    for row in rows:
        if row.plan_new:
            # The entry was made with its project (`Blank`): the insert takes the project's
            # id, which it has now, from there (`bulk.insert`).
            row.plan.created_at = now
    bulk.insert(AnnualPlan, new_plans, ids=plan_ids)
    changed_plans = [row for row in rows if not row.plan_new and row.plan_fields]
    plan_fields = sorted({name for row in changed_plans for name in row.plan_fields})
    for row in changed_plans:
        row.plan.updated_at = now
    if changed_plans:
        AnnualPlan.objects.bulk_update(
            [row.plan for row in changed_plans], [*plan_fields, "updated_at"], batch_size=BATCH
        )
    audit.record_values(_plan_events(made, rows))
    # A ledger without a date (it states no year-to-date figure) changes the lists today.
    _write_memberships(rows, plan.memberships, plan.as_of or clock.today(), plan.year)
    audit.record_values(_write_task_force_heads(made, rows, now))


def _project_events(events: audit.BulkEvents, rows: list["RowPlan"]) -> Iterator[Event]:
    for part in itertools.batched(rows, BATCH):
        new = [row.project for row in part if row.project_new]
        created = iter(events.created_documents(new))
        for row in part:
            if row.project_new:
                yield events.event(AuditAction.CREATE, row.project, next(created))
            elif row.project_fields:
                changes = audit.diff(row.project_before, events.snapshot(row.project))
                yield events.event(AuditAction.UPDATE, row.project, changes)


def _plan_events(events: audit.BulkEvents, rows: list["RowPlan"]) -> Iterator[Event]:
    from tiaodu.projects.ledger.importer import PLAN_AUDITED

    for part in itertools.batched(rows, BATCH):
        new = [row.plan for row in part if row.plan_new]
        created = iter(events.created_documents(new, PLAN_AUDITED))
        for row in part:
            if row.plan_new or row.plan_fields or row.lists_changed:
                changes = _plan_changes(events, row, next(created) if row.plan_new else None)
                if changes and changes != "{}":
                    action = AuditAction.CREATE if row.plan_new else AuditAction.UPDATE
                    yield events.event(action, row.plan, changes, parent=row.project)


def _write_task_force_heads(
    events_: audit.BulkEvents, rows: list["RowPlan"], now: dt.datetime
) -> list[Event]:
    """The heads the ledger names: a project's task force gets its new head, or, when the
    project has none, a task force is made for it (rare: one write per such row)."""
    events: list[Event] = []
    for row in rows:
        head = row.task_force_head
        if head is None:
            continue
        force = row.task_force
        if force is None:
            force = TaskForce(
                name=(_("%(project)s task force") % {"project": row.project.name})[:100],
                head=head,
            )
            force.save()
            force.projects.add(row.project)
            events.append(events_.created(force))
            continue
        before = audit.snapshot(force, ["head"])
        force.head = head
        force.updated_at = now
        force.save(update_fields=["head", "updated_at"])
        changes = audit.diff(before, audit.snapshot(force, ["head"]))
        events.append(events_.event(AuditAction.UPDATE, force, changes))
    return events
