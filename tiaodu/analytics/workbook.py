"""The statistics page as one workbook (`?export=xlsx`): the same figure set, sheet by sheet.

A sheet of the headline figures with the scope stated above them, a sheet per breakdown
(level, region, category, list) with every column of the page's tables, the reporting
completeness when the page shows it, the problems, and the groundbreaking batches when the
page lists them. Amounts are 万元 as the figure set holds them (the page shows 亿元), rates
are percentages; both are numbers with two places, counts whole numbers, a rate of nothing
an empty cell. Every value is read from the page's own figure set, never counted again.
"""

from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tiaodu.analytics.figures import FigureSet, Row, Scope
from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.campaigns.selectors import BatchFigures
from tiaodu.core import xlsx
from tiaodu.problems.choices import ProblemCategory
from tiaodu.projects.choices import AnnualPlanLevel, ReserveStage


class Kind(Enum):
    """How a figure of the JSON form becomes a cell."""

    COUNT = "count"
    MONEY = "money"
    RATE = "rate"


class Breakdown(NamedTuple):
    """One of the page's breakdown tables: its title, its first column, its rows."""

    title: str
    column: str
    rows: list[Row]
    key: str


def breakdowns(result: FigureSet) -> list[Breakdown]:
    """The four breakdowns in the page's order, with the page's titles."""
    return [
        Breakdown(_("By level"), _("Level"), result.rows["by_level"], "by_level"),
        Breakdown(_("By region"), _("Region"), result.rows["by_region"], "by_region"),
        Breakdown(_("By category"), _("Category"), result.rows["by_category"], "by_category"),
        Breakdown(
            _("By key-project list"), _("Key-project list"), result.rows["by_list"], "by_list"
        ),
    ]


def scope_items(scope: Scope) -> list[tuple[str, str]]:
    """What the figures are of, as (label, value): year, as-of date, region, level, list."""
    level = AnnualPlanLevel(scope.level).label if scope.level else _("All")
    return [
        (_("Year"), str(scope.year)),
        (_("As of"), scope.as_of.isoformat()),
        (_("Region"), scope.region.name if scope.region is not None else _("All")),
        (_("Level"), str(level)),
        (_("Key-project list"), scope.key_list.name if scope.key_list is not None else _("All")),
    ]


def scope_line(scope: Scope) -> str:
    """The scope in one line ("年度：2026 · 截至：2026-08-31 · …"), for titles and print."""
    return " · ".join(
        _("%(label)s: %(value)s") % {"label": label, "value": value}
        for label, value in scope_items(scope)
    )


def value_of(data: dict[str, Any], path: str, kind: Kind) -> xlsx.Value:
    """A figure of the JSON form by its dotted path, as a cell value: a count an int, an
    amount or a rate a Decimal, a rate of nothing (null) None."""
    value: Any = data
    for key in path.split("."):
        value = value[key]
    if kind is Kind.COUNT:
        return int(value)
    return None if value is None else Decimal(value)


def _unit(kind: Kind) -> str:
    return {Kind.COUNT: "", Kind.MONEY: _("10k yuan"), Kind.RATE: "%"}[kind]


def headline_figures() -> list[tuple[str, str, Kind]]:
    """The headline figures in the page's order: label, path in the JSON form, kind."""
    money, count, rate = Kind.MONEY, Kind.COUNT, Kind.RATE
    figures = [
        (_("Projects"), "projects", count),
        (_("Total investment"), "total_investment", money),
        (_("Annual planned investment"), "annual_plan", money),
        (_("Completed this year"), "ytd_completed", money),
        (_("Investment completion rate"), "completion_rate", rate),
        (_("Time progress"), "time_progress", rate),
        (_("Lagging"), "lagging", count),
        (_("New starts planned"), "new_start.planned", count),
        (_("New starts started"), "new_start.started", count),
        (_("Start rate"), "new_start.rate", rate),
        (_("Should have started"), "should_start", count),
        (_("Started, due in the statistics"), "in_statistics.due", count),
        (_("In the statistics"), "in_statistics.included", count),
        (_("Statistics inclusion rate"), "in_statistics.rate", rate),
        (_("New this month"), "in_statistics.new_in_period", count),
        (_("Completed"), "completed.count", count),
        (_("Total investment of the completed"), "completed.total_investment", money),
        (_("Should have completed"), "should_complete", count),
        (_("Expected to complete this year"), "expected_completion.count", count),
        (
            _("Total investment expected to complete"),
            "expected_completion.total_investment",
            money,
        ),
        (_("Reserve projects"), "reserve.count", count),
    ]
    figures += [
        (str(stage.label), f"reserve.by_stage.{stage.value}", count) for stage in ReserveStage
    ]
    figures += [
        (_("Projects with special-bond funds"), "bond_funds.count", count),
        (_("Special-bond funds allotted"), "bond_funds.allotted", money),
        (_("Special-bond funds spent"), "bond_funds.spent", money),
        (_("Special-bond funds spent rate"), "bond_funds.spent_rate", rate),
        (_("Supervision notices issued this year"), "notices.issued", count),
        (_("Supervision notices answered"), "notices.answered", count),
        (_("Supervision notices overdue"), "notices.overdue", count),
    ]
    return figures


