"""Password rules of DOMAIN.md §9: three of four character classes, no reuse of the last N."""

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassesValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, minimum: int = 3) -> None:
        self.minimum = minimum

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.minimum:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of these: lower-case letters, "
                    "upper-case letters, digits, symbols."
                )
                % {"n": self.minimum},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(n)d of: lower-case letters, upper-case letters, digits, symbols."
        ) % {"n": self.minimum}


class PasswordHistoryValidator:
    """The new password is none of the user's last N passwords (N from settings)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return
        depth = int(settings.TIAODU_SECURITY["PASSWORD_HISTORY"])
        recent = [user.password] if user.password else []
        recent += list(user.password_history.values_list("password", flat=True)[:depth])
        if any(check_password(password, encoded) for encoded in recent[:depth]):
            raise ValidationError(
                _("The password must differ from your last %(n)d passwords.") % {"n": depth},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("It must differ from your last %(n)d passwords.") % {
            "n": settings.TIAODU_SECURITY["PASSWORD_HISTORY"]
        }
