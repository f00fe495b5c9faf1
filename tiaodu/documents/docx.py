"""The bulletin as a Word document in the official-document layout of GB/T 9704-2012.

A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; body 三号 (16 pt) in 仿宋,
title 二号 (22 pt) in 小标宋, headings in 黑体; 28 pt lines; page numbers "— N —" in the
footer. The issued version carries the red masthead (the issuing body) and the red rule
under the document number; a draft has neither and says DRAFT at the top.

Fonts: the server renders with what Debian's `fonts-noto-cjk` gives. Noto Serif CJK SC
stands in for 仿宋_GB2312 and for 方正小标宋 (bold), Noto Sans CJK SC for 黑体; the names
are set on every run's East Asian font (w:eastAsia), which Word reads for Chinese text, so
a site with the official fonts changes the three constants of `fonts` and nothing else.

Long lists show their first `DOCUMENT_ROWS` rows and say how many more the workbook holds;
their totals rows count them all.
"""

import copy
import functools
import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tiaodu.documents.contents import BulletinContent, Table, Value, text
from tiaodu.documents.document import is_number
from tiaodu.documents.fonts import BODY, HEADING, RED, TITLE
from tiaodu.supervision.notices.word import official_paragraph, red_rule

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
DOCUMENT_ROWS = 30


def shown_rows(table: Table) -> tuple[list[list[Value]], int]:
    """The rows a document shows of a table and how many it leaves to the workbook."""
    return table.rows[:DOCUMENT_ROWS], max(0, len(table.rows) - DOCUMENT_ROWS)


def _run(
    paragraph: Any,
    value: str,
    *,
    font: str = BODY,
    size: Any = BODY_SIZE,
    bold: bool = False,
    color: str | None = None,
) -> Any:
    """A run of text in the font, size, weight and colour (the East Asian font too). The
    run's properties are built once for each such look and copied: a bulletin's tables
    have hundreds of cells."""
    run = paragraph.add_run(value)
    run._r.insert(0, copy.deepcopy(_run_properties(font, size, bold, color)))
    return run


@functools.cache
def _run_properties(font: str, size: Any, bold: bool, color: str | None) -> Any:
    """The w:rPr element of a run with the look."""
    run = Document().add_paragraph().add_run()
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    properties = run._element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return properties


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE) in a run: begin, instruction, separate, a placeholder, end."""
    run = _run(paragraph, "", size=Pt(14))
    for kind, value in (
        ("begin", None),
        ("instr", code),
        ("separate", None),
        ("t", "1"),
        ("end", None),
    ):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {value} "
        elif kind == "t":
            element = OxmlElement("w:t")
            element.text = value
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _page_numbers(section: Any) -> None:
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", size=Pt(14))
    _field(footer, "PAGE")
    _run(footer, " —", size=Pt(14))


def _cell(
    cell: Any, value: str, *, bold: bool = False, font: str = BODY, number: bool = False
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.insert(0, copy.deepcopy(_single_spacing()))
    if number:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, value, font=font, size=TABLE_SIZE, bold=bold)


@functools.cache
def _single_spacing() -> Any:
    """The w:pPr of a table cell's paragraph: single line spacing."""
    paragraph = Document().add_paragraph()
    paragraph.paragraph_format.line_spacing = 1.0
    return paragraph._p.get_or_add_pPr()


def _table(document: Any, table: Table) -> None:
    _run(
        official_paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER),
        table.title,
        font=HEADING,
        size=Pt(14),
    )
    rows, more = shown_rows(table)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(grid.rows[0].cells, table.columns, strict=True):
        _cell(cell, heading, font=HEADING)
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            _cell(cell, text(value), number=is_number(value))
    if table.total is not None:
        for cell, value in zip(grid.add_row().cells, table.total, strict=True):
            shown = "" if value is None else text(value)
            _cell(cell, shown, bold=True, number=is_number(value))
    if more:
        note = official_paragraph(document, indent=True)
        _run(
            note,
            _("(The first %(shown)s rows; %(more)s more are in the workbook.)")
            % {"shown": len(rows), "more": more},
            size=Pt(12),
        )


def build(content: BulletinContent, *, issued: bool) -> Any:
    """A python-docx Document of the bulletin; `issued` adds the red masthead and rule."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_numbers(section)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

    if issued:
        masthead = official_paragraph(document, align=center, space_after=Pt(12))
        masthead.paragraph_format.line_spacing = None
        _run(masthead, content.issuing_body, font=TITLE, size=Pt(30), bold=True, color=RED)
    else:
        _run(official_paragraph(document, align=center), _("DRAFT"), font=HEADING, size=Pt(14))
    number = official_paragraph(document, align=center, space_after=Pt(18))
    _run(number, content.number)
    if issued:
        red_rule(number)

    title = official_paragraph(document, align=center, space_after=Pt(18))
    title.paragraph_format.line_spacing = None
    _run(title, content.title, font=TITLE, size=TITLE_SIZE, bold=True)
    _run(official_paragraph(document), content.recipients)
    for part in content.sections:
        _run(official_paragraph(document, indent=True), part.heading, font=HEADING)
        for said in part.paragraphs:
            _run(official_paragraph(document, indent=True), said)
        for table in part.tables:
            _table(document, table)

    _run(official_paragraph(document, align=right, space_after=Pt(0)), content.issuing_body)
    _run(official_paragraph(document, align=right), content.issued_on)
    return document


def render(content: BulletinContent, *, issued: bool) -> bytes:
    buffer = io.BytesIO()
    build(content, issued=issued).save(buffer)
    return buffer.getvalue()
