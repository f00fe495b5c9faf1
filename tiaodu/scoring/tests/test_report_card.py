"""The month's card on a dispatch report's page (the context panel of reporting, which reads
it through `reporting.review_context.register_card_reader`): June 2026 computed as
conftest.py says (p6 of 黄岛区 red, p1 blue); May has no cards.

Personas: dora the dispatcher of 黄岛区, rita the reporter of owner unit A (p1, p6)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tiaodu.reporting import services as reporting_services
from tiaodu.reporting.history import PastReport
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.review_context import review_context
from tiaodu.scoring.models import Card

pytestmark = pytest.mark.django_db


def _waiting(world: Any, key: str, month: int) -> Report:
    """A monthly report of 2026 submitted by rita on its due date, not yet reviewed."""
    reporting_services.open_periods(today=dt.date(2026, 7, 20))
    period = Period.objects.get(cycle="monthly", start=dt.date(2026, month, 1))
    moment = dt.datetime.combine(period.due_date, dt.time(2, 0), tzinfo=dt.UTC)
    (report,) = reporting_services.record_past_reports(
        actor=world.alice,
        entries=[
            PastReport(
                plan=world.plans[key], period=period, investment=Decimal("10"),
                submitted_at=moment, submitted_by=world.rita,
            )
        ],
    )  # fmt: skip
    return report


def test_the_report_page_shows_the_months_card(client, world, june: dict[str, Card]) -> None:
    red = _waiting(world, "p6", 6)
    panel = review_context(world.dora, red)
    assert panel.card is not None
    assert (panel.card.colour, str(panel.card.label)) == ("red", "红牌")
    assert panel.card.url == reverse("scoring:card", args=[june["p6"].pk])
    client.force_login(world.dora)
    html = client.get(reverse("reporting:report", args=[red.pk])).content.decode()
    assert 'data-testid="card-colour" data-colour="red"' in html and "红牌" in html
    blue = _waiting(world, "p1", 6)
    assert review_context(world.rita, blue).card.colour == "blue"  # type: ignore[union-attr]


def test_a_month_without_cards_shows_none(client, world, june: dict[str, Card]) -> None:
    may = _waiting(world, "p6", 5)
    assert review_context(world.dora, may).card is None
    client.force_login(world.dora)
    html = client.get(reverse("reporting:report", args=[may.pk])).content.decode()
    assert 'data-testid="context-panel"' in html
    assert 'data-testid="card-colour"' not in html
