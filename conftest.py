"""Shared fixtures: the small city of tiaodu.testing, a closed network, fast password
hashing, and stored files in a folder of the test's own (docs/testing.md)."""

import contextlib
import itertools
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a worker of `--dist loadgroup`, the tests of an `xdist_group` must carry the group
    in their node id (pytest-xdist adds it), or the group's tests are dealt out to every
    worker and each loads what the group meant to share. pytest 9.2 builds node ids in a way
    pytest-xdist 3.8 cannot extend: stop at once rather than run the suite slowly."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            message = (
                f"{item.nodeid} is in an xdist_group, but its node id does not name it: this "
                "pytest and pytest-xdist do not keep groups together (pyproject.toml pins them)."
            )
            print(f"\nerror: {message}", file=sys.stderr)  # a worker's error shows as INTERNALERROR
            raise pytest.UsageError(message)


@pytest.fixture(autouse=True)
def _closed_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests reach no host but this machine (browser tests talk to the live server here)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            raise OSError(f"network closed in tests: {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def _databases_migrated_once(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """In a run of several xdist workers, one migrates a template and every worker's test
    database is a copy of it (tiaodu/test_databases.py). The workers share the parent of
    their temporary folders: the run's own."""
    from tiaodu.test_databases import migrated_once

    helper = migrated_once(request.config, tmp_path_factory.getbasetemp().parent / "databases")
    if helper is None:
        yield
        return
    with helper.installed():
        yield


@pytest.fixture(scope="session")
def django_db_setup(_databases_migrated_once: None, django_db_setup: None) -> None:
    """pytest-django's, with the template in place before it creates the databases (a
    fixture's arguments are set up in their order)."""


@pytest.fixture(scope="session")
def _world_snapshot(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The test city's rows, built through the services once per test process."""
    from tiaodu.testing import WorldSnapshot

    with django_db_blocker.unblock():
        return WorldSnapshot.take()


@pytest.fixture
def world(db: Any, _world_snapshot: Any) -> Any:
    """The small city of tiaodu.testing, written afresh for each test."""
    return _world_snapshot.restore()


@pytest.fixture(scope="session")
def _media_folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Iterator[int]]:
    """Where the tests' media folders are made (one folder of the test process), and their
    numbers."""
    return tmp_path_factory.mktemp("media", numbered=False), itertools.count()


@pytest.fixture(autouse=True)
def media_root(settings: Any, _media_folders: tuple[Path, Iterator[int]]) -> Iterator[Path]:
    """MEDIA_ROOT is a folder of this test's own, never var/media: uploads, thumbnails and
    ledger files of one test (or of one xdist worker) cannot meet another's. Ask for it by
    name to look at what was stored.

    The folders are numbered in one folder of the test process, not made by `tmp_path`:
    pytest makes each `tmp_path` by listing every folder made before it in the run (a
    worker's two thousand tests spent seconds listing), and then removes them all at a
    later run's start. A folder left empty is removed as the test ends."""
    base, numbers = _media_folders
    folder = base / str(next(numbers))
    folder.mkdir()
    settings.MEDIA_ROOT = folder
    yield folder
    with contextlib.suppress(OSError):
        folder.rmdir()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Hashing strength is not under test; MD5 keeps the set-ups fast. For the whole
    session, so that module fixtures get it too: a demo load creates eleven accounts, each
    0.4 s with the production hasher."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _site_language() -> Any:
    """Each test starts in the site's language and leaves it so: a request made in English
    (or a test that switched) must not turn the next test's labels English."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _no_second_factor_required(settings: Any) -> None:
    """The personas sign in with a password alone; the tests of the one-time codes ask for
    them again (accounts/tests/test_second_factor.py, docs/security.md)."""
    settings.TIAODU_SECURITY = {**settings.TIAODU_SECURITY, "TOTP_REQUIRED_ROLES": frozenset()}


@pytest.fixture(autouse=True)
def _api_rates_from_zero() -> None:
    """Each test's API calls are counted against the rate limits from zero: the personas'
    ids repeat from test to test in one process, and so would their counts."""
    from django.core.cache import cache

    cache.clear()
