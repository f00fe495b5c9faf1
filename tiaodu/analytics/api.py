"""The figure set over the API, `GET /api/v1/stats`: the same dict as `manage.py stats --json`."""

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.analytics.figures import ScopeError, default_as_of, figure_set
from tiaodu.core.bounds import year_in_bounds, year_message
from tiaodu.core.db_router import replica_reads
from tiaodu.projects.permissions import reads_business_data
from tiaodu.projects.selectors import default_year

router = Router(tags=["statistics"])


class NewStartOut(Schema):
    planned: int
    started: int
    rate: str | None


class InStatisticsOut(Schema):
    due: int
    included: int
    rate: str | None
    # Included in the month of the as-of date, up to it (新入统).
    new_in_period: int


class CountAmountOut(Schema):
    count: int
    total_investment: str


class ByStageOut(Schema):
    agreement_signed: int
    proposal_feasibility: int
    approval_land_planning: int
    preliminary_design: int
    pre_construction: int


class ReserveOut(Schema):
    count: int
    by_stage: ByStageOut


class CardCountsOut(Schema):
    """The entries by the final colour of their card for the as-of date's month
    (DOMAIN.md §6); `none`: entries without a card that month (reserve entries, and all of
    them while the month is not computed)."""

    month: str
    blue: int
    yellow: int
    red: int
    none: int


class BondFundsOut(Schema):
    """The entries with special-bond funds (专项债券资金): how many, the funds allotted and
    spent by the date (万元), and the share spent (% or null)."""

    count: int
    allotted: str
    spent: str
    spent_rate: str | None


class FiguresOut(Schema):
    """The figures of one breakdown row (amounts: 万元 with two places; rates: % or null)."""

    projects: int
    total_investment: str
    annual_plan: str
    ytd_completed: str
    completion_rate: str | None
    time_progress: str
    new_start: NewStartOut
    in_statistics: InStatisticsOut
    completed: CountAmountOut
    expected_completion: CountAmountOut
    reserve: ReserveOut
    should_start: int
    should_complete: int
    lagging: int
    cards: CardCountsOut
    bond_funds: BondFundsOut


class ReportingOut(Schema):
    """The completeness of the latest period due by the as-of date (DOMAIN.md §4)."""

    period: str | None
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    rate: str | None
    on_time_rate: str | None


class ProblemCountsOut(Schema):
    open: int
    overdue: int
    resolved: int


class ProblemsOut(Schema):
    """The problem ledger as of the date: open = not closed; overdue = open past its
    deadline; resolved = closed in the year up to the date (DOMAIN.md §4)."""

    open: int
    overdue: int
    resolved: int
    resolved_on_time_rate: str | None
    by_category: dict[str, ProblemCountsOut]
    by_department: dict[str, ProblemCountsOut]


class NoticesOut(Schema):
    """Supervision notices of the year issued by the date, answered, overdue, by kind."""

    issued: int
    answered: int
    overdue: int
    by_kind: dict[str, int]


class ScopeOut(Schema):
    region: str | None
    level: str | None
    list_name: str | None = Field(None, alias="list")


class FigureSetOut(Schema):
    """DOMAIN.md §4, in its order: the scope, its figures, the four breakdowns,
    then the keys of later modules."""

    year: int
    as_of: str
    scope: ScopeOut
    projects: int
    total_investment: str
    annual_plan: str
    ytd_completed: str
    completion_rate: str | None
    time_progress: str
    new_start: NewStartOut
    in_statistics: InStatisticsOut
    completed: CountAmountOut
    expected_completion: CountAmountOut
    reserve: ReserveOut
    should_start: int
    should_complete: int
    lagging: int
    cards: CardCountsOut
    bond_funds: BondFundsOut
    by_level: dict[str, FiguresOut]
    by_region: dict[str, FiguresOut]
    by_category: dict[str, FiguresOut]
    by_list: dict[str, FiguresOut]
    reporting: ReportingOut
    problems: ProblemsOut
    notices: NoticesOut


@router.get("", response=FigureSetOut, by_alias=True, url_name="stats")
@decorate_view(replica_reads)
def stats(
    request: SignedInRequest,
    year: int | None = None,
    as_of: dt.date | None = None,
    region: str | None = None,
    level: str | None = None,
    list_name: str | None = Query(None, alias="list"),
) -> dict[str, Any]:
    """The statistics figure set for the caller's scope.

    `year` defaults to the current plan year, `as_of` to today (a past year: its last day);
    `region` is a division code, `level` provincial / municipal / county, `list` a list's
    name. A parameter that names nothing answers 422 with a message saying which.
    """
    actor = request.user
    if not reads_business_data(actor):
        raise Http404
    chosen_year = year if year is not None else default_year(actor)
    if not year_in_bounds(chosen_year):
        raise HttpError(400, year_message())
    try:
        return figure_set(
            actor=actor,
            year=chosen_year,
            as_of=as_of or default_as_of(chosen_year),
            region=region,
            level=level,
            key_list=list_name,
        )
    except ScopeError as error:
        raise HttpError(422, str(error)) from error
