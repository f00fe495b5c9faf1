"""The date a ledger's year-to-date figures are as of: the one the uploader gives, or the one
the file's headers state ("截至2026-11-30", "1-8月完成投资"); both, they must agree; neither,
the import asks for it when the file has year-to-date figures to state."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tiaodu.projects.ledger.columns import BY_ID
from tiaodu.projects.ledger.reader import Sheet
from tiaodu.projects.ledger.rows import LedgerError

# The columns whose figures are stated as of the ledger's date.
DATED = ("ytd_completed", "bond_funds_spent")
# The code of the error asking for the date (answered on the import page, not in the file).
DATE_MISSING = "date_missing"


@dataclass
class Dating:
    """The resolved date (None when neither side gives one), the date the file states,
    and what is wrong with them."""

    as_of: dt.date | None
    stated: dt.date | None = None
    errors: list[LedgerError] = field(default_factory=list)


def resolve(sheet: Sheet, *, year: int, given: dt.date | None) -> Dating:
    stated: dict[dt.date, str] = {}
    errors: list[LedgerError] = []
    for header in sheet.stated:
        assert header.stated is not None
        if header.stated.wrong:
            errors.append(
                LedgerError(
                    sheet.name,
                    1,
                    header.letter,
                    header.text,
                    header.stated.wrong,
                    _(
                        "“%(text)s” is not a date of the calendar: correct the date in the "
                        "header (截至2026-11-30)."
                    )
                    % {"text": header.stated.wrong},
                )
            )
            continue
        stated.setdefault(header.stated.in_year(year), header.letter)
    if len(stated) > 1:
        days = "、".join(day.isoformat() for day in sorted(stated))
        errors.append(
            LedgerError(
                sheet.name,
                1,
                "",
                "",
                days,
                _(
                    "The headers state different dates (%(days)s): the year-to-date figures "
                    "of a ledger are all as of one day. Correct the headers."
                )
                % {"days": days},
            )
        )
    said = next(iter(stated)) if len(stated) == 1 else None
    if said is not None and said.year != year:
        errors.append(
            _header_error(
                sheet,
                stated[said],
                _(
                    "The header states %(day)s, which is not in the plan year %(year)s: "
                    "correct the header or the plan year."
                )
                % {"day": said.isoformat(), "year": year},
            )
        )
    if said is not None and given is not None and said != given:
        errors.append(
            _header_error(
                sheet,
                stated[said],
                _(
                    "The header states the figures as of %(stated)s, but %(given)s was "
                    "entered: leave the date empty to take the header's, or correct one of "
                    "the two."
                )
                % {"stated": said.isoformat(), "given": given.isoformat()},
            )
        )
    return Dating(as_of=given or said, stated=said, errors=errors)


def missing(sheet: Sheet) -> LedgerError:
    """The error of a ledger with year-to-date figures but no date for them."""
    header = sheet.header_of("ytd_completed") or sheet.header_of("bond_funds_spent")
    text = header.text if header else BY_ID["ytd_completed"].header
    return LedgerError(
        sheet.name,
        1,
        header.letter if header else "",
        text,
        "",
        _(
            "The file does not say as of which day “%(header)s” is: enter the date "
            "(截至日期) on this page, or write it in the header (截至2026-11-30)."
        )
        % {"header": text},
        code=DATE_MISSING,
    )


def _header_error(sheet: Sheet, letter: str, fix: str) -> LedgerError:
    header = next(h for h in sheet.headers if h.letter == letter)
    return LedgerError(sheet.name, 1, letter, header.text, header.text, fix)
