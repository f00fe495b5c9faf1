"""The standard ledger as an xlsx: header row 1 in the template's order, one row per plan entry.

What it writes imports again unchanged: amounts in 万元, dates as dates, vocabularies by
their Chinese labels, lists joined with `；`, typed text always as text (never a formula).
Written as of a day, its 本年累计完成投资 and 债券资金已支出 are the figures known that day
(the ledger's plus the approved reports since, `figure_conditions`), and their headers say
"截至" that day, which an import then takes as its date.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.core import xlsx
from tiaodu.projects import figure_conditions
from tiaodu.projects.ledger.cells import VOCABULARIES, chinese_labels
from tiaodu.projects.ledger.columns import COLUMNS, Kind, dated_header
from tiaodu.projects.lists import with_current_lists
from tiaodu.projects.models import AnnualPlan, Project, TaskForce

SHEET_NAME = "台账"
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "0.00"
# What the export reads beyond the library list's own select_related.
EXPORT_RELATED = ("project__sponsoring_leader", "project__service_officer")
# The columns whose figures are as of the ledger's date.
DATED = ("ytd_completed", "bond_funds_spent")


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


def _name(instance: Any) -> str:
    return instance.name if instance is not None else ""


def task_force_head(project: Project) -> str:
    """The head of the project's first task force (read from the prefetch when there is one)."""
    forces = sorted(project.task_forces.all(), key=lambda force: force.pk)
    return forces[0].head.name if forces else ""


def ledger_values(plan: AnnualPlan, number: int) -> dict[str, Any]:
    """The row of one plan entry by column id (labels are the caller's job)."""
    project = plan.project
    # The figures known on the export's day (annotated by `write_ledger_xlsx`), else the
    # ledger's own as stated on `ytd_as_of`.
    ytd: Decimal | None = getattr(plan, "ledger_ytd", plan.ytd_completed)
    if plan.ytd_as_of is None and not ytd:
        ytd = None  # no figure stated: a blank cell, which an import leaves alone
    # The spending goes with the year-to-date figure; blank where there is nothing to say.
    spent: Decimal | None = getattr(plan, "ledger_spent", plan.bond_funds_spent)
    if ytd is None or not (plan.bond_funds or plan.bond_funds_spent):
        spent = None
    return {
        "sequence": number,
        "code": project.code or "",
        "name": project.name,
        "region": project.region.name,
        "level": plan.level,
        "nature": plan.nature,
        "reserve_stage": plan.reserve_stage,
        "category": project.category,
        "industry": project.industry,
        "funding_type": project.funding_type,
        "construction_content": project.construction_content,
        "total_investment": project.total_investment,
        "planned_investment": plan.planned_investment,
        "ytd_completed": ytd,
        "bond_funds": plan.bond_funds or None,
        "bond_funds_spent": spent,
        "planned_start": plan.planned_start,
        "actual_start": project.actual_start,
        "planned_completion": plan.planned_completion,
        "actual_completion": project.actual_completion,
        "actual_production": project.actual_production,
        "statistics_inclusion": project.statistics_inclusion,
        "owner_unit": _name(project.owner_unit),
        "responsible_unit": _name(project.responsible_unit),
        "municipal_leader": _name(project.municipal_leader),
        "sponsoring_leader": _name(project.sponsoring_leader),
        "service_officer": _name(project.service_officer),
        "task_force_head": task_force_head(project),
        "contact_name": project.contact_name,
        "contact_phone": project.contact_phone,
        "lists": "；".join(item.name for item in plan.current_lists),
        "longitude": project.longitude,
        "latitude": project.latitude,
        "remarks": project.remarks,
    }


def write_ledger_xlsx(plans: QuerySet[AnnualPlan], *, as_of: dt.date | None = None) -> bytes:
    """The standard ledger of the given (already filtered and scoped) plan entries, with
    the year-to-date figures as of `as_of` when given (the ledger's own otherwise)."""
    plans = with_current_lists(plans).prefetch_related(
        Prefetch("project__task_forces", queryset=TaskForce.objects.select_related("head"))
    )
    if as_of is not None:
        plans = plans.annotate(
            ledger_ytd=figure_conditions.ytd_completed(as_of),
            ledger_spent=figure_conditions.bond_funds_spent(as_of),
        )
    return write_ledger_rows(
        (ledger_values(plan, number) for number, plan in enumerate(plans, start=1)), as_of=as_of
    )


def write_ledger_rows(rows: Iterable[dict[str, Any]], *, as_of: dt.date | None = None) -> bytes:
    """The standard ledger of rows by column id, valued as `ledger_values` gives them; the
    dated columns' headers say `as_of` when given."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=SHEET_NAME)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, as_of))
    labels = {kind: chinese_labels(choices) for kind, choices in VOCABULARIES.items()}
    for values in rows:
        row: list[Any] = []
        for column in COLUMNS:
            # Rows written before a column was added (the demo's) leave it blank.
            value: Any = values.get(column.id)
            if column.kind in labels:
                row.append(labels[column.kind].get(value, ""))
            elif column.kind is Kind.DATE:
                row.append(_typed(sheet, value, DATE_FORMAT))
            elif column.kind is Kind.AMOUNT:
                row.append(_typed(sheet, value, AMOUNT_FORMAT))
            elif column.kind in (Kind.IGNORED, Kind.COORDINATE):
                row.append(value)
            else:
                row.append(xlsx.text_cell(sheet, value))
        sheet.append(row)
    return xlsx.to_bytes(workbook)


def _typed(sheet: WriteOnlyWorksheet, value: Any, number_format: str) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date | Decimal):
        cell.number_format = number_format
    return cell
