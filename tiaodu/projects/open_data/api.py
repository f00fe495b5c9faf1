"""Open data over the API: `GET /api/v1/open-data/oc4ids?year=Y` (docs/open-data.md).

The API's own authentication (an API token, or a signed-in session) and any business role:
the three administrators and the auditor read no business data, published or not. The
answer is the same for every caller: the published projects only, never scoped further.
"""

from typing import Any

from django.http import Http404
from ninja import Router
from ninja.errors import HttpError

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core.bounds import year_in_bounds, year_message
from tiaodu.projects.open_data.oc4ids import build_package
from tiaodu.projects.open_data.published import NotPublished
from tiaodu.projects.permissions import reads_business_data

router = Router(tags=["open data"])


@router.get("/oc4ids", response=dict[str, Any], url_name="open_data_oc4ids")
def oc4ids(request: SignedInRequest, year: int) -> dict[str, Any]:
    """The year's published projects as an OC4IDS 0.9 project package. 404 with a message
    when the site publishes no open data or no project of the year; 400 for a year out of
    bounds."""
    if not reads_business_data(request.user):
        raise Http404
    if not year_in_bounds(year):
        raise HttpError(400, year_message())
    try:
        return build_package(year=year, uri=request.build_absolute_uri())
    except NotPublished as error:
        raise HttpError(404, str(error)) from None
