"""Photos sent from the report page one by one: stored, refused with a message in the user's
language, removed, and served only to those who see the report."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.core.tests.media_files import encode, exif, scene
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, Report, ReportFile
from tiaodu.testing import TODAY

pytestmark = pytest.mark.django_db


def _jpeg(name: str = "工地.jpg", seed: int = 5) -> SimpleUploadedFile:
    data = encode(scene(seed, (1600, 1200)), exif=exif(taken="2026:10:20 09:15:00"))
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _upload(client: Any, report: Report, upload: SimpleUploadedFile) -> Any:
    return client.post(
        reverse("reporting:upload", args=[report.pk]),
        {"file": upload},
        HTTP_ACCEPT="application/json",
    )


def test_a_photo_is_stored_with_a_thumbnail_and_served_by_scope(client, world, october):
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    client.force_login(world.rita)
    response = _upload(client, report, _jpeg())
    assert response.status_code == 201
    data = response.json()
    item = ReportFile.objects.get(pk=data["id"])
    assert item.report_id == report.pk and item.original_name == "工地.jpg"
    assert data["thumbnail"] == reverse("reporting:thumbnail", args=[item.pk])
    # The page shows it with its thumbnail.
    html = client.get(reverse("reporting:report", args=[report.pk])).content.decode()
    assert data["thumbnail"] in html
    for who in ("rita", "dora", "alice"):
        client.force_login(getattr(world, who))
        full = client.get(data["url"])
        assert full.status_code == 200 and full["Content-Type"] == "image/jpeg"
        assert full["X-Content-Type-Options"] == "nosniff"
        assert b"".join(full.streaming_content)[:3] == b"\xff\xd8\xff"
        assert client.get(data["thumbnail"]).status_code == 200
    for who in ("bob", "lena", "sysadmin"):
        client.force_login(getattr(world, who))
        assert client.get(data["url"]).status_code == 404
        assert client.get(data["thumbnail"]).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_in_the_users_language(client, world, october):
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    client.force_login(world.rita)
    fake = SimpleUploadedFile("现场.jpg", b"<html><script>alert(1)</script></html>")
    response = _upload(client, report, fake)
    assert response.status_code == 400
    message = response.json()["error"]
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert not ReportFile.objects.exists()
    response = client.post(reverse("reporting:upload", args=[report.pk]), {})
    assert response.status_code == 400 and response.json()["error"] == "请选择照片或视频。"


def test_no_upload_outside_the_scope_or_after_the_submit(client, world, october):
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    client.force_login(world.bob)
    assert _upload(client, report, _jpeg()).status_code == 404
    client.force_login(world.dora)  # sees it, does not report it
    assert _upload(client, report, _jpeg()).status_code == 403
    services.update_draft(actor=world.rita, report=report, investment=Decimal("10"))
    services.submit_report(actor=world.rita, report=report, today=TODAY)
    client.force_login(world.rita)
    response = _upload(client, report, _jpeg())
    assert response.status_code == 403 and response.json()["error"]
    assert not ReportFile.objects.exists()


def test_removing_a_photo_from_the_draft(client, world, october: Period):
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    client.force_login(world.rita)
    item_id = _upload(client, report, _jpeg()).json()["id"]
    remove = reverse("reporting:remove_file", args=[item_id])
    client.force_login(world.bob)
    assert client.post(remove).status_code == 404
    client.force_login(world.dora)
    response = client.post(remove, HTTP_ACCEPT="application/json")
    assert response.status_code == 403 and ReportFile.objects.filter(pk=item_id).exists()
    client.force_login(world.rita)
    response = client.post(remove, HTTP_ACCEPT="application/json")
    assert response.json() == {"removed": item_id}
    assert not ReportFile.objects.filter(pk=item_id).exists()
