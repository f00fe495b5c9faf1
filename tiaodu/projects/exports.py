"""The library list as an xlsx file (openpyxl write-only: constant memory for large lists)."""

from collections.abc import Iterable
from io import BytesIO

from django.db import models
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from tiaodu.projects.choices import AnnualPlanLevel, AnnualPlanNature, ProjectCategory, ReserveStage
from tiaodu.projects.models import AnnualPlan


def library_columns() -> list[tuple[str, int]]:
    """Headers and widths of the export, in order."""
    return [
        (_("No."), 6),
        (_("Project code"), 26),
        (_("Project name"), 40),
        (_("Region"), 12),
        (_("Level"), 10),
        (_("Nature"), 10),
        (_("Reserve stage"), 16),
        (_("Category"), 12),
        (_("Total investment (10k yuan)"), 16),
        (_("Annual plan (10k yuan)"), 16),
        (_("Planned start"), 12),
        (_("Actual start"), 12),
        (_("Planned completion"), 12),
        (_("Actual completion"), 12),
        (_("Owner unit"), 28),
        (_("Responsible unit"), 20),
        (_("Municipal leader"), 12),
        (_("Service officer"), 12),
        (_("Lists"), 24),
    ]


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def write_library_xlsx(plans: Iterable[AnnualPlan], *, title: str) -> bytes:
    """Write the rows of the (already filtered and scoped) library list."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Project library")[:31])
    columns = library_columns()
    for index, (_header, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    header = []
    for text, _width in columns:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    # Labels once, not per row: get_FOO_display() costs more than writing the cell.
    levels = _labels(AnnualPlanLevel)
    natures = _labels(AnnualPlanNature)
    stages = _labels(ReserveStage)
    categories = _labels(ProjectCategory)
    for number, plan in enumerate(plans, start=1):
        project = plan.project
        sheet.append(
            [
                number,
                project.code or "",
                project.name,
                project.region.name,
                levels[plan.level],
                natures[plan.nature],
                stages.get(plan.reserve_stage, ""),
                categories[project.category],
                project.total_investment,
                plan.planned_investment,
                plan.planned_start,
                project.actual_start,
                plan.planned_completion,
                project.actual_completion,
                project.owner_unit.name if project.owner_unit else "",
                project.responsible_unit.name if project.responsible_unit else "",
                project.municipal_leader.name if project.municipal_leader else "",
                project.service_officer.name if project.service_officer else "",
                "；".join(item.name for item in plan.lists.all()),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
