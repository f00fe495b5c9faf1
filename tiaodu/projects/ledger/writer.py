"""The standard ledger as an xlsx: header row 1 in the template's order, one row per plan entry.

What it writes imports again unchanged: amounts in 万元, dates as dates, vocabularies by
their Chinese labels, lists joined with `；`, typed text always as text (never a formula).
Written as of a day, its 本年累计完成投资 and 债券资金已支出 are the figures known that day
(the ledger's plus the approved reports since, `figure_conditions`), and their headers say
"截至" that day, which an import then takes as its date.

A district's 10,000 rows are read as values (one query for the entries, one a batch for the
lists and for the task forces), never as model instances, and each column turns its value
into a cell with a function chosen once (`_cell_makers`): docs/benchmarks.md, issue 16.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.core import xlsx
from tiaodu.projects import figure_conditions
from tiaodu.projects.ledger.cells import VOCABULARIES, chinese_labels
from tiaodu.projects.ledger.columns import COLUMNS, Kind, dated_header
from tiaodu.projects.ledger.sheet_xml import Cell, write_rows
from tiaodu.projects.models import AnnualPlan, ListMembership, TaskForce

SHEET_NAME = "台账"
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "0.00"
# The columns whose figures are as of the ledger's date.
DATED = ("ytd_completed", "bond_funds_spent")
# Plan entries whose lists and task forces are read by one query, at most (fewer where
# the database binds fewer values: SQLite's limit).
BATCH = 10_000
# How often the writing tells its `progress` (rows).
PROGRESS_EVERY = 500

# What each column reads of a plan entry (values_list paths); the columns computed from
# several values (sequence, the dated figures, lists, task force head) are not here.
READ: dict[str, str] = {
    "code": "project__code",
    "name": "project__name",
    "region": "project__region__name",
    "level": "level",
    "nature": "nature",
    "reserve_stage": "reserve_stage",
    "category": "project__category",
    "industry": "project__industry",
    "funding_type": "project__funding_type",
    "construction_content": "project__construction_content",
    "total_investment": "project__total_investment",
    "planned_investment": "planned_investment",
    "planned_start": "planned_start",
    "actual_start": "project__actual_start",
    "planned_completion": "planned_completion",
    "actual_completion": "project__actual_completion",
    "actual_production": "project__actual_production",
    "statistics_inclusion": "project__statistics_inclusion",
    "owner_unit": "project__owner_unit__name",
    "responsible_unit": "project__responsible_unit__name",
    "municipal_leader": "project__municipal_leader__name",
    "sponsoring_leader": "project__sponsoring_leader__name",
    "service_officer": "project__service_officer__name",
    "contact_name": "project__contact_name",
    "contact_phone": "project__contact_phone",
    "longitude": "project__longitude",
    "latitude": "project__latitude",
    "remarks": "project__remarks",
}
# Read besides: the entry and its project (for the lists and the task forces), and what
# the dated figures are made of.
EXTRA = ("pk", "project_id", "ytd_as_of", "ytd_completed", "bond_funds_spent", "bond_funds")

Progress = Callable[[int, int], None]


def _header(sheet: WriteOnlyWorksheet, as_of: dt.date | None) -> list[WriteOnlyCell]:
    cells = []
    for column in COLUMNS:
        text = dated_header(column, as_of) if as_of and column.id in DATED else column.header
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = xlsx.header_fill()
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _batches(ids: Sequence[int], database: str) -> Iterator[Sequence[int]]:
    size = min(BATCH, connections[database].features.max_query_params or BATCH) - 10
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _lists(plan_ids: Sequence[int], database: str) -> dict[int, str]:
    """The lists each entry is on now (its open memberships), by name, joined with `；`."""
    names: dict[int, list[str]] = defaultdict(list)
    for batch in _batches(plan_ids, database):
        memberships = ListMembership.objects.using(database).filter(
            annual_plan_id__in=batch, end__isnull=True
        )
        for plan_id, name in memberships.values_list("annual_plan_id", "key_project_list__name"):
            names[plan_id].append(name)
    return {plan_id: "；".join(sorted(found)) for plan_id, found in names.items()}


def _task_force_heads(project_ids: Sequence[int], database: str) -> dict[int, str]:
    """The head of each project's first task force (the lowest id)."""
    first: dict[int, tuple[int, str]] = {}
    through = TaskForce.projects.through
    for batch in _batches(sorted(set(project_ids)), database):
        found = (
            through.objects.using(database)
            .filter(project_id__in=batch)
            .values_list("project_id", "taskforce_id", "taskforce__head__name")
        )
        for project_id, force_id, head in found:
            if project_id not in first or force_id < first[project_id][0]:
                first[project_id] = (force_id, head)
    return {project_id: head for project_id, (_force, head) in first.items()}


