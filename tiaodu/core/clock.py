"""The one clock the services read: `now()` (an aware datetime) and `today()` (the date in
the site's time zone, Asia/Shanghai).

Services, selectors, tasks, management commands and the audit log ask this module what
time it is instead of `timezone.now()`, `timezone.localdate()` or `date.today()`, so that
the demo (and a test) can replay the past: inside `frozen(at)` the clock stands still at
`at`; inside `travel_to(at)` it starts at `at` and runs on with the real time. Every write
a service makes there, its audit event and its notifications are dated by that moment.

The setting lives in a `ContextVar`, not in the process: each thread, task and request
starts on the real clock, a context manager sets it for its own block only, and blocks
nest (the inner one wins until it ends). Nothing assumes one process.

What keeps the real time, on purpose, because a moment set on this clock would be wrong
there: the security of a session (`accounts.middleware.SessionPolicyMiddleware`: idle and
absolute timeouts, password expiry), sign-in lockouts (`accounts.lockout`), the tokens of
the API and of password resets (`accounts.tokens`), and the bookkeeping timestamps that
the database stamps itself (`updated_at`, `auto_now`). They measure the wall time a person
or an attacker actually spent, which a replayed history must not shorten or lengthen.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

# The moment the clock was set to, and the real moment it was set at (None: it stands still).
_SET: ContextVar[tuple[dt.datetime, dt.datetime | None] | None] = ContextVar(
    "tiaodu_clock", default=None
)


def now() -> dt.datetime:
    """The current moment, aware: the real one unless a block has set the clock."""
    setting = _SET.get()
    if setting is None:
        return timezone.now()
    moment, started = setting
    if started is None:
        return moment
    return moment + (timezone.now() - started)


def today() -> dt.date:
    """The current date in the site's time zone (Asia/Shanghai)."""
    return timezone.localtime(now(), timezone.get_default_timezone()).date()


def aware(at: dt.datetime | dt.date) -> dt.datetime:
    """A moment from an aware datetime, or from a date (its start in the site's time zone);
    a naive datetime is refused, since it would say nothing of where it was read."""
    if not isinstance(at, dt.datetime):
        return timezone.make_aware(dt.datetime.combine(at, dt.time.min))
    if timezone.is_naive(at):
        raise ValueError(f"The clock takes an aware datetime, not {at!r}.")
    return at


@contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """Stop the clock at `at` for the block (in this context only); yields the moment."""
    moment = aware(at)
    token = _SET.set((moment, None))
    try:
        yield moment
    finally:
        _SET.reset(token)


@contextmanager
def travel_to(at: dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """Set the clock to `at` for the block and let it run on from there; yields the moment."""
    moment = aware(at)
    token = _SET.set((moment, timezone.now()))
    try:
        yield moment
    finally:
        _SET.reset(token)


def is_set() -> bool:
    """Whether a block has set the clock in this context."""
    return _SET.get() is not None
