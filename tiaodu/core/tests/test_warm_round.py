"""The warm round (core.stamps.warm): the kept values pages read lately are computed early
in the morning, so that Monday's first readers (or the first after a holiday, when the kept
values are more than a day old) do not wait for them."""

import datetime as dt
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tiaodu.core import audit, clock, stamps, tasks
from tiaodu.core.models import AuditAction, KeptRead

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 11, 6)
MONDAY = dt.date(2026, 11, 9)
# What the test refresher computed, as (reader, as-of date).
COMPUTED: list[tuple[str, str]] = []


@stamps.refresher("test.warm", for_day=stamps.as_of_moves_on)
def _refresh(*, who: str, as_of: str) -> None:
    _page(who, as_of)


@stamps.refresher("test.warm-failing")
def _refresh_failing(*, who: str) -> None:
    raise RuntimeError(f"cannot compute for {who}")


def _page(who: str, as_of: str) -> str:
    """A page's read of its kept figures, as of a date (the day it is read, by default)."""

    def compute() -> str:
        COMPUTED.append((who, as_of))
        return f"figures of {who} as of {as_of}"

    refresh = stamps.Refresh("test.warm", {"who": who, "as_of": as_of})
    return stamps.cached("test-warm", (who, as_of), (), 300, compute, refresh=refresh)


def _request(who: str, day: dt.date, as_of: dt.date | None = None) -> str:
    """A request on `day` reading the page; what it noted is written after its answer."""
    with clock.frozen(day):
        stamps.begin()
        shown = _page(who, (as_of or day).isoformat())
        stamps.finish()
    return shown


@pytest.fixture
def shared(settings: Any, tmp_path: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.TIAODU_WARM_DAYS = 7
    COMPUTED.clear()


def test_a_page_read_is_noted_once_a_day(shared: None) -> None:
    _request("alice", FRIDAY)
    _request("alice", FRIDAY)
    (read,) = KeptRead.objects.all()
    assert (read.refresher, read.arguments, read.read_on) == (
        "test.warm",
        {"who": "alice", "as_of": "2026-11-06"},
        FRIDAY,
    )
    assert COMPUTED == [("alice", "2026-11-06")]


def test_monday_s_figures_are_computed_before_monday_s_first_reader(shared: None) -> None:
    _request("alice", FRIDAY)
    # A reader looking at a fixed date keeps it; "as of today" moves on with the day.
    _request("bob", FRIDAY, as_of=dt.date(2026, 10, 31))
    COMPUTED.clear()
    # Over the weekend the daily rounds change something.
    audit.record(actor=None, action=AuditAction.UPDATE, object_label="周末的日常轮次")

    with clock.frozen(MONDAY):
        done = stamps.warm(MONDAY)

    assert done == stamps.Warmed(computed=2)
    assert sorted(COMPUTED) == [("alice", "2026-11-09"), ("bob", "2026-10-31")]
    # Monday's first readers find them: nothing is computed while they wait.
    assert _request("alice", MONDAY) == "figures of alice as of 2026-11-09"
    assert _request("bob", MONDAY, as_of=dt.date(2026, 10, 31)).endswith("2026-10-31")
    assert len(COMPUTED) == 2
    # Monday's reads are noted: Alice's under Monday's date, Bob's fixed date read again.
    assert sorted(KeptRead.objects.values_list("arguments__who", "read_on")) == [
        ("alice", FRIDAY),
        ("alice", MONDAY),
        ("bob", MONDAY),
    ]


def test_old_notes_and_gone_refreshers_are_dropped_and_a_failure_stops_nothing(
    shared: None,
) -> None:
    _request("alice", FRIDAY - dt.timedelta(days=8))  # not read for more than 7 days
    _request("bob", FRIDAY)
    KeptRead.objects.create(
        key="gone", refresher="test.no-longer-there", arguments={}, read_on=FRIDAY
    )
    KeptRead.objects.create(
        key="failing", refresher="test.warm-failing", arguments={"who": "carol"}, read_on=FRIDAY
    )
    COMPUTED.clear()

    done = stamps.warm(MONDAY)

    assert done == stamps.Warmed(computed=1, failed=1, dropped=2)
    assert COMPUTED == [("bob", "2026-11-09")]
    assert set(KeptRead.objects.values_list("key", flat=True)) == {
        stamps.key("test-warm", ("bob", "2026-11-06")),
        "failing",
    }


def test_a_cache_in_each_process_s_memory_is_neither_noted_nor_warmed(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "w"}
    }
    _request("alice", FRIDAY)
    assert not KeptRead.objects.exists()
    KeptRead.objects.create(key="k", refresher="test.warm", arguments={}, read_on=FRIDAY)
    assert stamps.warm(MONDAY) == stamps.Warmed()


def test_the_round_is_queued_once_for_the_next_warm_hour(shared: None, settings: Any) -> None:
    settings.TIAODU_WARM_AT = dt.time(6, 30)
    site = ZoneInfo("Asia/Shanghai")
    before = dt.datetime(2026, 11, 9, 5, 0, tzinfo=site)
    after = dt.datetime(2026, 11, 9, 7, 0, tzinfo=site)
    assert tasks.next_warm_run(before) == dt.datetime(2026, 11, 9, 6, 30, tzinfo=site)
    assert tasks.next_warm_run(after) == dt.datetime(2026, 11, 10, 6, 30, tzinfo=site)

    first, second = StringIO(), StringIO()
    call_command("warm_figures", "--schedule", stdout=first)
    call_command("warm_figures", "--schedule", stdout=second)
    assert "computed 0, failed 0, dropped 0" in first.getvalue()
    assert "warm round queued" in first.getvalue()
    assert "warm round already queued" in second.getvalue()


def test_a_note_that_cannot_be_written_does_not_fail_the_request(
    shared: None, monkeypatch: Any, caplog: Any
) -> None:
    def refuse(**_kwargs: Any) -> None:
        raise RuntimeError("the database refuses the write")

    monkeypatch.setattr(KeptRead.objects, "update_or_create", refuse)
    assert _request("alice", FRIDAY) == "figures of alice as of 2026-11-06"
    assert "Noting the kept values read failed." in caplog.text
    assert not KeptRead.objects.exists()
