"""A campaign's attainment over the API, `GET /api/v1/campaigns/{id}/attainment?as_of=`:
the same JSON as `manage.py campaign_attainment ID --as-of D --json`, as the caller may see
it (a district, its own regions' entries)."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.campaigns.selectors import attainment_for, campaign_for
from tiaodu.core import clock

router = Router(tags=["campaigns"])


class ValueOut(Schema):
    value: str | None
    met: bool


class TargetOut(Schema):
    """A target: its indicator and subset, the comparison and threshold, the value (a rate as
    a two-place percentage string, or a count) and whether it is met, overall and per
    district (by region code)."""

    indicator: str
    subset: str
    comparison: str
    threshold: str
    value: str | None
    met: bool
    by_region: dict[str, ValueOut]


class AttainmentOut(Schema):
    campaign: int
    as_of: str
    targets: list[TargetOut]


@router.get("/{campaign_id}/attainment", response=AttainmentOut, url_name="campaign_attainment")
def campaign_attainment(
    request: SignedInRequest, campaign_id: int, as_of: str | None = None
) -> dict[str, Any]:
    """The attainment as of a date (YYYY-MM-DD; by default today) for dispatchers and
    leaders (others, and a campaign that does not exist: 404)."""
    campaign = campaign_for(request.user, campaign_id)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else clock.today()
    except ValueError as error:
        raise HttpError(
            422, _("Give as_of as a date, YYYY-MM-DD (was “%(value)s”).") % {"value": as_of}
        ) from error
    return attainment_for(request.user, campaign, day).as_dict()
