"""A meeting's minutes (会议纪要) as a printable document (.docx and PDF) in the official
layout the notices use (GB/T 9704): a red header, the date under a red rule, the title,
when, where, who chaired and who attended (姓名（职务）), the minutes, then each agenda
problem with what was decided, the responsible unit and the deadline."""

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiaodu.core.scoping import Someone
from tiaodu.supervision.meetings.models import Meeting
from tiaodu.supervision.meetings.selectors import agenda_of, agenda_withheld
from tiaodu.supervision.notices.documents import (
    SANS,
    SERIF,
    _weasyprint_html,
    chinese_date,
    issuing_body,
    paragraphs,
)

CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Item:
    """One agenda problem and what was decided on it."""

    heading: str
    lines: list[str]


@dataclass(frozen=True)
class MinutesDocument:
    """Every string of the minutes, in the site's language."""

    header: str
    dated: str
    title: str
    facts: list[tuple[str, str]]
    minutes: list[str]
    items_heading: str
    items: list[Item]
    withheld: str
    signature: str
    signed_on: str


def _ordinal(number: int) -> str:
    if number <= 10:
        return CHINESE_NUMERALS[number - 1]
    return str(number)


def _decision_lines(meeting: Meeting) -> dict[int, list[str]]:
    lines: dict[int, list[str]] = {}
    for decision in meeting.decisions.select_related("department", "handler"):
        rows = [f"{decision.get_outcome_display()}：{decision.text.strip()}"]
        if decision.department is not None:
            rows.append(
                _("Responsible unit: %(unit)s") % {"unit": decision.department.name}
                + (
                    _("; handler: %(name)s") % {"name": decision.handler}
                    if decision.handler
                    else ""
                )
                + (
                    _("; to be resolved by %(date)s") % {"date": chinese_date(decision.deadline)}
                    if decision.deadline
                    else ""
                )
            )
        if decision.resolution:
            rows.append(_("Resolution: %(text)s") % {"text": decision.resolution})
        if decision.level:
            rows.append(_("Escalated to: %(level)s") % {"level": decision.get_level_display()})
        lines[decision.problem_id] = rows
    return lines


def withheld_line(count: int) -> str:
    """另有 3 项不在您的范围内: the agenda problems a reader may not open, only counted."""
    if not count:
        return ""
    return ngettext(
        "%(n)s more item is not within your scope",
        "%(n)s more items are not within your scope",
        count,
    ) % {"n": count}


def content(meeting: Meeting, actor: Someone) -> MinutesDocument:
    """The minutes' text as the actor may read them (the agenda problems of its scope, the
    others counted); official documents are written in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        attendees = [
            f"{attendee.unit} {attendee.label}".strip() for attendee in meeting.attendees.all()
        ]
        decided = _decision_lines(meeting)
        items = [
            Item(
                heading=f"{_ordinal(number)}、{problem.title}（{problem.project.name}）",
                lines=decided.get(problem.pk) or [_("No decision was recorded.")],
            )
            for number, problem in enumerate(agenda_of(actor, meeting), start=1)
        ]
        return MinutesDocument(
            header=_("%(body)s minutes") % {"body": issuing_body()},
            dated=chinese_date(meeting.date),
            title=_minutes_title(meeting),
            facts=[
                (_("Held on"), chinese_date(meeting.date)),
                (_("Held at"), meeting.place or "—"),
                (_("Chaired by"), meeting.chair_label or "—"),
                (_("Present"), "、".join(attendees) or "—"),
            ],
            minutes=paragraphs(meeting.minutes),
            items_heading=_("Matters decided"),
            items=items,
            withheld=withheld_line(agenda_withheld(actor, meeting)),
            signature=meeting.convening_unit.name,
            signed_on=chinese_date(meeting.date),
        )


def render_pdf(meeting: Meeting, actor: Someone) -> bytes:
    """The minutes as an A4 PDF (WeasyPrint, Noto CJK fonts embedded)."""
    html = render_to_string(
        "supervision/minutes_document.html",
        {"doc": content(meeting, actor), "serif": SERIF, "sans": SANS},
    )
    pdf: bytes = _weasyprint_html()(string=html).write_pdf()
    return pdf


def _build(doc: MinutesDocument) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from tiaodu.supervision.notices.word import official_document, official_paragraph, run

    document = official_document(masthead=doc.header, line=doc.dated, title=doc.title)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for label, value in doc.facts:
        paragraph = official_paragraph(document, indent=True)
        run(paragraph, f"{label}：", font=SANS)
        run(paragraph, value)
    for text in doc.minutes:
        run(official_paragraph(document, indent=True), text)
    run(official_paragraph(document, indent=True), doc.items_heading, font=SANS)
    for item in doc.items:
        run(official_paragraph(document, indent=True), item.heading, bold=True)
        for text in item.lines:
            run(official_paragraph(document, indent=True), text)
    if doc.withheld:
        run(official_paragraph(document, indent=True), doc.withheld)
    signature = official_paragraph(document, align=right, space_after=Pt(0))
    signature.paragraph_format.space_before = Pt(36)
    run(signature, doc.signature)
    run(official_paragraph(document, align=right), doc.signed_on)
    return document


def render_docx(meeting: Meeting, actor: Someone) -> bytes:
    """The minutes as a Word document (python-docx)."""
    buffer = io.BytesIO()
    _build(content(meeting, actor)).save(buffer)
    return buffer.getvalue()


def _minutes_title(meeting: Meeting) -> str:
    """《重点项目问题会商会》→ 重点项目问题会商会纪要; a title that does not name its kind of
    meeting gets it: 《一季度重点项目》→ 一季度重点项目会商纪要."""
    kind = str(meeting.get_kind_display())
    if meeting.title.endswith("会") or kind in meeting.title:
        return _("Minutes: %(title)s") % {"title": meeting.title}
    return _("Minutes of the %(kind)s: %(title)s") % {"kind": kind, "title": meeting.title}


def filename(meeting: Meeting, extension: str) -> str:
    """会议纪要-<title>-<date>.<extension>."""
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Meeting minutes")
    return f"{label}-{meeting.title}-{meeting.date:%Y-%m-%d}.{extension}"
