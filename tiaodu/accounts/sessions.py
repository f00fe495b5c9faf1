"""The record of signed-in sessions, and the security administrator's ending of one.

A sign-in opens a `SignedInSession` with the browser's address and user agent; the session
policy middleware refreshes its last activity at most once a minute (`touch`) and closes it
at a timeout; sign-out closes it. Ending one (`end_session`) deletes the session from the
store whatever the store is (database, cache), so that browser meets the sign-in page at its
next request.
"""

from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts import policy
from tiaodu.accounts.models import SessionEnd, SignedInSession, User
from tiaodu.core import audit
from tiaodu.core.context import current
from tiaodu.core.models import AuditAction

# The record's id in the session itself, and when its last activity was last written.
RECORD = "tiaodu_session_record"
TOUCHED_AT = "tiaodu_session_touched_at"
TOUCH_EVERY = timedelta(minutes=1)


def opened(request: HttpRequest, user: User) -> SignedInSession:
    """Record the session a sign-in has just opened (after `login`, which renews the key)."""
    if request.session.session_key is None:
        request.session.save()
    now = timezone.now()
    record = SignedInSession.objects.create(
        user=user,
        session_key=request.session.session_key or "",
        source_address=current().source_address,
        user_agent=request.headers.get("User-Agent", "")[:300],
        signed_in_at=now,
        last_seen_at=now,
    )
    request.session[RECORD] = record.pk
    request.session[TOUCHED_AT] = now.timestamp()
    return record


def touch(request: HttpRequest) -> None:
    """Refresh the session's last activity (at most once a minute), with its current key."""
    record_id = request.session.get(RECORD)
    if record_id is None:
        return
    now = timezone.now()
    touched = request.session.get(TOUCHED_AT, 0)
    if now.timestamp() - touched < TOUCH_EVERY.total_seconds():
        return
    request.session[TOUCHED_AT] = now.timestamp()
    SignedInSession.objects.filter(pk=record_id, ended_at__isnull=True).update(
        last_seen_at=now, session_key=request.session.session_key or ""
    )


def rekeyed(request: HttpRequest) -> None:
    """Keep the record's key after the store renewed it (a password change does)."""
    record_id = request.session.get(RECORD)
    if record_id is not None:
        SignedInSession.objects.filter(pk=record_id).update(
            session_key=request.session.session_key or ""
        )


def closed(request: HttpRequest, end: SessionEnd) -> None:
    """Close the record of the session being signed out or timed out."""
    record_id = request.session.get(RECORD)
    if record_id is not None:
        SignedInSession.objects.filter(pk=record_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), end=end
        )


def active_since() -> datetime:
    """The oldest last activity of a session that may still be open (the longest idle limit)."""
    values = policy.current()
    return timezone.now() - max(values["IDLE_TIMEOUT"], values["ADMIN_IDLE_TIMEOUT"])


def active_sessions() -> QuerySet[SignedInSession]:
    """Sessions neither closed nor idle past the longest idle limit nor past the absolute one."""
    absolute = timezone.now() - policy.current()["ABSOLUTE_TIMEOUT"]
    return SignedInSession.objects.filter(
        ended_at__isnull=True, last_seen_at__gte=active_since(), signed_in_at__gte=absolute
    ).select_related("user")


@transaction.atomic
def end_session(*, actor: User, session: SignedInSession, current_key: str | None) -> None:
    """The security administrator ends a signed-in session: the browser is signed out at its
    next request. Refused for the administrator's own session in use (sign out instead)."""
    if session.ended_at is not None:
        raise ValidationError(_("This session has already ended."), code="ended")
    if current_key is not None and session.session_key == current_key:
        raise ValidationError(
            _("This is the session you are using: sign out from the menu instead."),
            code="own_session",
        )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=session.session_key).delete()
    session.ended_at = timezone.now()
    session.end = SessionEnd.ENDED
    session.ended_by = actor
    session.save(update_fields=["ended_at", "end", "ended_by"])
    with audit.in_site_language():
        message = _(
            "session ended by the security administrator (signed in %(at)s from %(address)s)"
        ) % {
            "at": f"{timezone.localtime(session.signed_in_at):%Y-%m-%d %H:%M}",
            "address": session.source_address or "—",
        }
    audit.record(actor=actor, action=AuditAction.SIGN_OUT, instance=session.user, message=message)
