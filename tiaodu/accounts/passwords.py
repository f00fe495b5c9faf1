"""Password rules of DOMAIN.md §9: three of four character classes, no reuse of the last N;
and what a guesser tries first refused: invisible or padded text, runs, common passwords."""

import functools
import itertools
import secrets
import string
import unicodedata
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tiaodu.accounts import policy


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
        depth = int(policy.current()["PASSWORD_HISTORY"])
        recent = [user.password] if user.password else []
        recent += list(user.password_history.values_list("password", flat=True)[:depth])
        if any(check_password(password, encoded) for encoded in recent[:depth]):
            raise ValidationError(
                _("The password must differ from your last %(n)d passwords.") % {"n": depth},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("It must differ from your last %(n)d passwords.") % {
            "n": policy.current()["PASSWORD_HISTORY"]
        }


# Characters a password may not hold: controls, format characters (zero-width space and
# joiners, bidi marks), private use and unpaired surrogates, line and paragraph separators.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


class PlainTextValidator:
    """What is typed is what is kept: no invisible characters, no text that Unicode
    normalisation (NFKC) would change (full-width letters and digits), no padding of spaces,
    and the minimum length counted without spaces."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if any(unicodedata.category(c) in _INVISIBLE for c in password):
            raise ValidationError(
                _("The password holds invisible characters: type it again on the keyboard."),
                code="password_invisible",
            )
        if unicodedata.normalize("NFKC", password) != password:
            raise ValidationError(
                _(
                    "The password holds full-width or compatibility characters: type it with "
                    "the input method in half-width (English) mode."
                ),
                code="password_not_normalised",
            )
        if password != password.strip() or sum(not c.isspace() for c in password) < (
            self.min_length
        ):
            raise ValidationError(
                _(
                    "The password may not begin or end with spaces, and needs at least "
                    "%(n)d characters besides spaces."
                )
                % {"n": self.min_length},
                code="password_padded",
            )

    def get_help_text(self) -> str:
        return _("Spaces do not count towards its length.")


# Rows of the keyboard, and their columns from the top (1qaz…), as a run may follow them.
_KEYBOARD = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm"]
RUN = 4


def _runs(text: str) -> str | None:
    """A run of RUN characters in alphabetical, numerical or keyboard order (either way)."""
    lowered = text.lower()
    for start in range(len(lowered) - RUN + 1):
        part = lowered[start : start + RUN]
        steps = {ord(b) - ord(a) for a, b in itertools.pairwise(part)}
        if steps in ({1}, {-1}) and part.isalnum():
            return text[start : start + RUN]
        if any(part in row or part[::-1] in row for row in _KEYBOARD):
            return text[start : start + RUN]
    return None


class SequenceValidator:
    """No run of four characters in order: 1234, abcd, 4321, qwer, asdf, 1qaz."""

    def validate(self, password: str, user: Any = None) -> None:
        run = _runs(password)
        if run is not None:
            raise ValidationError(
                _(
                    "The password holds “%(run)s”, a run of the alphabet, the digits or the "
                    "keyboard, which is guessed first."
                )
                % {"run": run},
                code="password_sequence",
            )

    def get_help_text(self) -> str:
        return _("No runs like 1234, abcd or qwer.")


COMMON_CHINESE = Path(__file__).resolve().parent / "data" / "common-passwords-zh.txt"


@functools.cache
def _common_chinese() -> frozenset[str]:
    lines = COMMON_CHINESE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and line[0] != "#")


class CommonChinesePasswordValidator:
    """Not a password common on Chinese sites (data/common-passwords-zh.txt), nor one of
    them with a symbol or two added at either end."""

    def validate(self, password: str, user: Any = None) -> None:
        core = password.lower().strip("!@#$%^&*.?_-")
        if password.lower() in _common_chinese() or core in _common_chinese():
            raise ValidationError(
                _("This password is among the most common ones: choose another."),
                code="password_common_chinese",
            )

    def get_help_text(self) -> str:
        return _("Not one of the most common passwords.")


TEMPORARY_ALPHABET = string.ascii_letters + string.digits + "!@#$%^&*-_=+"


def temporary_password(user: Any) -> str:
    """Sixteen random characters that pass the site's password policy: a first password,
    handed over once and changed at the first sign-in."""
    while True:
        password = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(16))
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
