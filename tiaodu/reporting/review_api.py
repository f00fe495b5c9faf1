"""The dispatcher's side of reporting over the API, under `/api/v1/reports` (docs/api.md):
the review queue, approving or returning a report through `reporting.services`, and the
completeness board, with the scope, the workflow table and the refusals of the pages.

A report outside the caller's scope answers 404; one the caller sees but that is not
waiting for the caller's review, 403 with the service's message; a return without a
reason, 422 naming `reason`.
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.api_support import REFUSALS, CursorPages, Refusal
from tiaodu.projects.filters import scope_region
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting import board as completeness
from tiaodu.reporting import selectors, services
from tiaodu.reporting.api import PeriodOut, ReportOut, _period, _report, _report_of, refusals
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.permissions import is_reviewer, reads_board

router = Router(tags=["review"])


class ReturnIn(Schema):
    """What the reporter must correct (required; at most 500 characters are kept)."""

    reason: str


class CountsOut(Schema):
    """Expected entries, those handed in (on time: before the deadline, late: after), those
    missing, and the rates as two-place percentage strings (null with nothing expected)."""

    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    submitted_rate: str | None
    on_time_rate: str | None


class BoardRowOut(Schema):
    """A region (a district of the scope, or the scope itself) or an owner unit (id null:
    entries without one)."""

    id: int | None
    name: str
    counts: CountsOut


class BoardOut(Schema):
    period: PeriodOut
    totals: CountsOut
    by_region: list[BoardRowOut]
    by_unit: list[BoardRowOut]


class ReviewPages(CursorPages):
    """Cursor pages of the queue, each report written as its page shows it."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: Any, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return page | {"items": [_report(request.user, report) for report in page["items"]]}


def _reviewer(request: SignedInRequest) -> None:
    if not is_reviewer(request.user):
        raise Refusal(404, [_("There is no review queue for you.")])


@router.get("/review", response=list[ReportOut], url_name="review_queue")
@paginate(ReviewPages)
def review_queue(request: SignedInRequest):  # type: ignore[no-untyped-def]
    """The reports waiting for the caller's review (a district's first, then the city's),
    oldest submission first: the review page's default tab."""
    _reviewer(request)
    return selectors.review_queue(request.user)


@router.post(
    "/{report_id}/approve", response={200: ReportOut, **REFUSALS}, url_name="report_approve"
)
def approve(request: SignedInRequest, report_id: int) -> dict[str, Any]:
    """Approve at the caller's level: a district passes it to the city; the city's approval
    makes it the report that counts. 403 when it is not waiting for the caller."""
    actor = request.user
    report = _report_of(actor, report_id)
    with refusals():
        services.approve_report(actor=actor, report=report)
    return _report(actor, selectors.report_for(actor, report.pk))


@router.post("/{report_id}/return", response={200: ReportOut, **REFUSALS}, url_name="report_return")
def return_report(request: SignedInRequest, report_id: int, payload: ReturnIn) -> dict[str, Any]:
    """Send the report back to its reporter with the reason, which the reporter reads."""
    actor = request.user
    report = _report_of(actor, report_id)
    with refusals():
        services.return_report(actor=actor, report=report, reason=payload.reason)
    return _report(actor, selectors.report_for(actor, report.pk))


def _counts(counts: completeness.Completeness) -> dict[str, Any]:
    return counts.as_dict()


def _rows(rows: list[completeness.BoardRow]) -> list[dict[str, Any]]:
    return [{"id": row.key, "name": row.label, "counts": _counts(row.counts)} for row in rows]


@router.get("/board", response={200: BoardOut, **REFUSALS}, url_name="reporting_board")
def board(
    request: SignedInRequest, cycle: str | None = None, period: int | None = None
) -> dict[str, Any]:
    """The completeness board of a period (`period` by id; else the latest due of `cycle`,
    monthly / ten_day / ...; else of any cycle), in the caller's scope, per district and per
    owner unit (the most missing first), for dispatchers and leaders (others: 404)."""
    actor = request.user
    if not reads_board(actor):
        raise Refusal(404, [_("There is no reporting board for you.")])
    if cycle is not None and cycle not in Cycle.values:
        message = _("Choose a cycle: %(cycles)s.") % {"cycles": "、".join(Cycle.values)}
        raise Refusal(422, [message], {"cycle": [message]})
    params = {"cycle": cycle or "", "period": str(period or "")}
    _cycle, chosen = completeness.chosen_period(params, clock.today())
    if chosen is None or (period is not None and chosen.pk != period):
        raise Refusal(404, [_("There is no such period.")])
    plans = plans_visible_to(actor).select_related(None).order_by()
    result = completeness.board(chosen, plans, scope_region(actor))
    return {
        "period": _period(chosen),
        "totals": _counts(result.totals),
        "by_region": _rows(result.by_region),
        "by_unit": _rows(result.by_unit),
    }
