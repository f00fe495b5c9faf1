"""The problem ledger as an xlsx file in the ledger layout that offices keep by hand: a title
row naming the filters and the time, the header row, then one row per problem (序号 first).

Typed text is always written as text (`core.xlsx.text_cell`), never as a formula.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.core import xlsx
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import OVERDUE

DATE_FORMAT = "yyyy-mm-dd"
WRAP = Alignment(wrap_text=True, vertical="top")


def ledger_columns() -> list[tuple[str, int]]:
    """Headers and widths, in order, in the reader's language."""
    return [
        (pgettext("problem ledger export", "No."), 6),
        (pgettext("problem ledger export", "Project name"), 28),
        (pgettext("problem ledger export", "Region"), 12),
        (pgettext("problem ledger export", "Problem category"), 14),
        (pgettext("problem ledger export", "Problem description"), 48),
        (pgettext("problem ledger export", "Raised on"), 12),
        (pgettext("problem ledger export", "Raised by"), 12),
        (pgettext("problem ledger export", "Source"), 10),
        (pgettext("problem ledger export", "Level"), 10),
        (pgettext("problem ledger export", "Responsible department"), 24),
        (pgettext("problem ledger export", "Handler"), 10),
        (pgettext("problem ledger export", "Resolution deadline"), 14),
        (pgettext("problem ledger export", "Status"), 10),
        (pgettext("problem ledger export", "Overdue"), 8),
        (pgettext("problem ledger export", "Progress of handling"), 40),
        (pgettext("problem ledger export", "Resolved on"), 12),
        (pgettext("problem ledger export", "Closed on"), 12),
        (pgettext("problem ledger export", "Escalations"), 8),
    ]


def handling(problem: Problem) -> str:
    """办理情况: the resolution once resolved; the reason while a rejected one is redone."""
    if problem.status in (ProblemStatus.RESOLVED, ProblemStatus.CLOSED):
        return problem.resolution
    if problem.rejection_reason:
        return _("Sent back: %(reason)s") % {"reason": problem.rejection_reason}
    return ""


def _date(sheet: WriteOnlyWorksheet, value: dt.date | dt.datetime | None) -> WriteOnlyCell:
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    cell = WriteOnlyCell(sheet, value=value)
    if value is not None:
        cell.number_format = DATE_FORMAT
    return cell


def _wrapped(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = xlsx.text_cell(sheet, text)
    cell.alignment = WRAP
    return cell


def _row(sheet: WriteOnlyWorksheet, problem: Problem, number: int) -> list[Any]:
    description = problem.title
    if problem.description:
        description = f"{problem.title}\n{problem.description}"
    text = xlsx.text_cell
    return [
        number,
        _wrapped(sheet, problem.project.name),
        text(sheet, problem.project.region.name),
        text(sheet, problem.get_category_display()),
        _wrapped(sheet, description),
        _date(sheet, problem.raised_at),
        text(sheet, str(problem.raised_by)),
        text(sheet, problem.get_source_display()),
        text(sheet, problem.get_level_display()),
        _wrapped(sheet, problem.assigned_department.name if problem.assigned_department else ""),
        text(sheet, str(problem.handler) if problem.handler else ""),
        _date(sheet, problem.deadline),
        text(sheet, problem.get_status_display()),
        text(sheet, _("Yes") if getattr(problem, OVERDUE, False) else _("No")),
        _wrapped(sheet, handling(problem)),
        _date(sheet, problem.resolved_at),
        _date(sheet, problem.closed_at),
        problem.escalations,
    ]


def write_problem_ledger(problems: Iterable[Problem], *, title: str) -> bytes:
    """Write the (already scoped, filtered and ordered) problems, annotated with
    `is_overdue`, under the title and header rows."""
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Problem ledger"), title=title, columns=ledger_columns()
    )
    for number, problem in enumerate(problems, start=1):
        sheet.append(_row(sheet, problem, number))
    return xlsx.to_bytes(workbook)
