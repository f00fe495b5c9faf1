"""Byte ranges for stored files: the parser, and a video seeked through the report file view."""

import io
from decimal import Decimal
from typing import Any

import pytest

from tiaodu.core.media.serving import byte_range
from tiaodu.core.tests.media_files import mp4
from tiaodu.reporting import services
from tiaodu.reporting.models import Period
from tiaodu.testing import TODAY


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=1000-", False),
        ("bytes=50-10", False),
        ("bytes=-0", False),
        ("bytes=0-1,5-9", None),
        ("items=0-1", None),
        ("", None),
        ("bytes=-", None),
    ],
)
def test_byte_range(header: str, expected: Any) -> None:
    assert byte_range(header, 1000) == expected


@pytest.mark.django_db
def test_a_video_is_served_in_ranges(world: Any, client: Any) -> None:
    services.open_periods(today=TODAY)
    october = Period.objects.get(cycle="monthly", start__month=10, start__year=2026)
    data = mp4(media_bytes=5000)
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    services.update_draft(actor=world.rita, report=report, investment=Decimal(1))
    item = services.add_file(actor=world.rita, report=report, upload=io.BytesIO(data), name="v.mp4")
    client.force_login(world.rita)
    url = f"/reports/files/{item.pk}/"
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == data
    part = client.get(url, headers={"range": "bytes=10-19"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert b"".join(part.streaming_content) == data[10:20]
    assert client.get(url, headers={"range": f"bytes={len(data)}-"}).status_code == 416
    client.force_login(world.bob)
    assert client.get(url, headers={"range": "bytes=0-9"}).status_code == 404
