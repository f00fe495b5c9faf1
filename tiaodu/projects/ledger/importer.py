"""The ledger import service: `plan_import` checks every row and writes nothing;
`apply_import` writes the plan all-or-nothing, with an audit event per created or
changed project and plan entry.

Every lookup is read once before the rows (`lookups`), so the work per row is Python,
not queries; the writes are bulk inserts and updates in batches.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit, Person
from tiaodu.core import audit, bulk, clock
from tiaodu.core.scoping import Actor, dispatcher_paths
from tiaodu.projects.ledger import dating
from tiaodu.projects.ledger.apply import write_plan
from tiaodu.projects.ledger.changes import Change, changes
from tiaodu.projects.ledger.checks import file_errors, header_errors
from tiaodu.projects.ledger.lookups import Existing, Named, Regions, first_task_forces
from tiaodu.projects.ledger.progress import CHECKING, MATCHING, WRITING, Progress, report
from tiaodu.projects.ledger.reader import Row, Sheet, read_sheet
from tiaodu.projects.ledger.rows import LedgerError, ParsedRow, RowParser
from tiaodu.projects.ledger.safety import LedgerFileError, check_ledger_file, open_source
from tiaodu.projects.models import AnnualPlan, KeyProjectList, Project, TaskForce
from tiaodu.projects.permissions import can_import_ledger

# Project fields a ledger column sets directly, with the value of a blank cell.
PROJECT_VALUES: dict[str, Any] = {
    "name": "",
    "category": "other",
    "industry": "",
    "funding_type": "",
    "construction_content": "",
    "total_investment": None,
    "contact_name": "",
    "contact_phone": "",
    "actual_start": None,
    "actual_completion": None,
    "actual_production": None,
    "statistics_inclusion": None,
    "longitude": None,
    "latitude": None,
    "remarks": "",
}
PLAN_VALUES: dict[str, Any] = {
    "level": "",
    "nature": "",
    "reserve_stage": "",
    "planned_investment": None,
    "planned_start": None,
    "planned_completion": None,
    "bond_funds": None,
}
PEOPLE = ("municipal_leader", "sponsoring_leader", "service_officer")
ZERO = AnnualPlan._meta.get_field("planned_investment").get_default()


@dataclass
class RowPlan:
    """What importing one row will do."""

    number: int
    project: Project
    plan: AnnualPlan
    project_new: bool
    plan_new: bool
    project_fields: list[str] = field(default_factory=list)
    plan_fields: list[str] = field(default_factory=list)
    project_before: audit.Snapshot = field(default_factory=dict)
    plan_before: audit.Snapshot = field(default_factory=dict)
    lists: list[KeyProjectList] | None = None
    lists_before: list[str] = field(default_factory=list)
    lists_changed: bool = False
    # The project's task force (None: a new one is made) and its new head; None when the
    # head stays as it is (the column is absent or blank, or names the current head).
    task_force: TaskForce | None = None
    task_force_head: Person | None = None
    # What the row changes, as the preview shows it (`ledger.changes`).
    changes: list[Change] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.project_new:
            return "new"
        if (
            self.plan_new
            or self.project_fields
            or self.plan_fields
            or self.lists_changed
            or self.task_force_head is not None
        ):
            return "updated"
        return "unchanged"


@dataclass
class LedgerPlan:
    """A checked ledger: the errors, or the writes an `apply_import` will make."""

    year: int
    # The date of the year-to-date figures: the one given, else the one the file states
    # (`stated_as_of`); None when neither says one and the file has no such figures.
    as_of: dt.date | None
    stated_as_of: dt.date | None = None
    sheet_name: str = ""
    errors: list[LedgerError] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    sheet: Sheet | None = None
    named: Named | None = None
    ignored_headers: list[str] = field(default_factory=list)
    # The list memberships of the existing plan entries, by plan entry id.
    memberships: dict[int, set[int]] = field(default_factory=dict)
    applied: bool = False
    # The counts of the rows found correct, kept when other rows have errors (`rows` is then
    # emptied, since nothing may be applied).
    checked_counts: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0}
    )

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {key: self.count(key) for key in ("new", "updated", "unchanged")}

    @property
    def error_rows(self) -> int:
        """How many project rows have at least one error (row 1 holds the headers)."""
        return len({error.row for error in self.errors if error.row and error.row > 1})


@bulk.collection_paused()
def plan_import(
    *,
    actor: Actor,
    source: str | Path | IO[bytes],
    year: int,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> LedgerPlan:
    """Check every row of the ledger against the site and say what importing it would do.

    Nothing is written. Every wrong cell is an error with its place and its fix. `as_of`
    is the date of the year-to-date figures; without it, the date the headers state
    (`ledger.dating`). `progress`, when given, is told how far reading, checking and
    matching are (ledger.progress).
    """
    paths = dispatcher_paths(actor)
    if not paths:
        raise PermissionDenied(_("Only a dispatcher can import the ledger."))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    result = LedgerPlan(year=year, as_of=as_of)
    handle = open_source(source)
    try:
        checked = check_ledger_file(handle)
        result.sheet_name = checked.sheet_name
        sheet = read_sheet(handle, checked=checked, progress=progress)
    except LedgerFileError as error:
        result.errors = file_errors(error)
        return result
    finally:
        if handle is not source:
            handle.close()
    result.sheet = sheet
    result.ignored_headers = [h.text for h in sheet.headers if h.column is None]
    dated = dating.resolve(sheet, year=year, given=as_of)
    result.as_of, result.stated_as_of = dated.as_of, dated.stated
    result.errors = header_errors(sheet) + dated.errors
    if result.errors:
        return result
    parser = RowParser(sheet)
    parsed: list[ParsedRow] = []
    total = len(sheet.rows)
    report(progress, CHECKING, 0, total)
    for done, row in enumerate(sheet.rows, start=1):
        parsed.append(parser.parse(row))
        report(progress, CHECKING, done, total)
    if result.as_of is None and any(
        item.values.get(name) is not None for item in parsed for name in dating.DATED
    ):
        result.errors = [dating.missing(sheet)]
        return result
    rows_by_number = {row.number: row for row in sheet.rows}
    _Resolver(result, parser, paths, progress).resolve(parsed, rows_by_number)
    return result


class _Resolver:
    """Matches parsed rows with the site's regions, projects, units, people and lists."""

    def __init__(
        self,
        result: LedgerPlan,
        parser: RowParser,
        paths: list[str],
        progress: Progress | None = None,
    ) -> None:
        self.progress = progress
        self.result = result
        self.parser = parser
        self.present = parser.present
        self.paths = paths
        self.regions = Regions()
        self.new_project = bulk.Blank(Project)
        self.new_plan = bulk.Blank(AnnualPlan)
        # The fields the sheet's columns set, with the value of a blank cell.
        self.project_columns = [(k, v) for k, v in PROJECT_VALUES.items() if k in self.present]
        self.plan_columns = [(k, v) for k, v in PLAN_VALUES.items() if k in self.present]
        self.scoped: dict[int, bool] = {}

    def in_scope(self, region: OrgUnit) -> bool:
        found = self.scoped.get(region.pk)
        if found is None:
            found = self.scoped[region.pk] = any(
                region.path.startswith(path) for path in self.paths
            )
        return found

    def resolve(self, parsed: list[ParsedRow], rows: dict[int, Row]) -> None:
        total = len(parsed)
        report(self.progress, MATCHING, 0, total)
        values = [p.values for p in parsed]
        self.existing = Existing(
            codes=[v["code"] for v in values if v.get("code")],
            names=[v["name"] for v in values if v.get("name")],
            year=self.result.year,
            as_of=self.result.as_of,
        )
        self.named = Named(
            owner_units=[v["owner_unit"] for v in values if v.get("owner_unit")],
            responsible_units=[v["responsible_unit"] for v in values if v.get("responsible_unit")],
            people=[v[key] for v in values for key in (*PEOPLE, "task_force_head") if v.get(key)],
            lists=[name for v in values for name in v.get("lists") or []],
            year=self.result.year,
        )
        self.result.named = self.named
        self.task_forces = first_task_forces(self.existing.project_ids)
        self.result.memberships = self.existing.memberships
        self.list_names = dict(
            KeyProjectList.objects.filter(year=self.result.year).values_list("pk", "name")
        )
        self.seen_codes: dict[str, int] = {}
        self.seen_names: dict[tuple[str, int], tuple[int, str | None]] = {}
        self.seen_projects: dict[int, int] = {}
        del values
        # Each parsed row is let go once matched (its values are in its plan now), so that
        # a large ledger is not held twice.
        parsed.reverse()
        done = 0
        while parsed:
            item = parsed.pop()
            done += 1
            row = rows[item.number]
            errors = list(item.errors)
            plan = self._row(row, item.values, errors)
            if errors:
                self.result.errors.extend(errors)
            elif plan is not None:
                self.result.rows.append(plan)
            report(self.progress, MATCHING, done, total)
        self.result.checked_counts = self.result.counts
        if self.result.errors:
            self.result.rows = []

    def _row(self, row: Row, values: dict[str, Any], errors: list[LedgerError]) -> RowPlan | None:
        error = self.parser.error
        if "region" not in values or "name" not in values:
            return None
        region, fix = self.regions.find(values["region"])
        if region is None:
            errors.append(error(row, "region", fix))
            return None
        if not self.in_scope(region):
            errors.append(error(row, "region", _outside_scope()))
            return None
        project = self._match(row, values, region, errors)
        if errors:
            return None
        new = project is None
        if project is not None and not self.in_scope(project.region):
            errors.append(error(row, "region", _outside_scope()))
            return None
        return self._plan_row(row, values, region, project, new, errors)

    def _match(
        self, row: Row, values: dict[str, Any], region: OrgUnit, errors: list[LedgerError]
    ) -> Project | None:
        code, name = values.get("code"), values["name"]
        key = (name, region.pk)
        if code and code in self.seen_codes:
            errors.append(self.parser.error(row, "code", _same_project(self.seen_codes[code])))
            return None
        if key in self.seen_names:
            other_row, other_code = self.seen_names[key]
            if not code or not other_code or code == other_code:
                errors.append(self.parser.error(row, "name", _same_project(other_row)))
                return None
        project = self.existing.by_code.get(code) if code else None
        if project is None:
            candidates = [p for p in self.existing.by_name.get(key, []) if not code or not p.code]
            if len(candidates) > 1:
                errors.append(
                    self.parser.error(
                        row,
                        "name",
                        _(
                            "Several projects in this region are named “%(name)s”: write the "
                            "project code to say which one this row is."
                        )
                        % {"name": name},
                    )
                )
                return None
            project = candidates[0] if candidates else None
        if project is not None and project.pk in self.seen_projects:
            column = "code" if code else "name"
            other = self.seen_projects[project.pk]
            errors.append(self.parser.error(row, column, _same_project(other)))
            return None
        if code:
            self.seen_codes[code] = row.number
        self.seen_names.setdefault(key, (row.number, code))
        if project is not None:
            self.seen_projects[project.pk] = row.number
        return project

    def _project_values(
        self, values: dict[str, Any], region: OrgUnit, project: Project | None
    ) -> dict[str, Any]:
        """What the row sets of its project (None: a new one)."""
        wanted: dict[str, Any] = {"region": region}
        for name, blank in self.project_columns:
            value = values.get(name)
            wanted[name] = blank if value is None or value == "" else value
        if values.get("code"):
            wanted["code"] = values["code"]  # a blank code never clears a known one
        if "owner_unit" in self.present:
            text: str = values.get("owner_unit") or ""
            wanted["owner_unit"] = (
                self.named.owner_unit(
                    text, region=region, current=project.owner_unit if project else None
                )
                if text
                else None
            )
        if "responsible_unit" in self.present:
            text = values.get("responsible_unit") or ""
            root = self.regions.root
            assert root is not None
            wanted["responsible_unit"] = (
                self.named.responsible_unit(
                    text, root=root, current=project.responsible_unit if project else None
                )
                if text
                else None
            )
        for key in PEOPLE:
            if key in self.present:
                text = values.get(key) or ""
                current = (
                    getattr(project, key) if project and getattr(project, f"{key}_id") else None
                )
                wanted[key] = self.named.person(text, current=current) if text else None
        return wanted

    def _plan_values(self, values: dict[str, Any], plan: AnnualPlan) -> dict[str, Any]:
        wanted: dict[str, Any] = {}
        for name, blank in self.plan_columns:
            value = values.get(name)
            wanted[name] = blank if value is None or value == "" else value
        for name in ("planned_investment", "bond_funds"):
            if name in wanted and wanted[name] is None:
                wanted[name] = ZERO
        if wanted.get("nature", plan.nature) != "reserve":
            wanted["reserve_stage"] = ""
        if values.get("ytd_completed") is not None and not self._same_figures(values, plan):
            wanted["ytd_completed"] = values["ytd_completed"]
            wanted["ytd_as_of"] = self.result.as_of
            # The spending is restated with the year-to-date figure, as of the same date:
            # a blank cell beside it is nothing spent.
            if "bond_funds_spent" in self.present:
                wanted["bond_funds_spent"] = values.get("bond_funds_spent") or ZERO
        return wanted

    def _same_figures(self, values: dict[str, Any], plan: AnnualPlan) -> bool:
        """The row states the figures the library knows on the ledger's date (its own
        ledger figure plus the approved reports since, `lookups.Existing`): nothing to
        restate, whatever date the library's figure was stated on."""
        if plan.pk is None:
            return False
        if values["ytd_completed"] != plan.known_ytd:  # type: ignore[attr-defined]
            return False
        if "bond_funds_spent" not in self.present:
            return True
        spent = values.get("bond_funds_spent") or ZERO
        return bool(spent == plan.known_spent)  # type: ignore[attr-defined]

    def _bond_funds_error(
        self, row: Row, values: dict[str, Any], plan: AnnualPlan, wanted: dict[str, Any]
    ) -> LedgerError | None:
        """The spending is stated with the year-to-date figure and fits in the funds."""
        error = self.parser.error
        if values.get("bond_funds_spent") is not None and values.get("ytd_completed") is None:
            return error(
                row,
                "bond_funds_spent",
                _(
                    "The special-bond funds spent are stated as of the same date as "
                    "本年累计完成投资: fill that cell too (0 if nothing was completed), or "
                    "leave this one blank."
                ),
            )
        funds = wanted.get("bond_funds", plan.bond_funds)
        spent = wanted.get("bond_funds_spent", plan.bond_funds_spent)
        if spent <= funds:
            return None
        column = "bond_funds_spent" if "bond_funds_spent" in wanted else "bond_funds"
        return error(
            row,
            column,
            _(
                "债券资金已支出 (%(spent)s, 10k yuan) is more than 专项债券资金 (%(funds)s): "
                "correct one of the two."
            )
            % {"spent": f"{spent:,.2f}", "funds": f"{funds:,.2f}"},
        )

    def _plan_row(
        self,
        row: Row,
        values: dict[str, Any],
        region: OrgUnit,
        found: Project | None,
        new: bool,
        errors: list[LedgerError],
    ) -> RowPlan | None:
        wanted = self._project_values(values, region, found)
        # A new project is made with what the row sets; a found one is set below.
        project = self.new_project(**wanted) if found is None else found
        start = wanted.get("actual_start", project.actual_start)
        finish = wanted.get("actual_completion", project.actual_completion)
        if start and finish and finish < start:
            column = "actual_completion" if "actual_completion" in self.present else "actual_start"
            errors.append(
                self.parser.error(
                    row,
                    column,
                    _(
                        "The actual completion is before the actual start: correct one of the two dates."
                    ),
                )
            )
            return None
        plan = None if new else self.existing.plans.get(project.pk)
        plan_new = plan is None
        if plan is None:
            plan = self.new_plan(project=project, year=self.result.year)
        plan_wanted = self._plan_values(values, plan)
        bond_error = self._bond_funds_error(row, values, plan, plan_wanted)
        if bond_error is not None:
            errors.append(bond_error)
            return None
        result = RowPlan(row.number, project, plan, project_new=new, plan_new=plan_new)
        result.project_fields = _changed(project, wanted)
        if result.project_fields and not new:
            result.project_before = audit.snapshot(project)
            result.changes += _shown_changes(project, wanted, result.project_fields)
        if not new:
            self.new_project.assign(project, wanted)
        result.plan_fields = _changed(plan, plan_wanted)
        if result.plan_fields and not plan_new:
            result.plan_before = audit.snapshot(plan, list(PLAN_AUDITED))
            result.changes += _shown_changes(plan, plan_wanted, result.plan_fields)
        self.new_plan.assign(plan, plan_wanted)
        if "lists" in self.present:
            result.lists = [self.named.key_list(name) for name in values.get("lists") or []]
            current = set() if plan_new else self.existing.memberships.get(plan.pk, set())
            result.lists_before = sorted(self.list_names[pk] for pk in current)
            result.lists_changed = {item.pk for item in result.lists} != current
            if result.lists_changed and not plan_new:
                after = "；".join(item.name for item in result.lists)
                result.changes += changes([("lists", "；".join(result.lists_before), after)])
        head_name = values.get("task_force_head") if "task_force_head" in self.present else ""
        if head_name:
            # A name sets the head of the project's task force (made when it has none); a
            # blank cell changes nothing.
            force = None if new else self.task_forces.get(project.pk)
            head = self.named.person(head_name, current=force.head if force else None)
            if force is None or head.pk is None or head.pk != force.head_id:
                if force is not None and not all(
                    any(path.startswith(mine) for mine in self.paths)
                    for path in force.region_paths  # type: ignore[attr-defined]
                ):
                    errors.append(
                        self.parser.error(
                            row,
                            "task_force_head",
                            _(
                                "The task force “%(name)s” also serves projects outside your "
                                "jurisdiction: only the dispatcher of all its regions can "
                                "change its head; leave the cell as it was."
                            )
                            % {"name": force.name},
                        )
                    )
                    return None
                result.task_force = force
                result.task_force_head = head
                if not new:
                    before = force.head.name if force is not None else ""
                    result.changes += changes([("task_force_head", before, head.name)])
        return result


