"""The clock: the real time unless a block sets it, nested blocks, threads, aware values."""

import contextvars
import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tiaodu.core import audit, clock
from tiaodu.core.models import AuditAction

SHANGHAI = ZoneInfo("Asia/Shanghai")
REAL = dt.datetime(2026, 11, 5, 10, 0, tzinfo=dt.UTC)


def test_the_real_time_when_nothing_set_it() -> None:
    with time_machine.travel(REAL, tick=False):
        assert clock.now() == REAL
        assert clock.today() == dt.date(2026, 11, 5)
        assert not clock.is_set()


def test_today_is_the_date_in_shanghai() -> None:
    late_evening_utc = dt.datetime(2026, 11, 5, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 6th there
    with clock.frozen(late_evening_utc):
        assert clock.today() == dt.date(2026, 11, 6)


def test_frozen_stands_still_and_ends_with_its_block() -> None:
    moment = dt.datetime(2025, 3, 14, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(REAL, tick=False):
        with clock.frozen(moment) as set_to:
            assert set_to == moment
            assert clock.now() == moment
            assert clock.is_set()
        assert clock.now() == REAL
        assert not clock.is_set()


def test_travel_to_runs_on_from_the_moment() -> None:
    moment = dt.datetime(2025, 3, 14, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(REAL, tick=False) as traveller:
        with clock.travel_to(moment):
            assert clock.now() == moment
            traveller.shift(dt.timedelta(minutes=5))
            assert clock.now() == moment + dt.timedelta(minutes=5)
        assert clock.now() == REAL + dt.timedelta(minutes=5)


def test_blocks_nest_and_the_inner_one_wins_until_it_ends() -> None:
    outer = dt.datetime(2025, 1, 2, 9, 0, tzinfo=SHANGHAI)
    inner = dt.datetime(2025, 6, 30, 16, 0, tzinfo=SHANGHAI)
    with clock.frozen(outer):
        with clock.frozen(inner):
            assert clock.now() == inner
            assert clock.today() == dt.date(2025, 6, 30)
        assert clock.now() == outer
        assert clock.today() == dt.date(2025, 1, 2)


def test_a_block_that_raises_still_gives_the_clock_back() -> None:
    with time_machine.travel(REAL, tick=False):
        with pytest.raises(RuntimeError), clock.frozen(dt.date(2024, 5, 1)):
            raise RuntimeError("refused")
        assert clock.now() == REAL


def test_values_are_aware_in_the_site_zone() -> None:
    with clock.frozen(dt.date(2025, 7, 1)):
        assert clock.now() == dt.datetime(2025, 7, 1, 0, 0, tzinfo=SHANGHAI)
        assert clock.now().tzinfo is not None
        assert clock.now().utcoffset() == dt.timedelta(hours=8)
    naive = dt.datetime.fromisoformat("2025-07-01T08:15:00")
    with pytest.raises(ValueError), clock.frozen(naive):
        pass
    assert not clock.is_set()


def test_another_thread_keeps_the_real_clock() -> None:
    seen: dict[str, dt.datetime] = {}
    moment = dt.datetime(2024, 2, 29, 12, 0, tzinfo=SHANGHAI)

    def read(name: str) -> None:
        seen[name] = clock.now()

    with time_machine.travel(REAL, tick=False), clock.frozen(moment):
        plain = threading.Thread(target=read, args=("plain",))
        plain.start()
        plain.join()
        copied = contextvars.copy_context()
        carried = threading.Thread(target=copied.run, args=(read, "carried"))
        carried.start()
        carried.join()
        assert clock.now() == moment
    assert seen == {"plain": REAL, "carried": moment}


def test_threads_set_their_own_clocks_at_once() -> None:
    barrier = threading.Barrier(2)
    seen: dict[int, dt.date] = {}

    def work(year: int) -> None:
        with clock.frozen(dt.date(year, 1, 1)):
            barrier.wait(timeout=5)  # both clocks are set now
            seen[year] = clock.today()
            barrier.wait(timeout=5)

    threads = [threading.Thread(target=work, args=(year,)) for year in (2023, 2025)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {2023: dt.date(2023, 1, 1), 2025: dt.date(2025, 1, 1)}


@pytest.mark.django_db
def test_the_audit_log_dates_an_event_by_the_clock() -> None:
    moment = dt.datetime(2025, 9, 9, 10, 45, tzinfo=SHANGHAI)
    with clock.frozen(moment):
        event = audit.record(actor=None, action=AuditAction.CREATE, object_label="a round")
    event.refresh_from_db()
    assert event.at == moment
