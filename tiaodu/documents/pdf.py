"""The bulletin as an A4 PDF: the same content and layout as the Word document, rendered by
WeasyPrint from `documents/bulletin.html`, with the Noto CJK fonts embedded (subsets)."""

from django.template.loader import render_to_string

from tiaodu.documents.contents import BulletinContent, text
from tiaodu.documents.docx import shown_rows
from tiaodu.documents.fonts import BODY, HEADING, TITLE
from tiaodu.supervision.notices.documents import _weasyprint_html


def _wraps(value: object) -> bool:
    """Names and reasons wrap in their cell; numbers, dates and short words stay on one line."""
    return isinstance(value, str) and len(value) > 5


def render(content: BulletinContent, *, issued: bool) -> bytes:
    tables = {}
    for table in content.tables():
        rows, more = shown_rows(table)
        tables[table.key] = {
            "rows": [[(text(value), _wraps(value)) for value in row] for row in rows],
            "total": [("" if v is None else text(v)) for v in table.total] if table.total else None,
            "shown": len(rows),
            "more": more,
        }
    html = render_to_string(
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
    pdf: bytes = _weasyprint_html()(string=html).write_pdf()
    return pdf
