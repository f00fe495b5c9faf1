"""The Word layout of a notice (python-docx). East Asian fonts are set on each run's
rFonts (w:eastAsia), which Word reads for Chinese text."""

from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tiaodu.supervision.notices.documents import RED, SANS, SERIF, NoticeDocument

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号


def run(
    paragraph: Any,
    text: str,
    *,
    font: str = SERIF,
    size: Any = BODY_SIZE,
    bold: bool = False,
    color: str | None = None,
) -> Any:
    added = paragraph.add_run(text)
    added.font.name = font
    added.font.size = size
    added.font.bold = bold
    if color:
        added.font.color.rgb = RGBColor.from_string(color)
    fonts = added._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    return added


def official_paragraph(
    document: Any, *, align: Any = None, indent: bool = False, space_after: Any = None
) -> Any:
    """A paragraph of the official layout (GB/T 9704): 28 pt lines, the first line indented
    by two characters when asked; the bulletin's Word document uses it too."""
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0) if space_after is None else space_after
    paragraph.paragraph_format.line_spacing = Pt(28)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    return paragraph


def red_rule(paragraph: Any) -> None:
    """The red line under the number of an issued document (版头分隔线)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": "18", "space": "6", "color": RED}.items():
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def official_document(*, masthead: str, line: str, title: str) -> Any:
    """A new A4 document in the official layout (GB/T 9704): margins, the red masthead,
    the line under it (the number, or a date) over the red rule, and the title."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    center = WD_ALIGN_PARAGRAPH.CENTER

    header = official_paragraph(document, align=center, space_after=Pt(12))
    header.paragraph_format.line_spacing = None
    run(header, masthead, size=Pt(30), bold=True, color=RED)
    under = official_paragraph(document, align=center, space_after=Pt(18))
    run(under, line)
    red_rule(under)

    heading = official_paragraph(document, align=center, space_after=Pt(18))
    heading.paragraph_format.line_spacing = None
    run(heading, title, size=TITLE_SIZE, bold=True)
    return document


def build(doc: NoticeDocument) -> Any:
    """A python-docx Document of the notice."""
    document = official_document(masthead=doc.issuing_body, line=doc.number, title=doc.title)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    run(official_paragraph(document), doc.recipients)
    for text in doc.body:
        run(official_paragraph(document, indent=True), text)

    run(official_paragraph(document, indent=True), doc.projects_heading, font=SANS)
    table = document.add_table(rows=1, cols=len(doc.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, doc.columns, strict=True):
        run(cell.paragraphs[0], heading, font=SANS, size=Pt(12))
    for index, row in enumerate(doc.projects, start=1):
        cells = table.add_row().cells
        values = [str(index), row.name, row.code, row.region, row.owner_unit]
        for cell, value in zip(cells, values, strict=True):
            run(cell.paragraphs[0], value, size=Pt(12))

    run(official_paragraph(document, indent=True), doc.requirements_heading, font=SANS)
    for text in doc.requirements:
        run(official_paragraph(document, indent=True), text)
    run(official_paragraph(document, indent=True, space_after=Pt(36)), doc.deadline)

    run(official_paragraph(document, align=right), doc.issuing_body + "  " + doc.seal)
    run(official_paragraph(document, align=right), doc.issued_on)
    return document
