"""The demo's financing-needs lists: the edition before the as-of date's (closed, three of
its needs answered by the demo bank) and the as-of date's own (published, two answered),
compiled by the city dispatcher through the services; every kind of change shows."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from tiaodu.accounts.models import User
from tiaodu.demo import parts
from tiaodu.financing import selectors
from tiaodu.financing.models import FinancingAnswer, FinancingList

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_two_editions_and_the_bank_answers() -> None:
    others = [part.name for part in parts.ordered() if part.name != "financing"]
    out = StringIO()
    with translation.override("en"):
        call_command(
            "load_demo", "--projects", "40", "--year", "2026", "--as-of", "2026-12-06",
            *[arg for name in others for arg in ("--without", name)], stdout=out,
        )  # fmt: skip
    fifth, sixth = FinancingList.objects.order_by("number")
    assert [(e.number, e.status) for e in (fifth, sixth)] == [(5, "closed"), (6, "published")]
    assert fifth.published_at is not None and sixth.published_at is not None
    assert (fifth.published_at.date(), sixth.published_at.date()) == (
        dt.date(2026, 9, 5),
        dt.date(2026, 11, 5),
    )
    bank = User.objects.get(username="bank")
    assert FinancingAnswer.objects.filter(answered_by=bank).count() == 5
    changes = selectors.comparison(User.objects.get(username="dispatcher"), sixth)
    assert (changes.met.count, changes.dropped.count, changes.carried.count) == (3, 2, 2)
    assert changes.added.count == 4 and sixth.needs.count() == 7
    # The bank sees the published edition only; the accounts' table names it.
    assert list(selectors.lists_visible_to(bank)) == [sixth]
    assert "published financing-needs lists" in out.getvalue()
    assert "3 met, 2 dropped, 2 carried over, 4 added" in out.getvalue()
