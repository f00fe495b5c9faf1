"""The library list as an xlsx file (openpyxl write-only: constant memory for large lists)."""

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell

from tiaodu.core import xlsx
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
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Project library"), title=title, columns=library_columns()
    )
    # Labels once, not per row: get_FOO_display() costs more than writing the cell.
    levels = _labels(AnnualPlanLevel)
    natures = _labels(AnnualPlanNature)
    stages = _labels(ReserveStage)
    categories = _labels(ProjectCategory)

    def text(value: str | None) -> WriteOnlyCell:
        return xlsx.text_cell(sheet, value)

    for number, plan in enumerate(plans, start=1):
        project = plan.project
        sheet.append(
            [
                number,
                text(project.code),
                text(project.name),
                text(project.region.name),
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
                text(project.owner_unit.name if project.owner_unit else ""),
                text(project.responsible_unit.name if project.responsible_unit else ""),
                text(project.municipal_leader.name if project.municipal_leader else ""),
                text(project.service_officer.name if project.service_officer else ""),
                text("；".join(item.name for item in plan.lists.all())),
            ]
        )
    return xlsx.to_bytes(workbook)
