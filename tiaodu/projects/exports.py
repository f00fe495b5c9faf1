"""The library list as an xlsx file: the standard ledger (DOMAIN.md §5), so that it imports again.

The writer lives with the rest of the ledger (`tiaodu.projects.ledger.writer`); this module
is what the library's views and its export task call.
"""

import datetime as dt

from django.db.models import QuerySet

from tiaodu.projects.ledger.columns import COLUMNS
from tiaodu.projects.ledger.writer import Progress, write_ledger_xlsx
from tiaodu.projects.models import AnnualPlan

__all__ = ["library_columns", "write_library_xlsx"]


def library_columns() -> list[tuple[str, int]]:
    """Headers and widths of the export, in order: the ledger template's."""
    return [(column.header, column.width) for column in COLUMNS]


def write_library_xlsx(
    plans: QuerySet[AnnualPlan], *, as_of: dt.date, progress: Progress | None = None
) -> bytes:
    """Write the rows of the (already filtered and scoped) library list as the ledger, its
    year-to-date figures as of the list's date; `progress(done, total)` hears of the rows
    written."""
    return write_ledger_xlsx(plans, as_of=as_of, progress=progress)
