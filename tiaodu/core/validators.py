"""Validators of the models' fields that more than one app uses (docs/errors.md, "Bounds")."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The invisible controls that reorder text (LRE…RLO, LRI…PDI): a name holding them shows
# other than what is stored.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def has_bidi_controls(text: str) -> bool:
    return bool(BIDI_CONTROLS.search(text))


def bidi_message() -> str:
    return _(
        "The name contains invisible direction control characters (U+202A–U+202E, "
        "U+2066–U+2069); remove them and save again."
    )


def refuse_bidi_controls(value: str) -> None:
    """A name's validator: no invisible direction controls, which would show a name other
    than the one stored (a 'Trojan source' name)."""
    if has_bidi_controls(value):
        raise ValidationError(bidi_message(), code="bidi")
