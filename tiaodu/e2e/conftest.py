"""Browser journeys run in Debian's Chromium, headless, against pytest-django's live server.

Every test under tiaodu/e2e is marked `e2e`: `make test` leaves them out (`-m "not e2e"`),
`make e2e` runs only them (`-m e2e`). Playwright is not asked to download a browser.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
SCREENSHOTS = HERE.parent.parent / "var" / "screenshots"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of this directory `e2e` before `-m` selects (hence tryfirst)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


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
def base_url(live_server: Any) -> str:
    """Pages open relative to the live server: `page.goto("/accounts/login/")`."""
    return str(live_server.url)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """var/screenshots, where a journey saves what it saw: `page.screenshot(path=screenshots / "x.png")`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