PLAN_AUDITED = (*PLAN_VALUES, "ytd_completed", "ytd_as_of", "bond_funds_spent")
# The figures the preview compares as the library knows them on the ledger's date.
KNOWN = {"ytd_completed": "known_ytd", "bond_funds_spent": "known_spent"}


def _shown_changes(
    instance: Project | AnnualPlan, wanted: dict[str, Any], fields: list[str]
) -> list[Change]:
    """The changed fields that are ledger columns, before (as known) and after."""
    pairs = [
        (name, getattr(instance, KNOWN.get(name, name), None), wanted[name])
        for name in fields
        if name != "ytd_as_of"
    ]
    return changes(pairs)


def _changed(instance: Project | AnnualPlan, wanted: dict[str, Any]) -> list[str]:
    if instance.pk is None:
        return list(wanted)
    changed = []
    for name, value in wanted.items():
        field_ = instance._meta.get_field(name)
        if field_.is_relation:
            target = value.pk if value is not None else None
            if (value is not None and target is None) or getattr(instance, f"{name}_id") != target:
                changed.append(name)
        elif getattr(instance, name) != value:
            changed.append(name)
    return changed


def _outside_scope() -> str:
    return _(
        "This region is outside your jurisdiction (不在您的管辖范围): only a dispatcher of "
        "this region or above can import it; remove the row or ask them."
    )


def _same_project(other_row: int) -> str:
    return _(
        "This is the same project as row %(row)s (same code, or same name and region): keep "
        "one row per project."
    ) % {"row": other_row}


@bulk.collection_paused()
def apply_import(*, actor: Actor, plan: LedgerPlan, progress: Progress | None = None) -> LedgerPlan:
    """Write a checked ledger in one transaction: all of it, or, on any error, nothing.

    `progress` is told when the writing starts and when it is done: in between, the rows
    are in a transaction that nobody else sees until it commits.
    """
    if not can_import_ledger(actor):
        raise PermissionDenied(_("Only a dispatcher can import the ledger."))
    if plan.errors:
        raise ValidationError(_("The ledger has errors; nothing was imported."))
    if plan.applied:
        raise ValidationError(_("This ledger was imported already."))
    assert plan.named is not None
    total = len(plan.rows)
    report(progress, WRITING, 0, total)
    with transaction.atomic():
        write_plan(actor=actor, plan=plan, now=clock.now())
    plan.applied = True
    report(progress, WRITING, total, total)
    return plan