def ledger_records(plans: QuerySet[AnnualPlan], *, as_of: dt.date | None = None) -> list[list[Any]]:
    """The rows of the given (filtered, scoped, ordered) plan entries: each row's values in
    the order of COLUMNS (vocabularies by their values; labels are the writer's job).

    With `as_of`, the year-to-date figures are those known that day (the ledger's plus the
    approved reports since); else the ledger's own as stated on `ytd_as_of`.
    """
    fields = [*EXTRA, *READ.values()]
    if as_of is not None:
        plans = plans.annotate(
            ledger_ytd=figure_conditions.ytd_completed(as_of),
            ledger_spent=figure_conditions.bond_funds_spent(as_of),
        )
        fields += ["ledger_ytd", "ledger_spent"]
    found = list(plans.values_list(*fields))
    lists = _lists([row[0] for row in found], plans.db)
    heads = _task_force_heads([row[1] for row in found], plans.db)
    position = {name: index for index, name in enumerate(fields)}
    reads = [(column.id, position.get(READ.get(column.id, ""))) for column in COLUMNS]
    dated = as_of is not None
    records = []
    for number, row in enumerate(found, start=1):
        plan_id, project_id, ytd_as_of, ytd, spent, bond_funds = row[:6]
        if dated:
            ytd, spent = row[-2], row[-1]
        if ytd_as_of is None and not ytd:
            ytd = None  # no figure stated: a blank cell, which an import leaves alone
        # The spending goes with the year-to-date figure; blank where there is nothing to
        # say (the ledger's own spending, not the day's, says whether there was any).
        if ytd is None or not (bond_funds or row[4]):
            spent = None
        computed = {
            "sequence": number,
            "ytd_completed": ytd,
            "bond_funds": bond_funds or None,
            "bond_funds_spent": spent,
            "lists": lists.get(plan_id, ""),
            "task_force_head": heads.get(project_id, ""),
        }
        records.append([computed[cid] if index is None else row[index] for cid, index in reads])
    return records


def ledger_rows(
    plans: QuerySet[AnnualPlan], *, as_of: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """The rows of `ledger_records` by column id."""
    ids = [column.id for column in COLUMNS]
    for record in ledger_records(plans, as_of=as_of):
        yield dict(zip(ids, record, strict=True))


def write_ledger_xlsx(
    plans: QuerySet[AnnualPlan],
    *,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The standard ledger of the given (already filtered and scoped) plan entries, with
    the year-to-date figures as of `as_of` when given (the ledger's own otherwise).
    `progress(done, total)` is told the rows written: at 0, every PROGRESS_EVERY and at the end."""
    records = ledger_records(plans, as_of=as_of)
    return _write(records, as_of=as_of, progress=progress)


def write_ledger_rows(rows: Iterable[dict[str, Any]], *, as_of: dt.date | None = None) -> bytes:
    """The standard ledger of rows by column id, valued as `ledger_rows` gives them (rows
    written before a column was added, the demo's, leave it blank); the dated columns'
    headers say `as_of` when given."""
    records = [[values.get(column.id) for column in COLUMNS] for values in rows]
    return _write(records, as_of=as_of)


def _columns() -> list[tuple[Cell, str | None]]:
    """How each column's values are written, in order."""
    found: list[tuple[Cell, str | None]] = []
    for column in COLUMNS:
        if column.kind is Kind.DATE:
            found.append((Cell.FORMATTED, DATE_FORMAT))
        elif column.kind is Kind.AMOUNT:
            found.append((Cell.FORMATTED, AMOUNT_FORMAT))
        elif column.kind in VOCABULARIES or column.kind in (Kind.IGNORED, Kind.COORDINATE):
            found.append((Cell.PLAIN, None))  # a label, the sequence number, a coordinate
        else:
            found.append((Cell.TEXT, None))
    return found


def _labelled(records: list[list[Any]]) -> Iterator[list[Any]]:
    """The records with each vocabulary's value as its Chinese label."""
    labels = [
        chinese_labels(VOCABULARIES[column.kind]) if column.kind in VOCABULARIES else None
        for column in COLUMNS
    ]
    for record in records:
        yield [
            value if label is None else label.get(value, "")
            for label, value in zip(labels, record, strict=True)
        ]


def _write(
    records: list[list[Any]], *, as_of: dt.date | None, progress: Progress | None = None
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=SHEET_NAME)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, as_of))
    total = len(records)
    each = None
    if progress is not None:
        progress(0, total)

        def each(done: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                progress(done, total)

    return write_rows(
        workbook,
        sheet,
        _columns(),
        _labelled(records),
        first_row=2,
        saved=xlsx.to_bytes,
        each=each,
    )
