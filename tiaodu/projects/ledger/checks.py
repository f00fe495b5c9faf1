"""The errors of a ledger as a whole: a file that cannot be imported at all, and a header
row with a column twice or a required column missing."""

from django.utils.translation import gettext as _

from tiaodu.projects.ledger.columns import REQUIRED
from tiaodu.projects.ledger.reader import Sheet
from tiaodu.projects.ledger.rows import LedgerError
from tiaodu.projects.ledger.safety import LedgerFileError


def file_errors(error: LedgerFileError) -> list[LedgerError]:
    if not error.cells:
        return [LedgerError(error.sheet, None, "", "", "", error.message)]
    result = []
    for ref in error.cells:
        letters = ref.split(":")[0].rstrip("0123456789")
        number = int(ref.split(":")[0][len(letters) :])
        result.append(LedgerError(error.sheet, number, letters, ref, "", error.message))
    return result


def header_errors(sheet: Sheet) -> list[LedgerError]:
    errors: list[LedgerError] = []
    seen: dict[str, str] = {}
    for header in sheet.headers:
        if header.column is None:
            continue
        if header.column.id in seen:
            errors.append(
                LedgerError(
                    sheet.name,
                    1,
                    header.letter,
                    header.text,
                    header.text,
                    _("Column %(other)s already holds “%(header)s”: keep one of the two columns.")
                    % {"other": seen[header.column.id], "header": header.column.header},
                )
            )
        seen.setdefault(header.column.id, header.letter)
    for column in REQUIRED:
        if column.id not in seen:
            errors.append(
                LedgerError(
                    sheet.name,
                    1,
                    "",
                    column.header,
                    "",
                    _(
                        "The required column “%(header)s” is missing: add it to row 1 "
                        "(the header row), with a value in every project row."
                    )
                    % {"header": column.header},
                )
            )
    return errors
