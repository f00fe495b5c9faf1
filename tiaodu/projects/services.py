"""The only writers of the project library. Each call validates, writes atomically and audits."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core import audit, clock
from tiaodu.core.related import read_related
from tiaodu.core.scoping import Actor
from tiaodu.projects import lists as key_lists
from tiaodu.projects.choices import AnnualPlanNature, ProcedureStatus
from tiaodu.projects.codes import normalise_project_code
from tiaodu.projects.models import (
    PROJECT_RELATIONS,
    AnnualPlan,
    KeyProjectList,
    Procedure,
    Project,
    TaskForce,
)
from tiaodu.projects.permissions import (
    can_create_project,
    can_edit_project,
    can_edit_task_force,
    can_manage_region,
)

PROJECT_FIELDS = frozenset(
    f.name
    for f in Project._meta.get_fields()
    if getattr(f, "concrete", False) and f.name not in {"id", "created_at", "updated_at"}
)
PLAN_FIELDS = frozenset(
    {
        "nature",
        "level",
        "reserve_stage",
        "planned_investment",
        "planned_start",
        "planned_completion",
        "planned_production",
        "ytd_completed",
        "ytd_as_of",
        "bond_funds",
        "bond_funds_spent",
    }
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change this project."))


def _apply(instance: Any, fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(instance, key, value)


def _check_region(region: OrgUnit | None) -> None:
    if region is not None and not region.is_region:
        raise ValidationError({"region": _("The region must be a district, county or zone.")})


@transaction.atomic
def create_project(
    *,
    actor: Actor,
    plan: dict[str, Any] | None = None,
    lists: list[KeyProjectList] | None = None,
    **fields: Any,
) -> Project:
    """Create a project in the actor's region subtree, with its first plan entry if given."""
    _require(can_create_project(actor))
    project = Project()
    _apply(project, fields, PROJECT_FIELDS)
    project.code = normalise_project_code(project.code)
    _check_region(project.region if project.region_id else None)
    if project.region_id and not can_manage_region(actor, project.region):
        raise ValidationError({"region": _("You can only add projects in your own region.")})
    project.full_clean()
    project.save()
    audit.record_create(actor=actor, instance=project)
    if plan is not None:
        save_annual_plan(actor=actor, project=project, lists=lists, **plan)
    return project


@transaction.atomic
def update_project(*, actor: Actor, project: Project, **fields: Any) -> Project:
    """Change a project's fields; the audit event holds every changed value before and after."""
    _require(can_edit_project(actor, project))
    # The row alone is locked; the rows its snapshot names are read after it.
    locked = Project.objects.select_for_update().get(pk=project.pk)
    read_related(locked, PROJECT_RELATIONS)
    before = audit.snapshot(locked)
    _apply(project, fields, PROJECT_FIELDS)
    project.code = normalise_project_code(project.code)
    _check_region(project.region)
    if not can_manage_region(actor, project.region):
        raise ValidationError({"region": _("You can only move a project within your own region.")})
    project.full_clean()
    project.save()
    audit.record_update(actor=actor, instance=project, before=before)
    return project


def _validate_plan(plan: AnnualPlan) -> None:
    if plan.nature != AnnualPlanNature.RESERVE and plan.reserve_stage:
        raise ValidationError(
            {
                "reserve_stage": _(
                    "Only a reserve project has a reserve stage; clear it or set the nature to reserve."
                )
            }
        )
    if (
        plan.planned_start
        and plan.planned_completion
        and plan.planned_completion < plan.planned_start
    ):
        raise ValidationError(
            {"planned_completion": _("The planned completion is before the planned start.")}
        )
    _validate_bond_funds(plan)


