"""The month's cards over the API, `GET /api/v1/cards` (issue 10, part 8): the reader's
cards in the form of `manage.py cards --detail` (`tiaodu.scoring.serialise`), in cursor
pages like the other lists (`limit`, `cursor`; `{"items": [...], "next_cursor": ...}`,
docs/api.md), worst first.

`month` is YYYY-MM (default: the latest month with cards the reader sees); `region` a
division code (its subtree), `level` provincial / municipal / county, `list` a list of the
month's year by name, `colour` blue / yellow / red (the final colour). A parameter that
names nothing answers 422 with `{"detail", "messages", "fields"}` naming it; a reader of no
cards (an administrator, the auditor) 404.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.api_support import CursorPages, Refusal
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.scoring import serialise
from tiaodu.scoring.permissions import reads_cards
from tiaodu.scoring.selectors import cards_visible_to
from tiaodu.scoring.services import parse_month

router = Router(tags=["cards"])


class DimensionOut(Schema):
    """One dimension: blue, yellow, red or `na` (does not apply), and why, in Chinese."""

    colour: str
    reason: str


class DimensionsOut(Schema):
    investment: DimensionOut
    start: DimensionOut
    statistics: DimensionOut
    reporting: DimensionOut


class CardOut(Schema):
    """A plan entry's card for the month: the final colour (revised after an appeal), the
    score 0–100 as text with one place, each dimension, and what would restore blue."""

    code: str
    name: str
    region: str
    colour: str
    score: str
    dimensions: DimensionsOut
    restore: list[str]


@router.get("", response=list[CardOut], url_name="cards")
@paginate(CursorPages)
def list_cards(  # type: ignore[no-untyped-def]
    request: SignedInRequest,
    month: str | None = None,
    region: str | None = None,
    level: str | None = None,
    list_name: str | None = Query(None, alias="list"),
    colour: str | None = None,
):
    """The caller's cards of a month, red first, then yellow, then blue; within a colour
    the lowest score first."""
    actor = request.user
    if not reads_cards(actor):
        raise Refusal(404, [_("There are no cards for you to see.")])
    cards = cards_visible_to(actor)
    try:
        if month:
            chosen_month = parse_month(month)
        else:
            latest = cards.order_by("-month").values_list("month", flat=True).first()
            if latest is None:
                return []
            chosen_month = latest
        choice = serialise.choose(
            cards,
            plans_visible_to(actor),
            month=chosen_month,
            region=region,
            level=level,
            key_list=list_name,
            colour=colour,
        )
    except ValidationError as error:
        fields = (
            dict(error.message_dict) if hasattr(error, "error_dict") else {"month": error.messages}
        )
        raise Refusal(422, list(error.messages), fields) from error
    return serialise.Details(choice.listed)
