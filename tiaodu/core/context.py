"""The request context that audit events carry (source address), without passing requests down."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    source_address: str = ""
    channel: str = "system"  # "web", "api", "command", "system"


_current: ContextVar[RequestContext] = ContextVar(
    "tiaodu_request_context", default=RequestContext()
)


def current() -> RequestContext:
    """The context of the request or command being served (a default outside of one)."""
    return _current.get()


@contextmanager
def bound(context: RequestContext) -> Iterator[None]:
    """Bind a context for the duration of a request or a command."""
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)
