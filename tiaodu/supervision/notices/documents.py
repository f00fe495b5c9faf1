"""A notice as a printable official document (.docx and PDF) in the layout of GB/T 9704:
the issuing body in red, the document number, a red rule, the title, the recipients, the
body, the projects, the requirements and deadline, the date and the seal."""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.projects.models import Project
from tiaodu.supervision.notices.choices import notice_prefix
from tiaodu.supervision.notices.models import Notice

SERIF = "Noto Serif CJK SC"  # stands in for 仿宋 and 宋体
SANS = "Noto Sans CJK SC"  # stands in for 黑体
RED = "C00000"


@dataclass(frozen=True)
class ProjectRow:
    name: str
    code: str
    region: str
    owner_unit: str


@dataclass(frozen=True)
class NoticeDocument:
    """Every string of the document, in the site's language."""

    issuing_body: str
    number: str
    title: str
    recipients: str
    body: list[str]
    projects_heading: str
    columns: list[str]
    projects: list[ProjectRow]
    requirements_heading: str
    requirements: list[str]
    deadline: str
    issued_on: str
    seal: str


def issuing_body() -> str:
    """The name on the red header: a site setting, else the top region's 发改委."""
    configured: str = getattr(settings, "TIAODU_ISSUING_BODY", "")
    if configured:
        return configured
    top = OrgUnit.objects.regions().filter(parent=None).order_by("path").first()
    return f"{top.name if top else ''}发展和改革委员会"


def chinese_date(day: object) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # type: ignore[attr-defined]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def content(
    notice: Notice, projects: Iterable[Project] | None = None, number: str = ""
) -> NoticeDocument:
    """The document's text; official documents are written in the site's language.

    A notice not yet issued (the preview) passes its projects and a number to show.
    """
    with translation.override(settings.LANGUAGE_CODE):
        recipients = [notice.recipient_unit.name]
        if notice.sponsoring_leader is not None:
            recipients.append(str(notice.sponsoring_leader))
        if notice.task_force_head is not None:
            recipients.append(
                _("%(name)s (head of the task force)") % {"name": notice.task_force_head.name}
            )
        if projects is None:
            projects = notice.projects.select_related("region", "owner_unit").order_by("pk")
        return NoticeDocument(
            issuing_body=issuing_body(),
            number=number or notice.number_label,
            title=_("On %(subject)s: %(kind)s")
            % {"subject": notice.subject, "kind": notice.get_kind_display()},
            recipients=_("To: %(recipients)s") % {"recipients": "、".join(recipients)},
            body=paragraphs(notice.body),
            projects_heading=_("1. Projects concerned"),
            columns=[_("No."), _("Project name"), _("Project code"), _("Region"), _("Owner unit")],
            projects=[
                ProjectRow(
                    name=p.name,
                    code=p.code or "—",
                    region=p.region.name,
                    owner_unit=p.owner_unit.name if p.owner_unit else "—",
                )
                for p in projects
            ],
            requirements_heading=_("2. Requirements"),
            requirements=paragraphs(notice.requirements),
            deadline=_("Please send the written response%(plan)s to us by %(deadline)s.")
            % {
                "plan": _(" with the rectification plan") if notice.kind != "reminder" else "",
                "deadline": chinese_date(notice.response_deadline),
            },
            issued_on=chinese_date(timezone.localdate(notice.issued_at)),
            seal=_("(seal)"),
        )


def _weasyprint_html() -> Any:
    """WeasyPrint's HTML class, imported without its side effect on Pillow.

    Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process;
    the upload checks (core.media) refuse cut-off photos only while it is off.
    """
    from PIL import ImageFile

    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return HTML


def preview_html(notice: Notice, projects: list[Project], *, nonce: str = "") -> str:
    """The document as it will be issued, for the page that asks to confirm it: the same
    template as the PDF; the number is given only on issue. Shown in a frame of that page,
    whose Content-Security-Policy it inherits: its <style> carries the page's `nonce`."""
    number = f"{notice_prefix(notice.kind)}〔{notice.year}〕　号"
    return render_to_string(
        "supervision/notice_document.html",
        {
            "doc": content(notice, projects, number),
            "serif": SERIF,
            "sans": SANS,
            "csp_nonce": nonce,
        },
    )


def render_pdf(notice: Notice) -> bytes:
    """The notice as an A4 PDF (WeasyPrint, Noto CJK fonts)."""
    html_class = _weasyprint_html()
    html = render_to_string(
        "supervision/notice_document.html",
        {"doc": content(notice), "serif": SERIF, "sans": SANS},
    )
    pdf: bytes = html_class(string=html).write_pdf()
    return pdf


def render_docx(notice: Notice) -> bytes:
    """The notice as a Word document (python-docx)."""
    from tiaodu.supervision.notices.word import build

    buffer = io.BytesIO()
    build(content(notice)).save(buffer)
    return buffer.getvalue()
