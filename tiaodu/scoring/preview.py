"""How a month's cards would change under proposed rules (the rules page's preview): the
stored cards' computed colours against the verdicts of the unsaved rule set. Nothing is
written; the month's stored cards are the site's, as the rules are."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tiaodu.scoring import rules
from tiaodu.scoring.board import COLOURS
from tiaodu.scoring.models import Card
from tiaodu.scoring.services import verdicts


@dataclass
class Preview:
    month: dt.date
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    # {"name", "region", "from", "to", "score_from", "score_to"}, worst new colour first.
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "colour": str(colour),
                "label": str(colour.label),
                "before": self.before[colour],
                "after": self.after[colour],
                "change": self.after[colour] - self.before[colour],
            }
            for colour in COLOURS
        ]


def preview(month: dt.date, rule_set: rules.Rules) -> Preview:
    """The month's cards now and under `rule_set`: counts per colour and the projects whose
    colour would change (a card that would appear or vanish counts as a change too)."""
    stored = {
        card.plan_id: card
        for card in Card.objects.filter(month=month).select_related("project__region")
    }
    result = Preview(month=month)
    result.before = {str(colour): 0 for colour in COLOURS}
    result.after = {str(colour): 0 for colour in COLOURS}
    for stored_card in stored.values():
        result.before[stored_card.colour] += 1
    for entry, verdict in verdicts(month, rule_set):
        card = stored.get(entry.plan_id)
        if verdict.colour is not None:
            result.after[verdict.colour] += 1
        before = card.colour if card is not None else ""
        after = verdict.colour or ""
        if card is None or before == after:
            continue
        result.changes.append(
            {
                "name": card.project.name,
                "region": card.project.region.name if card.project.region else "",
                "from": before,
                "to": after,
                "score_from": card.score,
                "score_to": verdict.score,
            }
        )
    order = {"red": 0, "yellow": 1, "blue": 2, "": 3}
    result.changes.sort(key=lambda change: (order[change["to"]], change["name"]))
    return result
