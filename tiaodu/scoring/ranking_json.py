"""The month's rankings and the districts' indicators as one JSON object, the same for
`manage.py rankings --json` and `GET /api/v1/rankings` (docs/rankings.md)."""

import datetime as dt
from typing import Any

from tiaodu.core.scoping import Someone
from tiaodu.scoring import indicators, rankings


def rankings_json(*, actor: Someone | None, month: dt.date) -> dict[str, Any]:
    """{"month", "regions", "departments", "leaders", "indicators"} as the reader may see
    them (`actor` None: the whole site); the indicators for the month's year up to its end."""
    ranked = rankings.rankings(actor=actor, month=month)
    assessed = indicators.indicators(actor=actor, year=ranked.month.year, month=ranked.month.month)
    return {
        "month": f"{ranked.month:%Y-%m}",
        **{group: [row.as_dict() for row in ranked.table(group)] for group in rankings.GROUPS},
        "indicators": [row.as_dict() for row in assessed.rows],
    }
