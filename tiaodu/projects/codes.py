"""The national investment project code (投资项目统一代码, GB/T 40058-2021).

24 characters in five groups: `YYYY-AAAAAA-BB-CC-NNNNNN` — the year the code was given
(DOMAIN.md writes it as year-month, YYMM; codes issued today carry a four-digit year, so
both readings are accepted), the six-digit administrative division, a two-digit
department code, a two-digit type code, and five serial digits with a check character.
We check the shape and the division, not the check character (its algorithm is not public).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts import divisions

PATTERN = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5}[0-9A-Z])$")


def _valid_first_group(group: str) -> bool:
    year = int(group)
    month = int(group[2:])
    return 1990 <= year <= 2099 or 1 <= month <= 12


def validate_project_code(value: str) -> None:
    """Raise a ValidationError that says what is wrong with a project code."""
    match = PATTERN.match(value or "")
    if match is None:
        raise ValidationError(
            _(
                "Project code “%(value)s” must have 24 characters in the form "
                "2019-510107-47-01-384732 (year, division code, department, type, serial)."
            ),
            code="format",
            params={"value": value},
        )
    if not _valid_first_group(match.group(1)):
        raise ValidationError(
            _("Project code “%(value)s” starts with “%(group)s”, which is not a year or a month."),
            code="year",
            params={"value": value, "group": match.group(1)},
        )
    if not divisions.is_known_code(match.group(2)):
        raise ValidationError(
            _(
                "Project code “%(value)s” names division %(region)s, which is not in the "
                "national division table."
            ),
            code="region",
            params={"value": value, "region": match.group(2)},
        )


def normalise_project_code(value: str | None) -> str | None:
    """Codes are stored upper-case without surrounding spaces; blank means none."""
    if value is None:
        return None
    value = value.strip().upper()
    return value or None
