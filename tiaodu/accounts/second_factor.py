"""The second factor (DOMAIN.md §9): one-time codes from an authenticator app (TOTP,
django-otp's `TOTPDevice`), single-use recovery codes, and the security administrator's reset.

- Enrolment: `pending_device` makes an unconfirmed device (its key shown as a QR code and as
  text); `confirm_enrolment` confirms it with a code from the app and makes ten recovery
  codes, shown once; only their SHA-256 digests are kept.
- Sign-in: after a right password, `verify` checks a one-time code or a recovery code as a
  sign-in attempt of `lockout` (throttle, locks, audit): a wrong code counts like a wrong
  password.
- The roles of the security policy in force (`policy.current()["TOTP_REQUIRED_ROLES"]`) must enrol: until they have,
  `accounts.middleware` lets them reach the enrolment page only (`enrolment_due`).
- `reset` removes a user's devices and recovery codes (the security administrator's action,
  for a lost phone); a user whose role requires the second factor enrols again at the next
  request.
"""

import hashlib
import secrets
from base64 import b32encode

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaodu.accounts import lockout, policy
from tiaodu.accounts.models import RecoveryCode, User, UserRole
from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.core.scoping import Someone

RECOVERY_CODES = 10
# Ten characters of an alphabet without look-alikes (0/o, 1/l/i): about 49 bits each.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10


def required_for(user: Someone) -> bool:
    """Whether the user's roles require the second factor (`TOTP_REQUIRED_ROLES`)."""
    required = policy.current()["TOTP_REQUIRED_ROLES"]
    if not required or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.roles & required)  # type: ignore[union-attr]


def enrolment_due(user: Someone) -> bool:
    """A user whose role requires the second factor and who has none yet."""
    return required_for(user) and not lockout.has_second_factor(user)  # type: ignore[arg-type]


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def pending_device(*, user: User) -> TOTPDevice:
    """The device being enrolled: the one begun before, or a new one with a new key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's `otpauth://` address as an inline SVG QR code (scanned by the app)."""
    code = segno.make(device.config_url, error="m")
    return str(code.svg_inline(scale=5, light="#fff", title=_("QR code for the authenticator app")))


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, digest=_digest(code)) for code in codes]
    )
    return codes


def _site(message: str, **params: object) -> str:
    with audit.in_site_language():
        text = _(message)
    return text % params if params else text


@transaction.atomic
def confirm_enrolment(*, actor: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device with a code from the app; returns the ten recovery codes (shown
    once). Replaces any device and recovery codes the user had."""
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied
    if not _normalise(code).isdigit() or not device.verify_token(_normalise(code)):
        raise ValidationError(
            {
                "code": _(
                    "The code is not right. Check that the app shows this account and that "
                    "the phone's clock is right, then type the code it shows now."
                )
            }
        )
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(actor)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=actor,
        message=_site(
            gettext_noop("second factor enrolled; %(n)d recovery codes made"), n=len(codes)
        ),
    )
    return codes


@transaction.atomic
def new_recovery_codes(*, actor: User) -> list[str]:
    """Ten new recovery codes for the actor's own second factor; the old ones stop working."""
    if confirmed_device(actor) is None:
        raise PermissionDenied
    codes = _new_recovery_codes(actor)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=actor,
        message=_site(gettext_noop("new recovery codes made; the old ones no longer work")),
    )
    return codes


@transaction.atomic
def turn_off(*, actor: User) -> None:
    """Remove one's own second factor, when one's roles do not require it."""
    if required_for(actor):
        raise PermissionDenied(_("Your role requires the second factor."))
    TOTPDevice.objects.filter(user=actor).delete()
    RecoveryCode.objects.filter(user=actor).delete()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=actor,
        message=_site(gettext_noop("second factor turned off")),
    )


@transaction.atomic
def reset(*, actor: User, user: User) -> None:
    """The security administrator removes a user's devices and recovery codes (a lost phone).
    An administrator's are removed only on a request a second administrator confirms
    (`accounts.confirmations`, 三权分立)."""
    if not actor.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied
    if UserRole.objects.filter(user_id=user.pk, role__in=ADMINISTRATOR_ROLES).exists():
        raise ValidationError(
            _(
                "An administrator's two-step sign-in is reset only with a second "
                "administrator's confirmation: ask for it, and another administrator confirms it."
            ),
            code="needs_confirmation",
        )
    remove(
        actor=actor,
        user=user,
        message=_site(gettext_noop("second factor reset by the security administrator")),
    )


def remove(*, actor: User, user: User, message: str) -> None:
    """Remove a user's devices and recovery codes, audited (the checks were made)."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=user, message=message)


@transaction.atomic
def verify(*, user: User, code: str) -> lockout.SignInResult:
    """The second step of the sign-in: a one-time code from the app, or an unused recovery
    code (then used up). A sign-in attempt of `lockout`: a wrong code is audited and counts
    toward the throttle and the locks; a right one completes the sign-in, audited."""
    typed = _normalise(code)
    used: list[RecoveryCode] = []

    def check() -> User | None:
        if not user.is_active:
            return None
        if typed.isdigit():
            device = confirmed_device(user)
            return user if device is not None and device.verify_token(typed) else None
        recovery = RecoveryCode.objects.filter(
            user=user, digest=_digest(typed), used_at__isnull=True
        ).first()
        if recovery is None:
            return None
        recovery.used_at = timezone.now()
        recovery.save(update_fields=["used_at"])
        used.append(recovery)
        return user

    result = lockout.attempt(
        username=user.get_username(),
        check=check,
        failure_message=gettext_noop("wrong one-time code"),
    )
    if result.ok:
        message = (
            _site(gettext_noop("with a recovery code; %(n)d left"), n=unused_recovery_codes(user))
            if used
            else _site(gettext_noop("with a one-time code"))
        )
        audit.record(actor=user, action=AuditAction.SIGN_IN, instance=user, message=message)
    return result
