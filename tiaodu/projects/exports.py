"""The library list as an xlsx file: the standard ledger (DOMAIN.md §5), so that it imports again.

The writer lives with the rest of the ledger (`tiaodu.projects.ledger.writer`); this module
is what the library's export — the direct download and the background task — calls: the
list's filters read for an actor, the rows in the export's order, its date and its name.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from tiaodu.core.scoping import Actor
from tiaodu.projects import selectors
from tiaodu.projects.filters import AnnualPlanFilterSet
from tiaodu.projects.ledger.columns import COLUMNS
from tiaodu.projects.ledger.writer import Progress, write_ledger_xlsx
from tiaodu.projects.models import AnnualPlan

__all__ = [
    "export_as_of",
    "export_name",
    "export_plans",
    "library_columns",
    "library_filterset",
    "write_library_xlsx",
]


def library_columns() -> list[tuple[str, int]]:
    """Headers and widths of the export, in order: the ledger template's."""
    return [(column.header, column.width) for column in COLUMNS]


def library_filterset(actor: Actor, query: QueryDict, year: int) -> AnnualPlanFilterSet:
    """The library list's filters of `query` over the actor's plan entries of `year`."""
    data = query.copy()
    data["year"] = str(year)
    return AnnualPlanFilterSet(
        data, queryset=selectors.plans_visible_to(actor), actor=actor, year=year
    )


def export_plans(filterset: AnnualPlanFilterSet) -> QuerySet[AnnualPlan]:
    """The filtered entries in the export's order: the largest projects first."""
    return filterset.qs.order_by("-project__total_investment", "project_id")


def export_as_of(filterset: AnnualPlanFilterSet, year: int) -> dt.date:
    """The figures' date as the page shows them: the figure filter's date, else today,
    at most the plan year's last day."""
    return min(filterset.as_of_date(), dt.date(year, 12, 31))


def export_name(year: int, as_of: dt.date) -> tuple[str, str]:
    """The file's name (台账-2026-截至2026-12-06.xlsx) and its ASCII fallback."""
    name = _("Ledger-%(year)s-as of %(date)s") % {"year": year, "date": as_of.isoformat()}
    return name + ".xlsx", f"ledger-{year}-{as_of.isoformat()}.xlsx"


def write_library_xlsx(
    plans: QuerySet[AnnualPlan], *, as_of: dt.date, progress: Progress | None = None
) -> bytes:
    """Write the rows of the (already filtered and scoped) library list as the ledger, its
    year-to-date figures as of the list's date; `progress(done, total)` hears of the rows
    written."""
    return write_ledger_xlsx(plans, as_of=as_of, progress=progress)
