"""The Word and PDF documents of a notice, opened and read; downloads answer 404 outside scope."""

import io
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import docx
from django.test import Client
from PIL import ImageFile

from tiaodu.projects.models import Project
from tiaodu.supervision.notices import documents
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import download_name

EXPECTED = [
    "督办〔2026〕1号",
    "青岛港湾建设有限公司",
    "黄岛港区集装箱码头三期",
    "港湾物流园仓储中心",
]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notice.pdf"
        path.write_bytes(content)
        result = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
        )
    # Table cells wrap long names over lines: compare the text without its white space.
    return "".join(result.stdout.split())


def test_the_word_document_holds_number_recipient_and_projects(world: Any, order: Notice) -> None:
    # Project codes come from the national investment platform; these two have one.
    Project.objects.filter(pk=world.projects["p1"].pk).update(code="2026-370211-55-01-000001")
    response = _client(world.rita).get(f"/supervision/notices/{order.pk}.docx")
    assert response.status_code == 200
    # Named by its document number; an ASCII name for the clients that read no other.
    assert response["Content-Disposition"] == (
        f'attachment; filename="notice-{order.pk}.docx"; '
        "filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E3%80%942026%E3%80%951%E5%8F%B7.docx"
    )
    assert download_name(response) == "督办〔2026〕1号.docx"
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    for expected in EXPECTED:
        assert expected in text + cells
    assert "青岛市发展和改革委员会" in text
    assert "关于黄岛港区项目投资进度滞后的督办单" in text
    assert "主送：青岛港湾建设有限公司：" in text
    assert "2026年11月12日" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[1:] == [
        [
            "1",
            "黄岛港区集装箱码头三期",
            "2026-370211-55-01-000001",
            "黄岛区",
            "青岛港湾建设有限公司",
        ],
        ["2", "港湾物流园仓储中心", "—", "黄岛区", "青岛港湾建设有限公司"],
    ]


def test_the_pdf_holds_number_recipient_and_projects(world: Any, order: Notice) -> None:
    response = _client(world.dora).get(f"/supervision/notices/{order.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert download_name(response) == "督办〔2026〕1号.pdf"
    text = _pdf_text(response.content)
    for expected in [*EXPECTED, "青岛市发展和改革委员会", "2026年11月12日"]:
        assert expected in text


def test_rendering_a_pdf_leaves_truncated_photos_refused(world: Any, order: Notice) -> None:
    documents.render_pdf(order)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_warning_letter_names_the_leader(world: Any) -> None:
    letter = issue(world, kind="warning_letter", sponsoring_leader=world.leo.person)
    response = _client(world.leo).get(f"/supervision/notices/{letter.pk}.pdf")
    text = _pdf_text(response.content)
    assert "警示〔2026〕1号" in text
    assert "李利（副市长）" in text


def test_downloads_outside_scope_answer_404(world: Any, order: Notice) -> None:
    for user in (world.bob, world.hank, world.auditor):
        client = _client(user)
        assert client.get(f"/supervision/notices/{order.pk}.pdf").status_code == 404
        assert client.get(f"/supervision/notices/{order.pk}.docx").status_code == 404
    assert Client().get(f"/supervision/notices/{order.pk}.pdf").status_code == 302


def test_each_download_of_a_notice_is_audited(world: Any, order: Notice) -> None:
    from django.urls import reverse

    from tiaodu.core.models import AuditEvent

    client = _client(world.rita)
    for name in ("supervision:notice_docx", "supervision:notice_pdf"):
        assert client.get(reverse(name, args=[order.pk])).status_code == 200
    events = AuditEvent.objects.filter(
        action="export", object_type="supervision.notice", object_id=str(order.pk)
    ).order_by("pk")
    assert [(e.actor, e.message) for e in events] == [
        (world.rita, f"{order.number_label}.docx"),
        (world.rita, f"{order.number_label}.pdf"),
    ]
