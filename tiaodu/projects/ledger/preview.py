"""The import preview's rows: filtered by what the row does, by a column it changes, and by
a text in its code, name or region; the columns that change, with how many rows each."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict

from tiaodu.projects.import_models import LedgerImport, LedgerImportRow, LedgerRowStatus
from tiaodu.projects.ledger.columns import BY_ID

PAGE_SIZE = 50


@dataclass(frozen=True)
class RowFilter:
    status: str = ""
    column: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "RowFilter":
        status = query.get("status", "")
        column = query.get("column", "")
        return cls(
            status=status if status in LedgerRowStatus.values else "",
            column=column if column in BY_ID else "",
            q=query.get("q", "").strip()[:100],
        )


def rows(item: LedgerImport, wanted: RowFilter) -> QuerySet[LedgerImportRow]:
    found = LedgerImportRow.objects.filter(ledger_import=item)
    if wanted.status:
        found = found.filter(status=wanted.status)
    if wanted.column:
        # `columns` holds ids between commas: match a whole id, not a part of another.
        column = wanted.column
        found = found.filter(
            Q(columns=column)
            | Q(columns__startswith=f"{column},")
            | Q(columns__endswith=f",{column}")
            | Q(columns__contains=f",{column},")
        )
    if wanted.q:
        found = found.filter(
            Q(name__icontains=wanted.q) | Q(code__icontains=wanted.q) | Q(region=wanted.q)
        )
    return found.order_by("number")


def changed_columns(item: LedgerImport) -> list[tuple[str, str, int]]:
    """(column id, header, rows changing it) in the ledger's column order."""
    counted: Counter[str] = Counter()
    for text in (
        LedgerImportRow.objects.filter(ledger_import=item)
        .exclude(columns="")
        .values_list("columns", flat=True)
    ):
        counted.update(text.split(","))
    return [(cid, column.header, counted[cid]) for cid, column in BY_ID.items() if counted[cid]]
