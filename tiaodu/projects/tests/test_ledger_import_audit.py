"""Every step of a ledger upload is in the audit log: the upload, a new date, a retry, the
discard, and each download of its error report (an export)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.projects.ledger import jobs
from tiaodu.projects.models import LedgerImport
from tiaodu.projects.tests.test_ledger_import import HEADERS, ROW_1, ledger

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]


def _events(item: LedgerImport) -> list[tuple[str, dict]]:
    return [
        (event.action, event.changes)
        for event in AuditEvent.objects.filter(
            object_type="projects.ledgerimport", object_id=str(item.pk)
        ).order_by("pk")
    ]


def test_upload_date_discard_and_error_report_are_audited(world, client, post, tmp_path):
    client.force_login(world.alice)
    wrong = list(ROW_1)
    wrong[HEADERS.index("总投资（万元）")] = "约五千万"
    content = ledger(tmp_path / "l.xlsx", [wrong]).read_bytes()
    post(
        reverse("projects:import"),
        {"file": SimpleUploadedFile("台账.xlsx", content), "year": "2026", "as_of": ""},
    )
    item = LedgerImport.objects.get()
    assert _events(item) == [
        ("create", {"original_name": ["", "台账.xlsx"], "year": ["", "2026"], "status": ["", "已上传"]})
    ]  # fmt: skip
    post(reverse("projects:import_date", args=[item.pk]), {"as_of": "2026-08-31"})
    assert _events(item)[-1] == (
        "update", {"as_of": ["", "2026-08-31"], "status": ["有错误", "已上传"]},
    )  # fmt: skip
    response = client.get(reverse("projects:import_errors", args=[item.pk]))
    assert response.status_code == 200
    export = AuditEvent.objects.filter(action="export", object_id=str(item.pk)).get()
    assert (export.actor, export.message) == (world.alice, "错误报告：1 处错误")
    post(reverse("projects:import_discard", args=[item.pk]))
    assert _events(item)[-1] == ("update", {"status": ["有错误", "已放弃"]})


def test_a_retry_is_audited(world, tmp_path):
    from tiaodu.projects.tests.test_ledger_import_progress import many_rows, stored

    item = stored(world, tmp_path, many_rows(2))
    LedgerImport.objects.filter(pk=item.pk).update(failure="stopped")
    item.refresh_from_db()
    jobs.retry(actor=world.alice, item=item)
    assert _events(item)[-1][0] == "update"
