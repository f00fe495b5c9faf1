"""What importing a row changes, field by field, as the preview shows it: the ledger
column's header, the value before and after, written as the ledger writes them (labels in
Chinese, amounts in 万元 with separators, dates as 2026-11-30)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Model

from tiaodu.projects.ledger.cells import VOCABULARIES, chinese_labels
from tiaodu.projects.ledger.columns import BY_ID, Kind

# (column id, before, after) of each field that changes.
Change = tuple[str, str, str]


def shown(column_id: str, value: Any) -> str:
    """A value as the preview writes it ("" for nothing)."""
    if value is None or value == "":
        return ""
    kind = BY_ID[column_id].kind
    if kind in VOCABULARIES:
        return chinese_labels(VOCABULARIES[kind]).get(value, str(value))
    if isinstance(value, Model):
        return str(getattr(value, "name", value))
    if kind is Kind.AMOUNT and isinstance(value, Decimal | int | float):
        return f"{Decimal(value):,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def changes(pairs: Iterable[tuple[str, Any, Any]]) -> list[Change]:
    """The pairs (column id, before, after) whose shown values differ."""
    result = []
    for column_id, before, after in pairs:
        old, new = shown(column_id, before), shown(column_id, after)
        if old != new:
            result.append((column_id, old, new))
    return result


def header(column_id: str) -> str:
    return BY_ID[column_id].header