def breakdown_columns() -> list[tuple[str, str, Kind]]:
    """The columns of a breakdown table after its first: heading, path, kind. The page's
    "started / planned" and "included / due" cells are two columns each here."""
    money, count, rate = Kind.MONEY, Kind.COUNT, Kind.RATE
    return [
        (_("Projects"), "projects", count),
        (_("Total investment (10k yuan)"), "total_investment", money),
        (_("Annual plan (10k yuan)"), "annual_plan", money),
        (_("Completed this year (10k yuan)"), "ytd_completed", money),
        (_("Completion rate (%)"), "completion_rate", rate),
        (_("New starts started"), "new_start.started", count),
        (_("New starts planned"), "new_start.planned", count),
        (_("Start rate (%)"), "new_start.rate", rate),
        (_("In the statistics"), "in_statistics.included", count),
        (_("Started, due in the statistics"), "in_statistics.due", count),
        (_("New this month"), "in_statistics.new_in_period", count),
        (_("Completed"), "completed.count", count),
        (_("Expected to complete"), "expected_completion.count", count),
        (_("Reserve"), "reserve.count", count),
        (_("Should have started"), "should_start", count),
        (_("Should have completed"), "should_complete", count),
        (_("Lagging"), "lagging", count),
    ]


def _title(scope: Scope, what: str) -> str:
    return f"{_('Statistics')} · {what} · {scope_line(scope)}"


def _headline_sheet(workbook: Workbook, result: FigureSet) -> None:
    scope = result.scope
    notes = [
        _("%(label)s: %(value)s") % {"label": label, "value": value}
        for label, value in scope_items(scope)
    ]
    notes.append(_("Amounts in 10k yuan; rates in percent."))
    sheet = xlsx.add_sheet(
        workbook,
        sheet_name=_("Headline figures"),
        title=f"{_('Statistics')} · {_('Headline figures')}",
        columns=[(_("Figure"), 36), (pgettext("figure", "Value"), 18), (_("Unit"), 8)],
        notes=notes,
    )
    for label, path, kind in headline_figures():
        value = value_of(result.data, path, kind)
        sheet.append([xlsx.cell(sheet, label), xlsx.cell(sheet, value), _unit(kind)])


def _breakdown_sheet(workbook: Workbook, result: FigureSet, breakdown: Breakdown) -> None:
    columns = breakdown_columns()
    sheet = xlsx.add_sheet(
        workbook,
        sheet_name=breakdown.title,
        title=_title(result.scope, breakdown.title),
        columns=[(breakdown.column, 24)]
        + [(heading, xlsx.width(heading)) for heading, _path, _kind in columns],
    )
    for row in breakdown.rows:
        sheet.append(
            [xlsx.cell(sheet, row.label)]
            + [xlsx.cell(sheet, value_of(row.figures, path, kind)) for _h, path, kind in columns]
        )


