"""Reads on a streaming replica (docs/deployment.md, "More than one server").

With `DATABASE_REPLICA_URL` set, settings add a `replica` database, this router and
`ReplicaRoutingMiddleware`. The rule:

- Only the views marked `@replica_reads` (the statistics, the dashboard and the big
  screen, the exports, the bulletins, `GET /api/v1/stats`) read from the replica; every
  other read, and every write, goes to the primary (`default`).
- Once a request has written anything (or asked for a row to update: `select_for_update`,
  `get_or_create`), its later reads go to the primary: it reads what it wrote.
- Inside a transaction on the primary, reads stay on the primary (one snapshot).
- A browser whose request wrote keeps to the primary for `TIAODU_REPLICA_PIN_SECONDS`
  (a cookie, 10 s by default): what a user saved shows on the next page, even a statistics
  page, however far the replica lags. The cookie carries no secret: forging it only sends
  that browser's reads to the primary.
- Sessions, task results and the security tables are always read on the primary.
- Migrations run on the primary only; the replica receives them through streaming.

Outside a request (commands, the task workers) everything goes to the primary.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "tiaodu_primary"
# Apps whose rows are read just after another server wrote them (a new session, a task
# taken by a worker, a lock after failed sign-ins): never from a replica that may lag.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_tasks_db", "otp_totp", "django_otp"})


@dataclass
class RequestRouting:
    """What the router knows of the request being served."""

    replica_allowed: bool = False  # the view is marked, and the browser is not pinned
    pinned: bool = False  # the browser wrote within the last seconds (the cookie)
    wrote: bool = False


_state: ContextVar[RequestRouting | None] = ContextVar("tiaodu_db_routing", default=None)


def replica_reads[**P, R](view: Callable[P, R]) -> Callable[P, R]:
    """Marks a view whose reads may be served by the replica (heavy, read-only pages)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        state = _state.get()
        if state is None or state.pinned:
            return view(*args, **kwargs)
        state.replica_allowed = True
        try:
            return view(*args, **kwargs)
        finally:
            state.replica_allowed = False

    return wrapped


class ReplicaRouter:
    """Sends the reads of marked views to the replica, and everything else to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        state = _state.get()
        if (
            state is None
            or not state.replica_allowed
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _state.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """A fresh routing state for each request; after a request that wrote, the browser
    keeps to the primary for `TIAODU_REPLICA_PIN_SECONDS`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.TIAODU_REPLICA_PIN_SECONDS
        state = RequestRouting(pinned=seconds > 0 and PIN_COOKIE in request.COOKIES)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote and seconds > 0:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
