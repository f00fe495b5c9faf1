"""The library list as an xlsx file: the standard ledger (DOMAIN.md §5), so that it imports again.

The writer lives with the rest of the ledger (`tiaodu.projects.ledger.writer`); this module
is what the library's views call.
"""

import datetime as dt

from django.db.models import QuerySet

from tiaodu.projects.ledger.columns import COLUMNS
from tiaodu.projects.ledger.writer import EXPORT_RELATED, write_ledger_xlsx
from tiaodu.projects.models import AnnualPlan

__all__ = ["EXPORT_RELATED", "library_columns", "write_library_xlsx"]


def library_columns() -> list[tuple[str, int]]:
    """Headers and widths of the export, in order: the ledger template's."""
    return [(column.header, column.width) for column in COLUMNS]


def write_library_xlsx(plans: QuerySet[AnnualPlan], *, as_of: dt.date) -> bytes:
    """Write the rows of the (already filtered and scoped) library list as the ledger, its
    year-to-date figures as of the list's date."""
    return write_ledger_xlsx(plans, as_of=as_of)
