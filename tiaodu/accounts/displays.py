"""Wall displays (大屏): created, paired, recognised and revoked (docs/screen.md).

A display is not a user and has no Django session, so the session's idle and absolute
timeouts never ask a wall for a password. It is a credential the security administrator
grants and can revoke:

1. `create_display` keeps the display's name, region and expiry and returns a one-time
   pairing code (only its SHA-256 digest is stored; the link is shown once).
2. `pair_display`, when the wall's browser confirms the pairing link, spends the code and
   returns a new browser secret (again only its digest is stored); the screen's view puts
   `<id>.<secret>` in a signed, HttpOnly cookie limited to the screen's path (`attach`).
3. `display_from_request` recognises that cookie on each load and refresh of the screen:
   a live display reads as `DisplayReader`, a leader's read-only grant on its region with
   no user behind it (pk None), which only the screen's selectors are ever given.
4. `revoke_display` (or the expiry) ends it at the next refresh: the screen then shows a
   page without figures. A new pairing link (`new_pairing_link`) replaces the browser.

Like API tokens, these moments keep the real time (`timezone.now`), not `core.clock`.
"""

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.accounts.models import Display, OrgUnit, User
from tiaodu.accounts.permissions import manages_displays
from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Grant

COOKIE = "tiaodu_display"
SALT = "tiaodu.accounts.display"
PAIRING_HOURS = 24
DEFAULT_DAYS = 365
MAX_DAYS = 3660
# last_seen_at is written at most this often per display (not on every refresh).
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class DisplayReader:
    """A paired display as an actor: a leader's read of its region, nobody behind it.

    `pk` is None, so nothing that records who acted can point at it, and no page but the
    big screen ever receives it (the cookie is read only there)."""

    pk = None
    is_authenticated = True

    def __init__(self, display: Display) -> None:
        self.display = display

    def get_username(self) -> str:
        return f"display-{self.display.pk}"

    def scope_grants(self) -> list[Grant]:
        return [Grant(role=Role.LEADER, unit_path=self.display.region.path)]


class DisplayState(enum.StrEnum):
    """What a browser's display cookie amounts to."""

    NONE = "none"  # no cookie: not a display
    LIVE = "live"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # a bad signature, a replaced browser secret, a deleted display


@dataclass(frozen=True)
class Recognised:
    state: DisplayState
    display: Display | None = None

    @property
    def reader(self) -> DisplayReader | None:
        if self.state != DisplayState.LIVE or self.display is None:
            return None
        return DisplayReader(self.display)


class PairingRefused(Exception):
    """A pairing link that cannot pair (used, expired, revoked or unknown); the message says
    what to do."""


def _check_manager(actor: User) -> None:
    if not manages_displays(actor):
        raise PermissionDenied(_("Only the security administrator manages wall displays."))


def _new_code() -> str:
    return secrets.token_urlsafe(24)


def _stamp(moment: dt.datetime | None) -> str:
    return "" if moment is None else timezone.localtime(moment).isoformat(timespec="seconds")


@transaction.atomic
def create_display(
    *, actor: User, name: str, region: OrgUnit, days: int = DEFAULT_DAYS
) -> tuple[Display, str]:
    """A new display of `region`, valid for `days`; returns it with its one-time pairing
    code (valid for `PAIRING_HOURS`), which is not kept."""
    _check_manager(actor)
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Name the display after where it hangs, e.g. “调度指挥中心大屏”.")
    if not region.is_region:
        errors["region"] = _("Choose a region (a city, a district or a zone).")
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A display lasts from 1 to 3,660 days.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    code = _new_code()
    display = Display.objects.create(
        name=name[:100],
        region=region,
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
        pairing_digest=digest(code),
        pairing_expires_at=now + dt.timedelta(hours=PAIRING_HOURS),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=display,
        changes={
            "name": ["", display.name],
            "region": ["", region.name],
            "expires_at": ["", _stamp(display.expires_at)],
        },
    )
    return display, code


