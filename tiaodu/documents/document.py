"""The monthly bulletin's content as data (`contents.build` makes it; the renderers `docx`,
`pdf` and `xlsx` lay it out): a title and sections; a section has paragraphs and tables; a
table has its columns, its rows (typed values: int, Decimal, str, None for "none") and a
totals row. Also the sections' keys and headings, and how values are written (amounts in
万元 or 亿元, rates, dates, the bulletin's number)."""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.core.numbers import CENT

YI = Decimal(10000)  # 1 亿元 = 10,000 万元
Value = int | Decimal | str | None
# The sections whose end a dispatcher may add commentary paragraphs to, in document order;
# "requirements" is commentary only (the next steps the bulletin asks for).
SECTIONS = (
    "overview",
    "regions",
    "new_starts",
    "completions",
    "lagging",
    "reserve",
    "cards",
    "problems",
    "notices",
    "requirements",
)


# Each section's heading (the commentary form names the sections by them too).
HEADINGS: dict[str, Any] = {
    "overview": gettext_lazy("1. Overall progress"),
    "regions": gettext_lazy("2. Regions' progress and ranking"),
    "new_starts": gettext_lazy("3. New starts"),
    "completions": gettext_lazy("4. Completions"),
    "lagging": gettext_lazy("5. Projects lagging behind"),
    "reserve": gettext_lazy("6. Reserve pipeline"),
    "cards": gettext_lazy("7. Cards"),
    "problems": gettext_lazy("8. Problem ledger"),
    "notices": gettext_lazy("9. Supervision notices"),
    "requirements": gettext_lazy("10. Next steps"),
}


@dataclass
class Table:
    """One table of the bulletin (and one sheet of its workbook)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Value]]
    total: list[Value] | None = None


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class BulletinContent:
    """Every string and figure of one bulletin, in the site's language."""

    year: int
    month: int
    as_of: dt.date
    region: str
    issuing_body: str
    title: str
    number: str
    recipients: str
    sections: list[Section]
    issued_on: str
    figures: dict[str, Any]

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]


class MonthError(ValueError):
    """A month that is not YYYY-MM; the message says how to write it."""


def parse_month(value: str) -> dt.date:
    """ "2026-08" → 2026-08-01; MonthError otherwise."""
    try:
        year, month = (int(part) for part in value.strip().split("-"))
        return dt.date(year, month, 1)
    except ValueError as error:
        raise MonthError(
            _("“%(value)s” is not a month; write it as YYYY-MM, e.g. 2026-08.") % {"value": value}
        ) from error


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def yi(amount: str | Decimal) -> Decimal:
    """An amount in 万元 as 亿元, two places, half-up (DESIGN.md rule 5)."""
    return (Decimal(amount) / YI).quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: str | Decimal | None) -> Decimal:
    return Decimal(amount or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def rate(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def text(value: Value) -> str:
    """How a value reads in the document: a rate or amount with its two places, "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def is_number(value: Value) -> bool:
    """A count, an amount or a rate: set flush right in a table, as official tables do."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def pct(value: str | None) -> str:
    return "—" if value is None else f"{value}%"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def number_label(year: int, number: int | None) -> str:
    """通报〔2026〕7号; an unnumbered draft leaves the number blank."""
    return f"通报〔{year}〕{number if number else '  '}号"