def _reporting_sheet(workbook: Workbook, result: FigureSet) -> None:
    reporting = result.data["reporting"]
    columns: list[tuple[str, str, Kind]] = [
        (_("Expected"), "expected", Kind.COUNT),
        (_("Submitted"), "submitted", Kind.COUNT),
        (_("On time"), "on_time", Kind.COUNT),
        (_("Late"), "late", Kind.COUNT),
        (_("Missing"), "missing", Kind.COUNT),
        (_("Submission rate (%)"), "rate", Kind.RATE),
        (_("On-time rate (%)"), "on_time_rate", Kind.RATE),
    ]
    sheet = xlsx.add_sheet(
        workbook,
        sheet_name=_("Reporting completeness"),
        title=_title(result.scope, _("Reporting completeness")),
        columns=[(_("Period"), 20)]
        + [(heading, xlsx.width(heading)) for heading, _path, _kind in columns],
    )
    sheet.append(
        [xlsx.cell(sheet, reporting["period"])]
        + [xlsx.cell(sheet, value_of(reporting, path, kind)) for _h, path, kind in columns]
    )


def _problems_sheet(workbook: Workbook, result: FigureSet) -> None:
    problems = result.data["problems"]
    sheet = xlsx.add_sheet(
        workbook,
        sheet_name=_("Problem ledger"),
        title=_title(result.scope, _("Problem ledger")),
        columns=[
            (_("Grouping"), 14),
            (pgettext("problem grouping", "Name"), 28),
            (_("Not closed"), 10),
            (_("Overdue"), 10),
            (_("Closed this year"), 12),
            (_("Closed on time (%)"), 14),
        ],
    )
    rate = value_of(problems, "resolved_on_time_rate", Kind.RATE)
    sheet.append(
        [
            xlsx.cell(sheet, _("Total"), bold=True),
            "",
            *_problem_counts(sheet, problems, bold=True),
            xlsx.cell(sheet, rate, bold=True),
        ]
    )
    for category in ProblemCategory:
        counts = problems["by_category"][category.value]
        sheet.append(
            [
                pgettext("problems", "By category"),
                str(category.label),
                *_problem_counts(sheet, counts),
            ]
        )
    for department, counts in problems["by_department"].items():
        sheet.append(
            [
                pgettext("problems", "By department"),
                xlsx.cell(sheet, department),
                *_problem_counts(sheet, counts),
            ]
        )


def _problem_counts(
    sheet: WriteOnlyWorksheet, counts: dict[str, Any], *, bold: bool = False
) -> list[Any]:
    return [
        xlsx.cell(sheet, int(counts[key]), bold=bold) for key in ("open", "overdue", "resolved")
    ]


def _batches_sheet(
    workbook: Workbook,
    result: FigureSet,
    batches: Sequence[tuple[GroundbreakingBatch, BatchFigures]],
) -> None:
    sheet = xlsx.add_sheet(
        workbook,
        sheet_name=_("Groundbreaking batches"),
        title=_title(result.scope, _("Groundbreaking batches")),
        columns=[
            (_("Groundbreaking date"), 12),
            (_("Batch name"), 30),
            (pgettext("groundbreaking batch", "Region"), 14),
            (_("Projects"), 8),
            (_("Total investment (10k yuan)"), 16),
            (_("Annual plan (10k yuan)"), 16),
            (pgettext("groundbreaking batch", "Started"), 8),
            (_("Started share (%)"), 12),
        ],
    )
    for batch, figures in batches:
        started_rate = figures.started_rate
        sheet.append(
            [
                batch.date,
                xlsx.cell(sheet, batch.name),
                xlsx.cell(sheet, batch.region.name),
                figures.count,
                xlsx.cell(sheet, Decimal(figures.total_investment)),
                xlsx.cell(sheet, Decimal(figures.annual_plan)),
                figures.started if started_rate is not None else None,
                xlsx.cell(sheet, Decimal(started_rate) if started_rate is not None else None),
            ]
        )


def write_figures(
    result: FigureSet,
    *,
    batches: Sequence[tuple[GroundbreakingBatch, BatchFigures]] = (),
) -> bytes:
    """The page's figure set as a workbook, sheet by sheet in the page's order."""
    workbook = Workbook(write_only=True)
    _headline_sheet(workbook, result)
    for breakdown in breakdowns(result):
        _breakdown_sheet(workbook, result, breakdown)
    if result.data["reporting"]["period"]:
        _reporting_sheet(workbook, result)
    _problems_sheet(workbook, result)
    if batches:
        _batches_sheet(workbook, result, batches)
    return xlsx.to_bytes(workbook)
