"""A computed month of cards for the appeal tests: June 2026 on the ledger of
`test_compute.ledger`, computed on Monday 20 July 2026 (p6 of 黄岛区 and owner unit A red,
p3 of 崂山区 and owner unit B red, p1 blue)."""

import datetime as dt
from typing import Any

import pytest

from tiaodu.core import clock
from tiaodu.scoring import services
from tiaodu.scoring.models import Card
from tiaodu.scoring.tests.test_compute import JUNE, ledger

COMPUTED = dt.date(2026, 7, 20)


@pytest.fixture
def june(world: Any) -> dict[str, Card]:
    """The June cards by project key."""
    ledger(world)
    with clock.frozen(COMPUTED):
        services.compute_cards(actor=world.alice, month=JUNE)
    found = {card.project_id: card for card in Card.objects.filter(month=JUNE)}
    return {key: found[p.pk] for key, p in world.projects.items() if p.pk in found}