@transaction.atomic
def new_pairing_link(*, actor: User, display: Display) -> str:
    """A fresh one-time pairing code for a display that is neither revoked nor expired. The
    browser paired before stops showing figures: a display is one browser."""
    _check_manager(actor)
    display = Display.objects.select_for_update().get(pk=display.pk)
    now = timezone.now()
    if display.revoked_at is not None or display.expires_at <= now:
        raise ValidationError(
            _("This display is revoked or expired; create a new display instead.")
        )
    code = _new_code()
    was_paired = bool(display.secret_digest)
    display.pairing_digest = digest(code)
    display.pairing_expires_at = now + dt.timedelta(hours=PAIRING_HOURS)
    display.secret_digest = ""
    display.save(update_fields=["pairing_digest", "pairing_expires_at", "secret_digest"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=display,
        changes={"pairing_link": ["", _stamp(now)]},
        message=_("New pairing link; the browser paired before is unpaired.") if was_paired else "",
    )
    return code


@transaction.atomic
def revoke_display(*, actor: User, display: Display) -> None:
    """Revoke a display: from its next refresh it shows no figures. Revoking twice is a no-op."""
    _check_manager(actor)
    display = Display.objects.select_for_update().get(pk=display.pk)
    if display.revoked_at is not None:
        return
    display.revoked_at = timezone.now()
    display.revoked_by = actor
    display.pairing_digest = ""
    display.save(update_fields=["revoked_at", "revoked_by", "pairing_digest"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=display,
        changes={"revoked_at": ["", _stamp(display.revoked_at)]},
    )


def pairing_display(code: str) -> Display | None:
    """The display a pairing code would pair, if it still can (for the confirmation page)."""
    display = Display.objects.select_related("region").filter(pairing_digest=digest(code)).first()
    if display is None or _pairing_refusal(display, timezone.now()):
        return None
    return display


def _pairing_refusal(display: Display, now: dt.datetime) -> str:
    if display.revoked_at is not None:
        return _("This display has been revoked.")
    if display.expires_at <= now:
        return _("This display has expired.")
    if display.pairing_expires_at is None or display.pairing_expires_at <= now:
        return _("This pairing link has expired.")
    return ""


def pair_display(*, code: str) -> tuple[Display, str]:
    """Spend a pairing code: returns the display and the new browser secret (not kept).
    Raises PairingRefused for a code that is used, expired, revoked or unknown, and records
    the refusal."""
    with transaction.atomic():
        found = (
            Display.objects.select_for_update().filter(pairing_digest=digest(code or "")).first()
        )
        now = timezone.now()
        refusal = (
            _pairing_refusal(found, now)
            if found is not None
            else _("This pairing link has been used already or is not valid.")
        )
        if not refusal:
            assert found is not None
            return found, _pair(found, now)
    audit.record(
        actor=DisplayReader(found) if found is not None else None,
        action=AuditAction.SIGN_IN_FAILED,
        instance=found,
        success=False,
        message=refusal,
        actor_name="" if found is not None else "display",
    )
    raise PairingRefused(
        refusal + " " + _("Ask the security administrator for a new pairing link.")
    )


def _pair(display: Display, now: dt.datetime) -> str:
    secret = secrets.token_urlsafe(32)
    display.secret_digest = digest(secret)
    display.pairing_digest = ""
    display.pairing_expires_at = None
    display.paired_at = now
    display.last_seen_at = now
    display.save(
        update_fields=[
            "secret_digest",
            "pairing_digest",
            "pairing_expires_at",
            "paired_at",
            "last_seen_at",
        ]
    )
    audit.record(
        actor=DisplayReader(display),
        action=AuditAction.SIGN_IN,
        instance=display,
        changes={"paired_at": ["", _stamp(now)]},
    )
    return secret


def attach(response: HttpResponse, *, display: Display, secret: str, path: str) -> None:
    """Give the paired browser its cookie: signed, HttpOnly, sent to `path` only, until the
    display expires."""
    seconds = max(int((display.expires_at - timezone.now()).total_seconds()), 0)
    response.set_signed_cookie(
        COOKIE,
        f"{display.pk}.{secret}",
        salt=SALT,
        max_age=seconds,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def detach(response: HttpResponse, *, path: str) -> None:
    response.delete_cookie(COOKIE, path=path, samesite="Lax")


def display_from_request(request: HttpRequest) -> Recognised:
    """What the request's display cookie amounts to; a live display's last_seen_at is
    touched at most once a minute."""
    if COOKIE not in request.COOKIES:
        return Recognised(DisplayState.NONE)
    try:
        value = str(request.get_signed_cookie(COOKIE, salt=SALT))
        key, secret = value.split(".", 1)
        display = Display.objects.select_related("region").filter(pk=int(key)).first()
    except (signing.BadSignature, ValueError):
        return Recognised(DisplayState.UNKNOWN)
    if display is None or not display.secret_digest:
        return Recognised(DisplayState.UNKNOWN)
    if not hmac.compare_digest(display.secret_digest, digest(secret)):
        return Recognised(DisplayState.UNKNOWN)
    now = timezone.now()
    if display.revoked_at is not None:
        return Recognised(DisplayState.REVOKED, display)
    if display.expires_at <= now:
        return Recognised(DisplayState.EXPIRED, display)
    if display.last_seen_at is None or now - display.last_seen_at > TOUCH_EVERY:
        Display.objects.filter(pk=display.pk).update(last_seen_at=now)
    return Recognised(DisplayState.LIVE, display)


def refused(*, display: Display, state: DisplayState) -> None:
    """Record that a revoked or expired display asked for the screen."""
    audit.record(
        actor=DisplayReader(display),
        action=AuditAction.DENIED,
        instance=display,
        success=False,
        message=str(state),
    )
