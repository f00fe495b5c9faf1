"""Parsing one cell of the ledger. Each parser returns the value or raises `CellError(fix)`.

Blank cells (None, "", spaces) parse to None (lists: an empty list). Amounts are Decimal
万元 with two places, rounded half-up; 亿元 are converted.
"""

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from tiaodu.projects.choices import (
    AnnualPlanLevel,
    AnnualPlanNature,
    ProjectCategory,
    ProjectFundingType,
    ReserveStage,
)
from tiaodu.projects.ledger.columns import Kind

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
MAX_AMOUNT = Decimal("99999999999999.99")  # the model's 16 digits, 2 places
YI = Decimal(10000)  # 1 亿元 = 10,000 万元


class CellError(ValueError):
    """A cell that cannot be read; the message says how to fix it."""

    def __init__(self, fix: str) -> None:
        super().__init__(fix)
        self.fix = fix


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value: object) -> str:
    """Text as typed; a whole number Excel stored as a number (a phone) loses its ".0"."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


_AMOUNT_TEXT = re.compile(r"^(?P<number>[+-]?\d+(?:\.\d+)?)(?P<unit>万元|万|亿元|亿)?$")


def parse_amount(value: object) -> Decimal | None:
    """`1,234.5`, `1234.5万元`, `12.3亿元` (→ 123000.00) or a number from Excel, in 万元."""
    if type(value) is float and math.isfinite(value) and value >= 0:
        # The usual cell, a number from Excel, without the checks it passes.
        amount = Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)
        if amount <= MAX_AMOUNT:
            return amount
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Write an amount in 10k yuan, such as 1234.5 or 12.3亿元."))
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation as error:
            raise CellError(
                _("Write an amount in 10k yuan, such as 1234.5 or 12.3亿元.")
            ) from error
        unit = ""
    else:
        text = re.sub(r"[\s,，]", "", str(value))
        match = _AMOUNT_TEXT.match(text)
        if match is None:
            raise CellError(
                _(
                    "“%(value)s” is not an amount: write a number in 10k yuan, such as 1234.5 or 12.3亿元."
                )
                % {"value": value}
            )
        amount = Decimal(match["number"])
        unit = match["unit"] or ""
    if not amount.is_finite():
        raise CellError(_("Write an amount in 10k yuan, such as 1234.5 or 12.3亿元."))
    if unit.startswith("亿"):
        amount *= YI
    if amount < 0:
        raise CellError(_("An amount cannot be negative: write 0 or more (in 10k yuan)."))
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount > MAX_AMOUNT:
        raise CellError(_("The amount is too large: write it in 10k yuan (万元), not in yuan."))
    return amount


def parse_coordinate(value: object) -> Decimal | None:
    """A longitude or latitude in decimal degrees, six places."""
    if is_blank(value):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation as error:
        raise CellError(
            _("Write the coordinate in decimal degrees, such as 120.382665.")
        ) from error
    if not number.is_finite() or isinstance(value, bool):
        raise CellError(_("Write the coordinate in decimal degrees, such as 120.382665."))
    return number.quantize(MICRO, rounding=ROUND_HALF_UP)


_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:00(?::00)?)?$")
_DAY_CN = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_MONTH = re.compile(r"^(\d{4})(?:年(\d{1,2})月|[-/.](\d{1,2}))$")


def _make_date(year: str, month: str, day: str, original: object) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as error:
        raise CellError(
            _("“%(value)s” is not a date of the calendar: check the month and the day.")
            % {"value": original}
        ) from error


def parse_date(value: object) -> dt.date | None:
    """`2019-08-01`, `2019/8/1`, `2019年8月1日`, `2019年8月`, `2019.8` or an Excel date.

    A month alone means its first day. A number like 2019.8 typed into a number cell
    arrives as a number; it is read as year.month (write 2019.10 as text, or as 2019年10月).
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
    elif isinstance(value, str):
        text = re.sub(r"\s+", " ", value.strip())
    else:
        text = str(value)
    if match := _DAY.match(text) or _DAY_CN.match(text):
        return _make_date(match[1], match[2], match[3], value)
    if match := _MONTH.match(text):
        return _make_date(match[1], match[2] or match[3], "1", value)
    raise CellError(
        _(
            "“%(value)s” is not a date: write it as 2019-08-01, 2019/8/1, 2019年8月1日, "
            "or 2019年8月 for a month."
        )
        % {"value": value}
    )


_BRACKETS = str.maketrans({"（": "(", "）": ")"})

# Labels that ledgers use besides the vocabulary's own (DOMAIN.md §1).
EXTRA_LABELS: dict[Kind, dict[str, str]] = {
    Kind.LEVEL: {
        "省级": "provincial",
        "省级重点": "provincial",
        "省重点项目": "provincial",
        "市级": "municipal",
        "市级重点": "municipal",
        "市重点项目": "municipal",
        "区县级": "county",
        "区(县)重点": "county",
        "县重点": "county",
        "区重点": "county",
        "区县重点项目": "county",
    },
    Kind.NATURE: {
        "储备": "reserve",
        "前期": "reserve",
        "储备(前期)": "reserve",
        "新建": "new_start",
    },
    Kind.RESERVE_STAGE: {
        "1": "agreement_signed",
        "2": "proposal_feasibility",
        "3": "approval_land_planning",
        "4": "preliminary_design",
        "5": "pre_construction",
    },
    Kind.CATEGORY: {"基础设施类": "infrastructure", "产业类": "industry", "民生": "social"},
    Kind.FUNDING_TYPE: {"政府": "government", "企业": "enterprise"},
}

VOCABULARIES: dict[Kind, type[models.TextChoices]] = {
    Kind.LEVEL: AnnualPlanLevel,
    Kind.NATURE: AnnualPlanNature,
    Kind.RESERVE_STAGE: ReserveStage,
    Kind.CATEGORY: ProjectCategory,
    Kind.FUNDING_TYPE: ProjectFundingType,
}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_BRACKETS).lower()


def chinese_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """value → the Chinese label (the ledger is written in Chinese whatever the reader's language)."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


def _lookup(kind: Kind) -> dict[str, str]:
    choices = VOCABULARIES[kind]
    table = {_key(value): value for value in choices.values}
    table.update({_key(str(label)): value for value, label in chinese_labels(choices).items()})
    with translation.override("en"):
        table.update({_key(str(label)): value for value, label in choices.choices})
    table.update({_key(label): value for label, value in EXTRA_LABELS.get(kind, {}).items()})
    # "1 签订投资协议": a stage written with its number.
    if kind is Kind.RESERVE_STAGE:
        for number, (value, label) in enumerate(chinese_labels(choices).items(), start=1):
            table[_key(f"{number}{label}")] = value
            table[_key(f"{number}.{label}")] = value
            table[_key(f"{number}、{label}")] = value
    return table


_LOOKUPS: dict[Kind, dict[str, str]] = {}


def parse_choice(kind: Kind, value: object) -> str | None:
    """A vocabulary value from its Chinese label (or its code, or its English label)."""
    if is_blank(value):
        return None
    if kind not in _LOOKUPS:
        _LOOKUPS[kind] = _lookup(kind)
    text = parse_text(value)
    found = _LOOKUPS[kind].get(_key(text))
    if found is None:
        allowed = "、".join(chinese_labels(VOCABULARIES[kind]).values())
        raise CellError(
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )
    return found


def parse_lists(value: object) -> list[str]:
    """List names separated by `；` or `;`, in order, each once."""
    if is_blank(value):
        return []
    names = [part.strip() for part in re.split(r"[；;]", parse_text(value))]
    return list(dict.fromkeys(name for name in names if name))
