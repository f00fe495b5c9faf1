"""The bulletin as an A4 PDF: the same content and layout as the Word document, rendered by
WeasyPrint from `documents/bulletin.html`, with the Noto CJK fonts embedded (subsets)."""

from django.template.loader import render_to_string

from tiaodu.documents.contents import BulletinContent, text
from tiaodu.documents.document import Value, is_number
from tiaodu.documents.docx import shown_rows
from tiaodu.documents.fonts import BODY, HEADING, TITLE
from tiaodu.supervision.notices.documents import _weasyprint_html


def _kind(value: Value) -> str:
    """A cell's class: names and reasons wrap ("wrap"), numbers sit flush right ("num"),
    dates and short words stay on one line ("")."""
    if is_number(value):
        return "num"
    return "wrap" if isinstance(value, str) and len(value) > 5 else ""


def html(content: BulletinContent, *, issued: bool) -> str:
    """The page WeasyPrint lays out (the same layout as the Word document)."""
    tables = {}
    for table in content.tables():
        rows, more = shown_rows(table)
        tables[table.key] = {
            "rows": [[(text(value), _kind(value)) for value in row] for row in rows],
            "total": [("" if v is None else text(v), _kind(v)) for v in table.total]
            if table.total
            else None,
            "shown": len(rows),
            "more": more,
        }
    return render_to_string(
        "documents/bulletin.html",
        {
            "doc": content,
            "tables": tables,
            "issued": issued,
            "body_font": BODY,
            "title_font": TITLE,
            "heading_font": HEADING,
        },
    )


def render(content: BulletinContent, *, issued: bool) -> bytes:
    pdf: bytes = _weasyprint_html()(string=html(content, issued=issued)).write_pdf()
    return pdf
