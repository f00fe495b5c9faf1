"""The ledger import pages' fixtures: background tasks that run inline, and a POST that runs
the task it enqueued on commit before it returns."""

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def inline_tasks(settings: Any) -> None:
    """Tasks run in the test's process, as soon as they are enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def post(
    client: Any, django_capture_on_commit_callbacks: Any, inline_tasks: None
) -> Callable[..., Any]:
    """A POST whose background task (enqueued on commit) runs before it returns."""

    def send(url: str, data: dict[str, Any] | None = None) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return send
