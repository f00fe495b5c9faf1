"""Double submits of the report page's photo upload: a file sent again with its key (an
answer lost on the way, the retry button) is stored once and answered as the first time
(core.idempotency); another file, with another key, is stored beside it."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tiaodu.reporting import services
from tiaodu.reporting.models import ReportFile
from tiaodu.reporting.tests.test_page_uploads import _jpeg

pytestmark = pytest.mark.django_db

PAGE_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def test_a_file_sent_again_with_its_key_is_stored_once(client, world, october) -> None:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    client.force_login(world.rita)
    page = client.get(reverse("reporting:report", args=[report.pk])).content.decode()
    assert 'name="idempotency_key"' in page
    url = reverse("reporting:upload", args=[report.pk])

    def send(key: str) -> Any:
        data = {"file": _jpeg(), "idempotency_key": key}
        return client.post(url, data, HTTP_ACCEPT="application/json")

    first, again = send(f"{PAGE_KEY}-1"), send(f"{PAGE_KEY}-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    stored = ReportFile.objects.get()
    folder = Path(stored.file.path).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(str(name)).name for name in (stored.file.name, stored.thumbnail.name)
    )
    assert send(f"{PAGE_KEY}-2").status_code == 201
    assert ReportFile.objects.filter(report=report).count() == 2


def test_a_forged_file_key_is_refused_and_stores_nothing(client, world, october) -> None:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    client.force_login(world.rita)
    response = client.post(
        reverse("reporting:upload", args=[report.pk]),
        {"file": _jpeg(), "idempotency_key": "<script>"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and "表单在传送中被改动" in response.json()["error"]
    assert not ReportFile.objects.exists()