def _validate_bond_funds(plan: AnnualPlan) -> None:
    """What is spent of the special-bond funds fits in them, and is stated as of a date (a
    negative amount is left to the field's own check)."""
    if plan.bond_funds < 0 or plan.bond_funds_spent < 0:
        return
    if plan.bond_funds_spent > plan.bond_funds:
        raise ValidationError(
            {
                "bond_funds_spent": _(
                    "The special-bond funds spent (%(spent)s, 10k yuan) cannot be more than "
                    "the funds allotted (%(funds)s); correct one of the two."
                )
                % {"spent": f"{plan.bond_funds_spent:,.2f}", "funds": f"{plan.bond_funds:,.2f}"}
            }
        )
    if plan.bond_funds_spent and plan.ytd_as_of is None:
        raise ValidationError(
            {
                "bond_funds_spent": _(
                    "Give the date the spending is stated as of (the date of the "
                    "year-to-date figures)."
                )
            }
        )


@transaction.atomic
def save_annual_plan(
    *,
    actor: Actor,
    project: Project,
    year: int,
    lists: list[KeyProjectList] | None = None,
    new_entry: bool = False,
    **fields: Any,
) -> AnnualPlan:
    """Create or change the project's plan entry for `year`, and its lists when given.

    With `new_entry`, an existing entry for that year is an error rather than overwritten.
    """
    _require(can_edit_project(actor, project))
    plan = AnnualPlan.objects.select_for_update().filter(project=project, year=year).first()
    created = plan is None
    if plan is not None:
        plan.project = project  # the same row: the snapshot names it without reading it again
    if plan is not None and new_entry:
        raise ValidationError(
            {
                "year": _("This project already has a plan entry for %(year)s; edit that one.")
                % {"year": year}
            }
        )
    if plan is None:
        plan = AnnualPlan(project=project, year=year)
    before = {} if created else audit.snapshot(plan)
    lists_before = [] if created else [item.name for item in plan.current_lists]
    _apply(plan, fields, PLAN_FIELDS)
    _validate_plan(plan)
    plan.full_clean()
    plan.save()
    after = audit.snapshot(plan)
    changes = audit.diff(before, after)
    # A list changed on an existing entry counts from today: the figures of earlier days keep
    # the lists as they stood. A new entry is in the whole year's plan, so on its lists too.
    since = key_lists.first_day(year) if created else clock.today()
    if lists is not None and key_lists.set_lists(plan, lists, since):
        lists_after = [item.name for item in plan.current_lists]
        changes["lists"] = ["；".join(lists_before), "；".join(lists_after)]
    if changes:
        audit.record(
            actor=actor,
            action=audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
            instance=plan,
            parent=project,
            changes=changes,
        )
    return plan


@transaction.atomic
def delete_annual_plan(*, actor: Actor, plan: AnnualPlan) -> None:
    """Remove a project from one year's plan."""
    _require(can_edit_project(actor, plan.project))
    audit.record_delete(actor=actor, instance=plan, parent=plan.project)
    plan.delete()


def _apply_procedure(
    procedure: Procedure, *, status: str, completed_on: date | None, document_number: str
) -> None:
    procedure.status = status
    procedure.completed_on = completed_on
    procedure.document_number = document_number.strip()
    if status == ProcedureStatus.DONE and completed_on is None:
        raise ValidationError(
            {
                "completed_on": _("Give the date the procedure %(name)s was completed.")
                % {"name": procedure.get_kind_display()}
            }
        )
    # (project, kind) is unique: the caller found the existing row, so skip that query.
    procedure.full_clean(exclude=["project"], validate_constraints=False)


@transaction.atomic
def set_procedure(
    *,
    actor: Actor,
    project: Project,
    kind: str,
    status: str,
    completed_on: date | None = None,
    document_number: str = "",
) -> Procedure:
    """Record the state of one procedure of the checklist."""
    return set_procedures(
        actor=actor,
        project=project,
        rows=[
            {
                "kind": kind,
                "status": status,
                "completed_on": completed_on,
                "document_number": document_number,
            }
        ],
    )[0]


