"""The month's rankings over the API, `GET /api/v1/rankings?month=YYYY-MM`: the same JSON
as `manage.py rankings --json`, as the caller may see it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.scoring.permissions import oversees_cards
from tiaodu.scoring.ranking_json import rankings_json
from tiaodu.scoring.rankings import previous_month
from tiaodu.scoring.selectors import computed_months
from tiaodu.scoring.services import parse_month

router = Router(tags=["evaluation"])


class EvidenceOut(Schema):
    """The row's cards by where their investment figure comes from."""

    visit: int
    photos: int
    report: int
    ledger: int
    none: int


class RankRowOut(Schema):
    """A region, responsible unit or leader: its rank (average score, then fewer red, fewer
    yellow cards, then name), movement since the month before (null: new), cards per final
    colour, average score and the share of evidenced cards (0–1)."""

    rank: int
    movement: int | None
    movement_text: str
    name: str
    cards: int
    blue: int
    yellow: int
    red: int
    average_score: float
    evidenced_share: float
    evidence: EvidenceOut


class RegionRankRowOut(RankRowOut):
    """A region's row also counts its plan entries newly in the statistics in the month
    (本月新入统; not part of the order)."""

    new_inclusions: int


class IndicatorOut(Schema):
    actual: int
    target: int | None
    attainment: float | None


class IndicatorRowOut(Schema):
    """A district's three indicators for the year up to the month's end, against its targets."""

    rank: int | None
    movement: int | None
    movement_text: str
    name: str
    region_code: str
    new_starts: IndicatorOut
    inclusions: IndicatorOut
    completions: IndicatorOut
    overall: float | None


class RankingsOut(Schema):
    month: str
    regions: list[RegionRankRowOut]
    departments: list[RankRowOut]
    leaders: list[RankRowOut]
    indicators: list[IndicatorRowOut]


@router.get("", response=RankingsOut, url_name="rankings")
def rankings(request: SignedInRequest, month: str | None = None) -> dict[str, Any]:
    """The rankings of the month (YYYY-MM; by default the newest with cards) and the
    districts' assessment indicators, for dispatchers and leaders (others: 404). A month
    that is not YYYY-MM answers 422 with a message saying so."""
    actor = request.user
    if not oversees_cards(actor):
        raise Http404
    if month:
        try:
            chosen = parse_month(month)
        except ValidationError as error:
            raise HttpError(422, " ".join(error.messages)) from error
    else:
        months = computed_months()
        chosen = months[0] if months else previous_month(clock.today())
    return rankings_json(actor=actor, month=chosen)
