"""The printable ceremony list of a batch (集中开工项目清单): the same rows as Word
(python-docx, A4 landscape) and as Excel (core.xlsx)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from tiaodu.campaigns.models import GroundbreakingBatch
from tiaodu.campaigns.selectors import BatchFigures
from tiaodu.core import xlsx
from tiaodu.projects.models import AnnualPlan
from tiaodu.supervision.notices.documents import SANS
from tiaodu.supervision.notices.word import run

BODY_SIZE = Pt(11)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CeremonyList:
    """What both files print: the title, the line under it, the header and the rows, and the
    totals row."""

    title: str
    subtitle: str
    header: list[str]
    rows: list[list[str | Decimal | int]]
    totals: list[str | Decimal | int]


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def ceremony_list(
    batch: GroundbreakingBatch, plans: list[AnnualPlan], figures: BatchFigures
) -> CeremonyList:
    header = [
        _("No."),
        _("Project name"),
        _("Region"),
        _("Owner unit"),
        _("Total investment (10k yuan)"),
        _("Annual plan (10k yuan)"),
        _("Planned start"),
        _("Actual start"),
    ]
    rows: list[list[str | Decimal | int]] = [
        [
            number,
            plan.project.name,
            plan.project.region.name,
            plan.project.owner_unit.name if plan.project.owner_unit is not None else "",
            plan.project.total_investment.quantize(CENT),
            plan.planned_investment.quantize(CENT),
            _day(plan.planned_start),
            _day(plan.project.actual_start),
        ]
        for number, plan in enumerate(plans, start=1)
    ]
    totals: list[str | Decimal | int] = [
        "",
        _("Total: %(count)s projects") % {"count": figures.count},
        "",
        "",
        figures.total_investment.quantize(CENT),
        figures.annual_plan.quantize(CENT),
        "",
        "",
    ]
    subtitle = _("Date: %(date)s · Place: %(place)s · Region: %(region)s") % {
        "date": batch.date.isoformat(),
        "place": batch.place or "—",
        "region": batch.region.name,
    }
    return CeremonyList(
        title=_("%(name)s: list of projects") % {"name": batch.name},
        subtitle=subtitle,
        header=header,
        rows=rows,
        totals=totals,
    )


def write_xlsx(content: CeremonyList) -> bytes:
    widths = [6, 40, 14, 30, 16, 16, 12, 12]
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Ceremony list"),
        title=content.title,
        columns=list(zip(content.header, widths, strict=True)),
    )
    for row in [*content.rows, content.totals]:
        sheet.append(
            [xlsx.text_cell(sheet, value) if isinstance(value, str) else value for value in row]
        )
    sheet.append([xlsx.text_cell(sheet, content.subtitle)])
    return xlsx.to_bytes(workbook)


def _run(paragraph: Any, text: str, **style: Any) -> Any:
    """A run in this document's body size unless `style` says otherwise."""
    return run(paragraph, text, **({"size": BODY_SIZE} | style))


def _text(value: str | Decimal | int) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def write_docx(content: CeremonyList) -> bytes:
    """An A4 landscape page: the title, the date and place, the table with its totals row."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, content.title, font=SANS, size=Pt(18), bold=True)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(subtitle, content.subtitle, size=Pt(12))

    table = document.add_table(rows=1, cols=len(content.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, content.header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, font=SANS, bold=True)
    for row in [*content.rows, content.totals]:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            if isinstance(value, Decimal):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(cell.paragraphs[0], _text(value), bold=row is content.totals and index > 0)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