@transaction.atomic
def set_procedures(
    *, actor: Actor, project: Project, rows: list[dict[str, Any]]
) -> list[Procedure]:
    """Record several procedures of a project at once: every row is saved, or none.

    One query reads the existing rows; new rows are inserted together; each created or
    changed row gets its own audit event.
    """
    _require(can_edit_project(actor, project))
    existing = {p.kind: p for p in Procedure.objects.select_for_update().filter(project=project)}
    created: list[Procedure] = []
    changed: list[tuple[Procedure, audit.Snapshot]] = []
    result: list[Procedure] = []
    for row in rows:
        procedure = existing.get(row["kind"])
        before = audit.snapshot(procedure) if procedure is not None else {}
        if procedure is None:
            procedure = Procedure(project=project, kind=row["kind"])
        _apply_procedure(
            procedure,
            status=row["status"],
            completed_on=row.get("completed_on"),
            document_number=row.get("document_number", ""),
        )
        result.append(procedure)
        if procedure.pk is None:
            created.append(procedure)
        elif audit.diff(before, audit.snapshot(procedure)):
            changed.append((procedure, before))
    Procedure.objects.bulk_create(created)
    if changed:
        Procedure.objects.bulk_update(
            [procedure for procedure, _before in changed],
            ["status", "completed_on", "document_number"],
        )
    events = [
        audit.build_event(
            actor=actor,
            action=audit.AuditAction.CREATE,
            instance=procedure,
            parent=project,
            changes=audit.diff({}, audit.snapshot(procedure)),
        )
        for procedure in created
    ]
    events += [
        audit.build_event(
            actor=actor,
            action=audit.AuditAction.UPDATE,
            instance=procedure,
            parent=project,
            changes=audit.diff(before, audit.snapshot(procedure)),
        )
        for procedure, before in changed
    ]
    audit.record_many(events)
    return result


@transaction.atomic
def create_key_project_list(
    *, actor: Actor | None, name: str, year: int, description: str = ""
) -> KeyProjectList:
    """Create a named list for a year."""
    item = KeyProjectList(name=name.strip(), year=year, description=description)
    item.full_clean()
    item.save()
    audit.record_create(actor=actor, instance=item)
    return item


KEY_PROJECT_LIST_FIELDS = frozenset({"name", "year", "description"})


@transaction.atomic
def update_key_project_list(
    *, actor: Actor, key_project_list: KeyProjectList, **fields: Any
) -> KeyProjectList:
    """Rename a list, move it to another year or change its description; the pair stays unique."""
    before = audit.snapshot(key_project_list)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    _apply(key_project_list, fields, KEY_PROJECT_LIST_FIELDS)
    key_project_list.full_clean()
    key_project_list.save()
    audit.record_update(actor=actor, instance=key_project_list, before=before)
    return key_project_list


@transaction.atomic
def save_task_force(
    *,
    actor: Actor,
    task_force: TaskForce | None = None,
    name: str,
    head: Person | None,
    projects: list[Project],
    members: list[Person] | None = None,
    responsible_person: Person | None = None,
    duties: str = "",
) -> TaskForce:
    """Create a task force (or change one): its head, responsible person, duties, members
    and projects. Only a dispatcher of the regions of all its projects, before and after."""
    if task_force is not None:
        task_force = TaskForce.objects.select_for_update().get(pk=task_force.pk)
        if not can_edit_task_force(actor, task_force):
            raise PermissionDenied(_("You may not change this task force."))
    elif not can_create_project(actor):
        raise PermissionDenied(_("You may not change this task force."))
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the task force a name.")
    if head is None:
        errors["head"] = _("Choose the task force's head.")
    if not projects:
        errors["projects"] = _("Choose at least one project the task force serves.")
    outside = [p.name for p in projects if not can_manage_region(actor, p.region)]
    if outside:
        errors["projects"] = _("These projects are outside your region: %(names)s.") % {
            "names": "、".join(outside)
        }
    if errors:
        raise ValidationError(errors)
    created = task_force is None
    item = TaskForce() if task_force is None else task_force
    before = {} if created else audit.snapshot(item)
    item.name = name
    item.head = head  # type: ignore[assignment]
    item.responsible_person = responsible_person
    item.duties = (duties or "").strip()
    item.full_clean()
    item.save()
    item.projects.set(projects)
    item.members.set(members or [])
    after = audit.snapshot(item)
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            actor=actor,
            action=audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
            instance=item,
            changes=changes,
        )
    return item
