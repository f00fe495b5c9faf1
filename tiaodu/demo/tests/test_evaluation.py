"""The demo's monthly judgment: cards for each closed month since the ledger's date, one
recomputation with its reason, proposals partly issued, partly dismissed, the rest waiting."""

import datetime as dt

import pytest

from tiaodu.demo.evaluation import closed_months
from tiaodu.demo.tests.conftest import DECEMBER, demo_loaded
from tiaodu.scoring.choices import ProposalStatus
from tiaodu.scoring.models import Appeal, Card, CardRun, Proposal

AS_OF = dt.date(2026, 12, 6)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-december")]


def test_the_closed_months_are_those_since_the_ledger_whose_reports_are_locked() -> None:
    # No periods opened in this database: a month closes the day after it ends.
    assert closed_months(2026, AS_OF) == [
        (dt.date(2026, 9, 1), dt.date(2026, 10, 1)),
        (dt.date(2026, 10, 1), dt.date(2026, 11, 1)),
        (dt.date(2026, 11, 1), dt.date(2026, 12, 1)),
    ]
    # On 1 October the ledger is June's: June to September are judged on the reports.
    assert [month.month for month, _day in closed_months(2026, dt.date(2026, 10, 1))] == [
        6,
        7,
        8,
        9,
    ]
    assert closed_months(2026, dt.date(2026, 1, 5)) == []


def test_the_demo_judges_its_closed_months(tmp_path_factory: pytest.TempPathFactory) -> None:
    with demo_loaded(tmp_path_factory, *DECEMBER) as (printed, _media):
        check_the_judged_months(printed)


def check_the_judged_months(printed: str) -> None:
    months = sorted(set(Card.objects.values_list("month", flat=True)))
    # November's last lock date (7 December) is after the demo's date.
    assert months == [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    assert set(Card.objects.values_list("colour", flat=True)) == {"blue", "yellow", "red"}
    dimensions = {
        (name, judged["colour"])
        for card in Card.objects.all()
        for name, judged in card.dimensions.items()
    }
    for name in ("investment", "start", "statistics", "reporting"):
        assert {colour for dimension, colour in dimensions if dimension == name} >= {"blue"}, name
    runs = CardRun.objects.filter(month=dt.date(2026, 10, 1)).order_by("run_at")
    assert [run.run_by is None for run in runs] == [True, False]
    assert "入统" in runs[1].reason and runs[1].changed >= 1
    october = Proposal.objects.filter(month=dt.date(2026, 10, 1))
    assert october.filter(status=ProposalStatus.ISSUED, notice__isnull=False).count() == 3
    assert october.filter(status=ProposalStatus.DISMISSED).count() == 2
    assert october.filter(status=ProposalStatus.OPEN).exists()
    assert not Proposal.objects.filter(
        month=dt.date(2026, 9, 1), status=ProposalStatus.OPEN
    ).exists()
    assert "Cards: 2026-09、2026-10" in printed
    # Two of October's cards appealed with a photo: one upheld, one revised (the computed
    # colour kept beside the revised one), each within its window.
    appealed = {appeal.status: appeal for appeal in Appeal.objects.select_related("card")}
    assert set(appealed) == {"upheld", "revised"} and Appeal.objects.count() == 2
    revised = appealed["revised"].card
    assert revised.month == dt.date(2026, 10, 1) and revised.revised_colour
    assert revised.revised_colour != revised.colour
    assert appealed["upheld"].card.revised_colour == ""
    assert all(appeal.files.count() == 1 for appeal in appealed.values())
    assert "Card appeals: 1 upheld, 1 revised, 0 waiting" in printed
