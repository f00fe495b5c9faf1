"""Background tasks of the core: computing a kept value again after a change
(`core.stamps`, "A page need not wait for the first computation after a change")."""

from typing import Any

from django.tasks import task

from tiaodu.core import context, stamps


@task
def refresh_kept(name: str, arguments: dict[str, Any], pending: str, token: str) -> None:
    with context.bound(context.RequestContext(channel="system")):
        stamps.run_refresh(name, arguments, pending, token)
