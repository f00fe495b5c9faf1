"""Browser journeys run in Debian's Chromium, headless, against pytest-django's live server.

Every test under tiaodu/e2e is marked `e2e`: `make test` leaves them out (`-m "not e2e"`),
`make e2e` runs only them (`-m e2e`). Playwright is not asked to download a browser.
Background tasks run in a real `manage.py db_worker` process (`task_worker`), which reads the
test database: on SQLite it is a file here, not the in-memory database of the unit tests.

The journeys share `world` (the personas' city of `tiaodu.testing`, written from the root
conftest's snapshot and committed, so that the live server and the worker see it) and
`on_thursday` (the clock on 5 November 2026); the helpers `sign_in`, `DESKTOP` and `PHONE`
come from `tiaodu.testing`.

Every page a journey visits passes the page check (page_check.py: axe-core's WCAG 2 A/AA
rules, and on a phone no sideways scrolling and 44 px tap targets): the `page` fixture is
watched, a journey's other pages are watched with `page_check.watch(other)`, and the test
fails at its end on what the check found.
"""

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine

from tiaodu.e2e.page_check import PageCheck

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps calling hosts that this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of this directory `e2e` before `-m` selects (hence tryfirst)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


PAGE_CHECK = pytest.StashKey[PageCheck]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a journey's last step, check the page it ends on; fail on what the page check
    found on any of its pages (unless the journey failed already)."""
    result = yield
    check = item.stash.get(PAGE_CHECK, None)
    if check is not None:
        page = getattr(item, "funcargs", {}).get("page")
        if page is not None:
            check.check(page)
        if check.findings:
            raise AssertionError(check.report())
    return result


@pytest.fixture
def page_check(request: pytest.FixtureRequest) -> PageCheck:
    """The page check of this test: `page_check.watch(page)` for a page besides `page`."""
    check = PageCheck()
    request.node.stash[PAGE_CHECK] = check
    return check


@pytest.fixture
def page(page: Any, page_check: PageCheck) -> Any:
    """pytest-playwright's page, watched by the page check."""
    return page_check.watch(page)


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test's thread; Django would refuse
    ORM calls there. Set for the rest of the session once a journey starts (`make e2e` runs
    journeys alone)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium (no `playwright install` here), headless, with quiet networking."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Pages as a browser set to Chinese (China) asks for them and shows them."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Pages open relative to the live server: `page.goto("/accounts/login/")`."""
    return str(live_server.url)


@pytest.fixture
def world(transactional_db: None, _world_snapshot: Any) -> Any:
    """The personas' city, committed: the live server's thread and the worker read it.
    Its rows are those the root conftest's snapshot took once per process (building the
    city through the services costs about 1.5 s a journey, writing its rows 0.1 s)."""
    from django.db import transaction

    with transaction.atomic():
        return _world_snapshot.restore()


@pytest.fixture
def on_thursday() -> Iterator[None]:
    """Thursday 5 November 2026, 10:00 in Shanghai, with the clock running (the pages wait
    on timers)."""
    with time_machine.travel(dt.datetime(2026, 11, 5, 2, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """var/screenshots, where a journey saves what it saw: `page.screenshot(path=screenshots / "x.png")`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A SQLite test database in a file, so that the worker process opens the same one."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "e2e.sqlite3")


def database_url(database: dict[str, Any]) -> str:
    """The DATABASE_URL of a connection's settings (settings.py reads it back)."""
    name = str(database["NAME"])
    if database["ENGINE"] == "django.db.backends.sqlite3":
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError(
                "The worker process needs the test database in a file: run the browser "
                "journeys on their own (make e2e, or pytest -m e2e)."
            )
        return f"sqlite:///{name}"
    user = quote(database.get("USER") or "")
    password = quote(database.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "127.0.0.1"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name)}"


class TaskWorker:
    """`manage.py db_worker` on the test database and media folder; stop() and start() let a
    journey see a task wait in the queue."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert self.process is None, "the worker is running already"
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.2",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        """Stop it the way systemd does (SIGTERM: it finishes the task it is running)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def task_worker(
    live_server: Any, transactional_db: None, media_root: Path, tmp_path: Path
) -> Iterator[TaskWorker]:
    """A running worker process for the journey's background tasks (the database backend),
    storing files in the test's own media folder."""
    from django.db import connection

    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "TIAODU_MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "tiaodu.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    worker = TaskWorker(env, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()
