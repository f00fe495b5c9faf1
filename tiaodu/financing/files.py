"""An edition as Word (python-docx, A4 landscape) and as Excel (`core.xlsx`): the title, the
line under it, the needs with their totals, and what changed since the previous edition.
Both are written from the same `Sheet`, built from the needs the reader may see."""

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from tiaodu.core import xlsx
from tiaodu.financing.models import FinancingList, FinancingNeed
from tiaodu.financing.selectors import ZERO, Comparison
from tiaodu.supervision.notices.documents import SANS
from tiaodu.supervision.notices.word import run

BODY_SIZE = Pt(10.5)
CENT = Decimal("0.01")

type Value = str | Decimal | int


@dataclass(frozen=True)
class Sheet:
    """What both files print."""

    title: str
    subtitle: str
    header: list[str]
    rows: list[list[Value]]
    totals: list[Value]
    changes: list[list[Value]]


def _header() -> list[str]:
    return [
        _("No."),
        _("Project name"),
        pgettext("financing", "Region"),
        _("Owner unit"),
        _("Kind of financing"),
        _("Amount needed (10k yuan)"),
        _("Purpose"),
        _("Project stage"),
        _("Answers"),
    ]


def _change_rows(changes: Comparison) -> list[list[Value]]:
    groups = [
        (_("Met (answered)"), changes.met),
        (_("Dropped"), changes.dropped),
        (_("Carried over"), changes.carried),
        (_("Added"), changes.added),
    ]
    return [[label, group.count, group.amount.quantize(CENT)] for label, group in groups]


def sheet_of(
    financing_list: FinancingList, needs: list[FinancingNeed], changes: Comparison
) -> Sheet:
    rows: list[list[Value]] = [
        [
            number,
            need.project.name,
            need.project.region.name,
            need.project.owner_unit.name if need.project.owner_unit is not None else "",
            need.get_kind_display(),
            need.amount.quantize(CENT),
            need.purpose,
            need.get_stage_display(),
            getattr(need, "answer_count", 0),
        ]
        for number, need in enumerate(needs, start=1)
    ]
    total = sum((need.amount for need in needs), ZERO).quantize(CENT)
    totals: list[Value] = [
        "",
        _("Total: %(count)s needs") % {"count": len(needs)},
        "", "", "", total, "", "",
        sum(getattr(need, "answer_count", 0) for need in needs),
    ]  # fmt: skip
    published = financing_list.published_at
    subtitle = _("Compiled by the %(region)s dispatch office · %(status)s%(date)s") % {
        "region": financing_list.region.name,
        "status": financing_list.get_status_display(),
        "date": f" {published:%Y-%m-%d}" if published is not None else "",
    }
    return Sheet(
        title=financing_list.title,
        subtitle=subtitle,
        header=_header(),
        rows=rows,
        totals=totals,
        changes=_change_rows(changes) if changes.previous is not None else [],
    )


def _changes_title(changes: Comparison) -> str:
    assert changes.previous is not None
    return _("Since the previous edition (%(edition)s)") % {"edition": changes.previous.edition}


def write_xlsx(sheet: Sheet, changes: Comparison) -> bytes:
    widths = [6, 36, 12, 28, 10, 16, 30, 12, 8]
    workbook, page = xlsx.new_sheet(
        sheet_name=_("Financing needs"),
        title=sheet.title,
        columns=list(zip(sheet.header, widths, strict=True)),
    )
    for row in sheet.rows:
        page.append([xlsx.cell(page, value) for value in row])
    page.append([xlsx.cell(page, value, bold=True) for value in sheet.totals])
    page.append([xlsx.text_cell(page, sheet.subtitle)])
    if sheet.changes:
        other = xlsx.add_sheet(
            workbook,
            sheet_name=_("Since the previous edition"),
            title=_changes_title(changes),
            columns=[(_("Change"), 20), (_("Needs"), 10), (_("Amount needed (10k yuan)"), 20)],
        )
        for row in sheet.changes:
            other.append([xlsx.cell(other, value) for value in row])
    return xlsx.to_bytes(workbook)


def _run(paragraph: Any, text: str, **style: Any) -> Any:
    """A run in this document's body size unless `style` says otherwise."""
    return run(paragraph, text, **({"size": BODY_SIZE} | style))


def _text(value: Value) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)


def _table(document: Any, header: list[str], rows: list[list[Value]], bold_last: bool) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, font=SANS, bold=True)
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            if isinstance(value, Decimal | int):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(cell.paragraphs[0], _text(value), bold=bold_last and index == len(rows) - 1)


def write_docx(sheet: Sheet, changes: Comparison) -> bytes:
    """An A4 landscape page: the title, the line under it, the needs with their totals and
    the changes since the previous edition."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, sheet.title, font=SANS, size=Pt(18), bold=True)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(subtitle, sheet.subtitle, size=Pt(12))
    _table(document, sheet.header, [*sheet.rows, sheet.totals], bold_last=True)
    if sheet.changes:
        heading = document.add_paragraph()
        _run(heading, _changes_title(changes), font=SANS, size=Pt(14), bold=True)
        header = [_("Change"), _("Needs"), _("Amount needed (10k yuan)")]
        _table(document, header, sheet.changes, bold_last=False)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
