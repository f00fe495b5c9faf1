"""core.stamps: what is cached under a stamp of the data is read afresh after a change, not
after a sign-in or an export, and is kept per reader."""

from typing import Any

import pytest
import time_machine

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
        return stamps.cached("test", (user.pk,), (), 60, lambda: compute(user.username))

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


# A refresher for the tests below: what is computed again counts in COMPUTED.
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


class Site:
    """A request's life around `cached`: `begin` as a request starts; `done` runs what the
    request asked to refresh, as the site does — after the answer in this process when the
    cache is its memory, in a worker's task (queued on commit) when it is shared."""

    def __init__(self, shared: bool, capture: Any) -> None:
        self.shared, self.capture = shared, capture
        self.queued: list[Any] = []
        self._captured: Any = None

    def begin(self) -> None:
        stamps.begin()
        self._captured = self.capture(execute=False)
        self.queued = self._captured.__enter__()

    def end(self) -> None:
        """The answer is sent (what was queued for a worker stays in `queued`)."""
        self._captured.__exit__(None, None, None)
        self.reads = stamps.stale_reads()
        if not self.shared:
            stamps.finish()

    def worker(self) -> None:
        for task in self.queued:
            task()


@pytest.fixture(params=["memory", "shared"])
def site(
    request: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> Site:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    if request.param == "shared":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    settings.TIAODU_FIGURES_STALE_SECONDS = 900
    settings.TIAODU_REFRESH_WAIT_SECONDS = 60
    COMPUTED.clear()
    return Site(request.param == "shared", django_capture_on_commit_callbacks)


def at_nine() -> Any:
    """The clock held at 09:00 on a working day; `shift(seconds)` moves it on."""
    return time_machine.travel("2026-11-05 09:00 +0800", tick=False)


def _change(world: Any) -> None:
    audit.record(actor=world.alice, action=AuditAction.CREATE, instance=world.projects["p2"])


def test_after_a_change_the_kept_value_is_shown_while_it_is_computed_again(
    world: Any, site: Site
) -> None:
    site.begin()
    assert _read_figures("alice") == "figures of alice #1"
    site.end()
    _change(world)
    site.begin()
    # Two readers after the change: both see the kept value, one refresh is asked for.
    assert _read_figures("alice") == "figures of alice #1"
    assert _read_figures("alice") == "figures of alice #1"
    assert COMPUTED == ["alice"]
    site.end()
    (read, again) = site.reads
    assert read.token == again.token
    if site.shared:
        assert len(site.queued) == 1 and not stamps.refreshed([read.token])
        site.worker()
    else:
        assert site.queued == []  # computed by the process, after its answer
    assert COMPUTED == ["alice", "alice"] and stamps.refreshed([read.token])
    site.begin()
    assert _read_figures("alice") == "figures of alice #2"
    site.end()
    assert site.reads == []


def test_a_refresh_nobody_took_is_computed_by_the_reader_after_the_wait(
    world: Any, site: Site
) -> None:
    with at_nine() as traveller:
        site.begin()
        _read_figures("alice")
        _change(world)
        assert _read_figures("alice") == "figures of alice #1"
        traveller.shift(61)  # nobody computed it (no worker; the answer not yet sent)
        assert _read_figures("alice") == "figures of alice #2"
        assert COMPUTED == ["alice", "alice"]


def test_a_value_older_than_the_stale_limit_is_computed_by_the_reader(
    world: Any, site: Site
) -> None:
    with at_nine() as traveller:
        site.begin()
        _read_figures("alice")
        _change(world)
        traveller.shift(901)
        assert _read_figures("alice") == "figures of alice #2"
        site.end()
    assert site.queued == [] and site.reads == []


def test_an_old_value_of_the_same_stamp_is_shown_without_notice_and_computed_again(
    world: Any, site: Site
) -> None:
    with at_nine() as traveller:
        site.begin()
        _read_figures("alice")
        traveller.shift(61)  # past the 60 s it is kept for; nothing changed
        assert _read_figures("alice") == "figures of alice #1"
        site.end()
        assert site.reads == []
        site.worker()
        site.begin()
        assert _read_figures("alice") == "figures of alice #2"


def test_outside_a_request_with_the_memory_cache_the_reader_computes(world: Any) -> None:
    """A command or a task has no answer to send first: nobody would compute it after."""
    COMPUTED.clear()
    stamps.finish()  # no request is served
    _read_figures("alice")
    _change(world)
    assert _read_figures("alice").endswith("#2")


def test_without_refresh_or_with_no_stale_seconds_the_reader_always_computes(
    world: Any, site: Site, settings: Any
) -> None:
    site.begin()

    def read() -> str:
        return stamps.cached("test-fresh", (), (), 60, lambda: f"#{len(COMPUTED)}")

    COMPUTED.append("x")
    assert read() == "#1"
    _change(world)
    COMPUTED.append("x")
    assert read() == "#2"
    settings.TIAODU_FIGURES_STALE_SECONDS = 0
    _read_figures("dora")
    _change(world)
    assert _read_figures("dora").startswith("figures of dora")
    assert COMPUTED[-2:] == ["dora", "dora"] and stamps.stale_reads() == []


def test_a_failed_refresh_leaves_the_reader_after_the_wait_to_compute(
    world: Any, site: Site, monkeypatch: Any
) -> None:
    with at_nine() as traveller:
        site.begin()
        _read_figures("alice")
        _change(world)
        _read_figures("alice")
        monkeypatch.setitem(stamps._REFRESHERS, "test.figures", lambda **_: 1 / 0)
        site.end()  # in this process: the error logged, not raised into the answer
        site.worker()  # in a worker: the task fails (the queue records it)
        monkeypatch.undo()
        site.begin()
        assert _read_figures("alice").endswith("#1")  # still being computed, as far as known
        traveller.shift(61)
        assert _read_figures("alice").endswith("#2")


def test_an_unregistered_refresher_is_a_programming_error(world: Any, site: Site) -> None:
    site.begin()
    stamps.cached("test-unknown", (), (), 60, lambda: 1, refresh=stamps.Refresh("nobody"))
    _change(world)
    with pytest.raises(ValueError, match="nobody"):
        stamps.cached("test-unknown", (), (), 60, lambda: 2, refresh=stamps.Refresh("nobody"))


def test_a_worker_knows_every_refresher_the_pages_ask_for_once_django_has_started() -> None:
    """A worker process imports no page: the refreshers must be registered by the apps'
    start-up, or its task would not know the name the page queued."""
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from tiaodu.core import stamps; "
        "print(' '.join(sorted(stamps._REFRESHERS)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiaodu.settings"}
    env.pop("DATABASE_URL", None)
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    assert set(found) >= {
        "analytics.dashboard",
        "analytics.figures",
        "projects.library_totals",
        "reporting.completeness",
    }
