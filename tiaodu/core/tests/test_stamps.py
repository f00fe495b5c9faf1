"""core.stamps: what is cached under a stamp of the data is read afresh after a change, not
after a sign-in or an export, and is kept per reader."""

from typing import Any

import pytest

from tiaodu.core import audit, stamps
from tiaodu.core.models import AuditAction

pytestmark = pytest.mark.django_db


def test_a_change_moves_the_stamp_and_a_sign_in_or_an_export_does_not(world: Any) -> None:
    before = stamps.stamp(())
    audit.record(actor=world.alice, action=AuditAction.SIGN_IN, instance=world.alice)
    audit.record(actor=world.alice, action=AuditAction.EXPORT, object_label="项目库")
    assert stamps.stamp(()) == before
    audit.record(
        actor=world.alice,
        action=AuditAction.UPDATE,
        instance=world.projects["p1"],
        changes={"name": ["旧名", "新名"]},
    )
    assert stamps.stamp(()) != before


def test_kept_until_the_stamp_moves_and_per_reader(world: Any) -> None:
    computed: list[str] = []

    def compute(who: str) -> str:
        computed.append(who)
        return f"figures of {who}"

    def read(user: Any) -> str:
        reader = stamps.reader_key(user)
        return stamps.cached("test", (reader,), (), 60, lambda: compute(user.username))

    assert read(world.alice) == read(world.alice) == "figures of alice"
    assert read(world.dora) == "figures of dora"
    assert computed == ["alice", "dora"]
    audit.record(actor=world.alice, action=AuditAction.CREATE, instance=world.projects["p2"])
    assert read(world.alice) == "figures of alice"
    assert computed == ["alice", "dora", "alice"]


def test_nothing_is_kept_for_zero_seconds(world: Any) -> None:
    computed: list[int] = []
    for _ in range(2):
        stamps.cached("test", (), (), 0, lambda: computed.append(1))
    assert computed == [1, 1]


# A refresher for the tests below: what a worker computes again counts in COMPUTED.
COMPUTED: list[str] = []


@stamps.refresher("test.figures")
def _refresh_test(*, who: str) -> None:
    _read_figures(who)


def _read_figures(who: str) -> str:
    def compute() -> str:
        COMPUTED.append(who)
        return f"figures of {who} #{len(COMPUTED)}"

    refresh = stamps.Refresh("test.figures", {"who": who})
    return stamps.cached("test-stale", (who,), (), 60, compute, refresh=refresh)


@pytest.fixture
def fresh_start(settings: Any) -> Any:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.TIAODU_FIGURES_STALE_SECONDS = 900
    settings.TIAODU_REFRESH_WAIT_SECONDS = 60
    COMPUTED.clear()
    stamps.begin()
    return settings


def _change(world: Any) -> None:
    audit.record(actor=world.alice, action=AuditAction.CREATE, instance=world.projects["p2"])


def test_after_a_change_the_kept_value_is_shown_while_a_worker_computes_it_again(
    world: Any, fresh_start: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert _read_figures("alice") == "figures of alice #1"
    _change(world)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        # Two readers after the change: both see the kept value, one refresh is asked for.
        assert _read_figures("alice") == "figures of alice #1"
        assert _read_figures("alice") == "figures of alice #1"
    assert COMPUTED == ["alice"] and len(queued) == 1
    (read, again) = stamps.stale_reads()
    assert read.token == again.token and not stamps.refreshed([read.token])
    queued[0]()  # the worker's task
    assert COMPUTED == ["alice", "alice"] and stamps.refreshed([read.token])
    assert _read_figures("alice") == "figures of alice #2"
    assert len(stamps.stale_reads()) == 2  # no stale value shown by the last read


def test_without_a_worker_the_reader_computes_after_the_wait(
    world: Any, fresh_start: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import time_machine

    with time_machine.travel("2026-11-05 09:00 +0800", tick=False) as traveller:
        _read_figures("alice")
        _change(world)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            assert _read_figures("alice") == "figures of alice #1"
            traveller.shift(61)  # nobody ran the task
            assert _read_figures("alice") == "figures of alice #2"
    assert len(queued) == 1 and COMPUTED == ["alice", "alice"]


def test_a_value_older_than_the_stale_limit_is_computed_by_the_reader(
    world: Any, fresh_start: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import time_machine

    with time_machine.travel("2026-11-05 09:00 +0800", tick=False) as traveller:
        _read_figures("alice")
        _change(world)
        traveller.shift(901)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            assert _read_figures("alice") == "figures of alice #2"
    assert queued == [] and stamps.stale_reads() == []


def test_without_refresh_or_with_no_stale_seconds_the_reader_always_computes(
    world: Any, fresh_start: Any
) -> None:
    def read() -> str:
        return stamps.cached("test-fresh", (), (), 60, lambda: f"#{len(COMPUTED)}")

    COMPUTED.append("x")
    assert read() == "#1"
    _change(world)
    COMPUTED.append("x")
    assert read() == "#2"
    fresh_start.TIAODU_FIGURES_STALE_SECONDS = 0
    _read_figures("dora")
    _change(world)
    assert _read_figures("dora").startswith("figures of dora")
    assert COMPUTED[-2:] == ["dora", "dora"] and stamps.stale_reads() == []


def test_an_unregistered_refresher_is_a_programming_error(world: Any, fresh_start: Any) -> None:
    stamps.cached("test-unknown", (), (), 60, lambda: 1, refresh=stamps.Refresh("nobody"))
    _change(world)
    with pytest.raises(ValueError, match="nobody"):
        stamps.cached("test-unknown", (), (), 60, lambda: 2, refresh=stamps.Refresh("nobody"))


def test_an_old_value_of_the_same_stamp_is_shown_without_notice_and_computed_again(
    world: Any, fresh_start: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import time_machine

    with time_machine.travel("2026-11-05 09:00 +0800", tick=False) as traveller:
        _read_figures("alice")
        traveller.shift(61)  # past the 60 s it is kept for; nothing changed
        with django_capture_on_commit_callbacks(execute=False) as queued:
            assert _read_figures("alice") == "figures of alice #1"
        assert stamps.stale_reads() == [] and len(queued) == 1
        queued[0]()
        assert _read_figures("alice") == "figures of alice #2"
