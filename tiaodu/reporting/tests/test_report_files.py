"""Photos on reports through the services: stored by content, checks 4 and 5 at submit."""

import io
from decimal import Decimal
from typing import Any

import pytest

from tiaodu.core.media.errors import UploadRefused
from tiaodu.core.tests.media_files import encode, exif, scene
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, ReportFile
from tiaodu.testing import TODAY

pytestmark = pytest.mark.django_db


def _photo(seed: int, taken: str = "2026:10:20 09:15:00") -> io.BytesIO:
    return io.BytesIO(encode(scene(seed), exif=exif(taken=taken)))


def test_an_old_photo_and_a_reused_one_are_flagged(world: Any, periods: dict[int, Period]) -> None:
    # p6 (also unit A) used a photo this period; p1, another project, reuses it.
    earlier = services.open_draft(
        actor=world.rita, plan=world.plans["p6"], period=periods[10], today=periods[10].due_date
    )
    services.add_file(actor=world.rita, report=earlier, upload=_photo(7), name="工地.jpg")
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=periods[10], today=periods[10].due_date
    )
    reused = services.add_file(actor=world.rita, report=report, upload=_photo(7), name="同一张.jpg")
    services.add_file(
        actor=world.rita, report=report, upload=_photo(3, "2026:09:02 08:00:00"), name="旧照.jpg"
    )
    fresh = services.add_file(actor=world.rita, report=report, upload=_photo(11), name="新.jpg")
    assert reused.looks_like is not None and fresh.looks_like is None
    assert reused.taken_at is not None and reused.latitude is not None
    services.update_draft(actor=world.rita, report=report, investment=Decimal(10))
    report = services.submit_report(actor=world.rita, report=report, today=TODAY)
    assert sorted(w["rule"] for w in report.warnings) == [4, 5]
    assert all(not w["blocking"] for w in report.warnings)


def test_a_refused_upload_stores_nothing(world: Any, october: Period, media_root: Any) -> None:
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    page = io.BytesIO(b"<html><script>alert(1)</script></html>")
    with pytest.raises(UploadRefused):
        services.add_file(actor=world.rita, report=report, upload=page, name="photo.jpg")
    assert not ReportFile.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_photo_taken_off_a_draft_leaves_no_file_behind(
    world: Any, october: Period, media_root: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Residual information (docs/security.md): the photo and its thumbnail are erased from
    storage when the deletion is committed."""
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    photo = io.BytesIO(encode(scene(3, (800, 600)), exif=exif(taken="2026:10:20 09:15:00")))
    item = services.add_file(actor=world.rita, report=report, upload=photo, name="工地.jpg")
    stored = [item.file.path, item.thumbnail.path]
    assert all(media_root.joinpath(path).is_file() for path in stored)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_file(actor=world.rita, item=item)
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_file_another_row_still_names_is_kept(
    world: Any, october: Period, media_root: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An amendment carries its report's photos (the same stored files): taking one off the
    amendment keeps the approved report's."""
    report = services.open_draft(
        actor=world.rita, plan=world.plans["p1"], period=october, today=october.due_date
    )
    photo = io.BytesIO(encode(scene(3, (800, 600)), exif=exif(taken="2026:10:20 09:15:00")))
    item = services.add_file(actor=world.rita, report=report, upload=photo, name="工地.jpg")
    copy = ReportFile.objects.get(pk=item.pk)
    copy.pk = None
    copy._state.adding = True
    copy.save()
    with django_capture_on_commit_callbacks(execute=True):
        copy.delete()
    assert media_root.joinpath(item.file.path).is_file()
