"""The demo's site photos: drawn and checked across processes, they come out byte for byte
as one process makes them, in the order asked."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tiaodu.demo import photos
from tiaodu.demo.reports.rounds import Entry, PhotoPlan

# A phone writes its local time into the photo (EXIF), with the offset +08:00.
TAKEN = dt.datetime(2026, 5, 8, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def entry(number: int) -> Entry:
    return Entry(
        plan_id=number,
        project_id=number,
        year=2026,
        name=f"项目{number}",
        cycle="monthly",
        planned=Decimal("1000"),
        ytd=Decimal("0"),
        ytd_as_of=None,
        total=Decimal("5000"),
        latitude=Decimal("36.07"),
        longitude=Decimal("120.38"),
        actual_start=None,
        actual_completion=None,
        actual_production=None,
        statistics_inclusion=None,
        in_district=False,
    )


# Under pytest-xdist the test process runs threads of its own; the children here only draw.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_photos_drawn_by_workers_are_those_one_process_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jobs = [
        (PhotoPlan(f"scene-{n}", TAKEN + dt.timedelta(days=n), photos.PHONES[n % 6]), entry(n))
        for n in range(6)
    ]
    alone = list(photos.accept_all(jobs, workers=1))
    monkeypatch.setattr(photos, "PARALLEL_FROM", 2)
    together = list(photos.accept_all(jobs, workers=2))

    assert [a.content for a in together] == [a.content for a in alone]
    assert [a.thumbnail for a in together] == [a.thumbnail for a in alone]
    assert [a.phash for a in together] == [a.phash for a in alone]
    assert [a.taken_at for a in together] == [TAKEN + dt.timedelta(days=n) for n in range(6)]
    assert len({a.sha256 for a in together}) == 6


def test_the_same_plan_draws_the_same_photo() -> None:
    plan = PhotoPlan("scene-7", TAKEN, photos.PHONES[1], brighten=1.06)
    first, again = photos._accept((plan, entry(7))), photos._accept((plan, entry(7)))

    assert first.content == again.content and first.sha256 == again.sha256
    assert first.phash == again.phash and first.thumbnail == again.thumbnail
