"""Retention and archive of the audit log (docs/security.md, "Audit log"): events are kept
at least 180 days; `manage.py archive_audit` writes older ones to a signed archive, checks
it, then deletes exactly those, the one delete the database lets through.

The clock stands on `TODAY` (Thursday 5 November 2026): 180 days before it is 9 May 2026.
The events below are placed around 1 May 2026 in Shanghai; the world's own events are
dated when the world was built, after them.
"""

import datetime as dt
import gzip
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tiaodu.core import audit, clock
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import TODAY, assert_nothing_written

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAY_1 = dt.date(2026, 5, 1)


def record_at(moment: dt.datetime, message: str) -> AuditEvent:
    with clock.frozen(moment):
        return audit.record(actor=None, action=AuditAction.SIGN_IN_FAILED, message=message)


@pytest.fixture
def on_today():
    with clock.frozen(dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=SHANGHAI)):
        yield


@pytest.fixture
def old_and_young(world):
    """Three events before 1 May 2026 in Shanghai (the last a second before midnight) and
    two on or after it."""
    old = [
        record_at(dt.datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI), "old 1"),
        record_at(dt.datetime(2026, 1, 15, 12, 0, tzinfo=SHANGHAI), "old 2"),
        record_at(dt.datetime(2026, 4, 30, 23, 59, 59, tzinfo=SHANGHAI), "old 3"),
    ]
    young = [
        record_at(dt.datetime(2026, 5, 1, 0, 0, tzinfo=SHANGHAI), "young 1"),
        record_at(dt.datetime(2026, 10, 1, 8, 0, tzinfo=SHANGHAI), "young 2"),
    ]
    return old, young


def archive(out, before="2026-05-01"):
    output = StringIO()
    call_command("archive_audit", before=before, out=str(out), stdout=output)
    return output.getvalue()


def test_a_date_inside_the_retention_period_is_refused(world, old_and_young, on_today, tmp_path):
    with assert_nothing_written(AuditEvent), pytest.raises(CommandError, match="2026-05-09"):
        archive(tmp_path / "audit.jsonl.gz", before="2026-05-10")
    assert not list(tmp_path.glob("audit*"))


@pytest.mark.parametrize("days, latest", [(30, "2026-05-09"), (200, "2026-04-19")])
def test_the_retention_setting_may_lengthen_the_period_never_shorten_it(
    world, old_and_young, on_today, tmp_path, settings, days, latest
):
    settings.TIAODU_AUDIT_RETENTION_DAYS = days
    day_after = (dt.date.fromisoformat(latest) + dt.timedelta(days=1)).isoformat()
    with assert_nothing_written(AuditEvent), pytest.raises(CommandError, match=latest):
        archive(tmp_path / "audit.jsonl.gz", before=day_after)


def test_the_archive_holds_the_older_events_and_only_those_are_pruned(
    world, old_and_young, on_today, tmp_path
):
    old, young = old_and_young
    kept = set(AuditEvent.objects.exclude(pk__in=[e.pk for e in old]).values_list("pk", flat=True))
    out = tmp_path / "audit-2026-05.jsonl.gz"

    said = archive(out)

    assert "3" in said
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    assert [line["id"] for line in lines] == [e.pk for e in old]
    assert [line["message"] for line in lines] == ["old 1", "old 2", "old 3"]
    assert lines[0]["at"] == "2025-03-01T01:00:00+00:00"
    assert lines[0]["action"] == "sign_in_failed"
    signature = json.loads((tmp_path / "audit-2026-05.jsonl.gz.sig").read_text())
    assert signature["archive"]["events"] == 3
    assert signature["archive"]["before"] == "2026-05-01"
    # Only the archived events are gone; the archive itself is audited.
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 2
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert kept < remaining
    (event,) = AuditEvent.objects.filter(pk__in=remaining - kept)
    assert event.action == AuditAction.ARCHIVE
    assert event.channel == "command"
    assert event.object_repr == out.name
    assert event.message == f"2026-05-01 之前的 3 条审计事件已归档到 {out.name}"

    output = StringIO()
    call_command("archive_audit", verify=str(out), stdout=output)
    assert "3" in output.getvalue()


def test_nothing_older_writes_nothing(world, on_today, tmp_path):
    with assert_nothing_written(AuditEvent):
        said = archive(tmp_path / "audit.jsonl.gz")
    assert "未归档" in said
    assert not list(tmp_path.glob("audit*"))


def test_an_archive_is_never_overwritten(world, old_and_young, on_today, tmp_path):
    out = tmp_path / "audit.jsonl.gz"
    out.write_bytes(b"an older archive")
    with assert_nothing_written(AuditEvent), pytest.raises(CommandError, match="不会被覆盖"):
        archive(out)
    assert out.read_bytes() == b"an older archive"


def test_a_changed_archive_or_signature_fails_verification(
    world, old_and_young, on_today, tmp_path
):
    out = tmp_path / "audit.jsonl.gz"
    archive(out)
    sig = tmp_path / "audit.jsonl.gz.sig"
    genuine_archive, genuine_sig = out.read_bytes(), sig.read_text()

    with gzip.open(out, "rt", encoding="utf-8") as handle:
        text = handle.read()
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        handle.write(text.replace("old 2", "nothing happened"))
    with pytest.raises(CommandError, match="文件被改动过"):
        call_command("archive_audit", verify=str(out))

    out.write_bytes(genuine_archive)
    document = json.loads(genuine_sig)
    document["archive"]["events"] = 2
    sig.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="签名不符"):
        call_command("archive_audit", verify=str(out))

    sig.write_text(genuine_sig)
    call_command("archive_audit", verify=str(out), stdout=StringIO())


def test_an_archive_verifies_under_a_retired_key(
    world, old_and_young, on_today, tmp_path, settings
):
    out = tmp_path / "audit.jsonl.gz"
    archive(out)
    retired = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    with pytest.raises(CommandError, match="签名不符"):
        call_command("archive_audit", verify=str(out))
    settings.SECRET_KEY_FALLBACKS = [retired]
    call_command("archive_audit", verify=str(out), stdout=StringIO())


def test_the_door_closes_after_the_archive(world, old_and_young, on_today, tmp_path):
    archive(tmp_path / "audit.jsonl.gz")
    _old, young = old_and_young
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [young[0].pk])
    assert AuditEvent.objects.filter(pk=young[0].pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_log(world):
    assert AuditEvent.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    # The door is shut again once the flush is over.
    event = audit.record(actor=None, action=AuditAction.SIGN_IN_FAILED, message="after")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
