"""The review queue (审核队列): the reports of a dispatcher's scope by status, region, period
and check, the counts per status, and the order that "approve and next" follows.

The filters are plain query parameters (`status`, `region`, `period`, `flag`, `per_page`),
so that the queue's links, the report page and its approve button carry them unchanged
(`QueueFilters.query`). Everything here is a read: scoped by `selectors.reports_visible_to`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.core.bounds import PAGE_SIZE, filter_id, page_size
from tiaodu.core.scoping import Someone, dispatcher_paths
from tiaodu.reporting import selectors, workflow
from tiaodu.reporting.choices import ReportAction, ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.permissions import may_set_cycles, relations
from tiaodu.reporting.validation import RULES

# The statuses the queue lists, in the order of its tabs (a draft is the reporter's own).
QUEUE_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.DISTRICT_APPROVED,
    ReportStatus.APPROVED,
    ReportStatus.RETURNED,
)
# The tabs' names say what each status waits for (the status labels say what happened).
TAB_LABELS: dict[str, Promise] = {
    ReportStatus.SUBMITTED: pgettext_lazy("review queue", "Awaiting district review"),
    ReportStatus.DISTRICT_APPROVED: pgettext_lazy("review queue", "Awaiting city review"),
    ReportStatus.APPROVED: pgettext_lazy("review queue", "Approved"),
    ReportStatus.RETURNED: pgettext_lazy("review queue", "Returned"),
    "all": pgettext_lazy("review queue", "All"),
}
WAITING = (ReportStatus.SUBMITTED, ReportStatus.DISTRICT_APPROVED)
ALL = "all"
APPROVING = frozenset({ReportAction.APPROVE, ReportAction.APPROVE_DISTRICT})

# Waiting reports oldest submission first (the order of review); the others newest first:
# the returned by their return, the approved and all of them by when they were written (the
# key's order, which needs no sort of the whole history).
_ORDER: dict[str, tuple[str, ...]] = {
    ReportStatus.SUBMITTED: ("submitted_at", "pk"),
    ReportStatus.DISTRICT_APPROVED: ("submitted_at", "pk"),
    ReportStatus.APPROVED: ("-pk",),
    ReportStatus.RETURNED: ("-returned_at", "-pk"),
    ALL: ("-pk",),
}


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows: one status (or `ALL`), a region subtree, a period, a check."""

    status: str
    region: OrgUnit | None = None
    period: Period | None = None
    flag: int | None = None
    per_page: int = PAGE_SIZE

    def params(self, **changes: object) -> dict[str, str]:
        """The query parameters of these filters (with `changes`; None drops one)."""
        found: dict[str, object] = {
            "status": self.status,
            "region": self.region.pk if self.region else None,
            "period": self.period.pk if self.period else None,
            "flag": self.flag,
            "per_page": self.per_page if self.per_page != PAGE_SIZE else None,
        }
        found.update(changes)
        return {key: str(value) for key, value in found.items() if value is not None}

    def query(self, **changes: object) -> str:
        return urlencode(self.params(**changes))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def default_status(actor: Someone, counts: Mapping[str, int]) -> str:
    """The tab a reviewer opens on: the first of the statuses waiting for the actor that
    holds a report (the city: district-approved, then submitted, which it may approve
    directly; a district: submitted), else the first of them."""
    order = [ReportStatus.SUBMITTED]
    if may_set_cycles(actor):
        order.insert(0, ReportStatus.DISTRICT_APPROVED)
    return next((status for status in order if counts.get(str(status))), order[0])


def regions_for(actor: Someone) -> list[OrgUnit]:
    """The regions the queue can narrow to: each region the actor dispatches and the regions
    one level below it (a city's districts), in tree order."""
    paths = dispatcher_paths(actor)
    if not paths:
        return []
    depth = min(path.count("/") for path in paths) + 1
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    return [
        region
        for region in OrgUnit.objects.regions().filter(within).order_by("path")
        if region.path.count("/") <= depth
    ]


def parse(actor: Someone, params: Mapping[str, str]) -> QueueFilters:
    """The filters of a request; a value that names nothing in the actor's reach is dropped,
    and without a status the tab is the one waiting for the actor (`default_status`)."""
    return parse_with_counts(actor, params)[0]


def parse_with_counts(
    actor: Someone, params: Mapping[str, str]
) -> tuple[QueueFilters, dict[str, int]]:
    """`parse`, and the counts per status under the filters (`status_counts`), read once."""
    region_id = filter_id(params.get("region"))
    region = next((r for r in regions_for(actor) if r.pk == region_id), None) if region_id else None
    period_id = filter_id(params.get("period"))
    period = Period.objects.filter(pk=period_id).first() if period_id else None
    flag = _int(params.get("flag"))
    filters = QueueFilters(
        status=ALL,
        region=region,
        period=period,
        flag=flag if flag in RULES else None,
        per_page=page_size(params),
    )
    counts = status_counts(actor, filters)
    status = params.get("status") or ""
    if status != ALL and status not in QUEUE_STATUSES:
        status = default_status(actor, counts)
    return replace(filters, status=status), counts


class _HasRule(Func):
    """SQLite: whether a JSON list of checks holds one of the rule (`json_each` walks it).
    Compiled from the column, so that it holds inside subqueries under their aliases."""

    output_field = BooleanField()

    def __init__(self, column: str, rule: int) -> None:
        super().__init__(F(column))
        self.rule = rule

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({column}) AS checks "
            "WHERE json_extract(checks.value, '$.rule') = %s)"
        )
        return sql, (*params, self.rule)


def carries_warning(reports: QuerySet[Report], rule: int) -> QuerySet[Report]:
    """The reports whose checks at submit (`Report.warnings`, a JSON list of
    {"rule", "message", "blocking"}) include the rule. PostgreSQL tests containment on
    jsonb; SQLite has no containment on JSON, so it looks through the list with json_each."""
    if connection.vendor == "postgresql":
        return reports.filter(warnings__contains=[{"rule": rule}])
    return reports.filter(_HasRule("warnings", rule))


def _narrowed(actor: Someone, filters: QueueFilters) -> QuerySet[Report]:
    """The reports of the queue under every filter but the status."""
    reports = selectors.reports_visible_to(actor).filter(status__in=QUEUE_STATUSES)
    if filters.region is not None:
        reports = reports.filter(project__region__path__startswith=filters.region.path)
    if filters.period is not None:
        reports = reports.filter(period=filters.period)
    if filters.flag is not None:
        reports = carries_warning(reports, filters.flag)
    return reports


def _with_status(reports: QuerySet[Report], status: str) -> QuerySet[Report]:
    return reports if status == ALL else reports.filter(status=status)


def queue_reports(actor: Someone, filters: QueueFilters) -> QuerySet[Report]:
    """The queue's rows in its order, with what a row shows and what deciding it needs."""
    reports = _with_status(_narrowed(actor, filters), filters.status)
    return reports.select_related("project__service_officer").order_by(*_ORDER[filters.status])


def page_rows(actor: Someone, ids: Iterable[int]) -> list[Report]:
    """The reports of one page (their ids, in the queue's order), read in one query: the
    pages are counted and cut on the ids alone, so that a late page of a long history does
    not sort and skip whole joined rows."""
    order = list(ids)
    found = selectors.reports_visible_to(actor).select_related(
        "project__service_officer", "project__region", "project__owner_unit", "period"
    )
    rows = found.in_bulk(order)
    return [rows[pk] for pk in order if pk in rows]


def status_counts(actor: Someone, filters: QueueFilters) -> dict[str, int]:
    """How many reports each status tab holds under the other filters (one query)."""
    rows = (
        _narrowed(actor, filters)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts = {str(status): 0 for status in QUEUE_STATUSES}
    counts.update({str(status): n for status, n in rows})
    counts[ALL] = sum(counts[str(status)] for status in QUEUE_STATUSES)
    return counts


def periods_for(actor: Someone, filters: QueueFilters) -> list[Period]:
    """The period filter's choices, newest first: in the tabs of waiting and returned
    reports the periods that have some; in the approved and whole tabs (the history) every
    period begun by today. The chosen one stays offered."""
    if filters.status in (*WAITING, ReportStatus.RETURNED):
        unfiltered = QueueFilters(status=filters.status, region=filters.region, flag=filters.flag)
        ids = _with_status(_narrowed(actor, unfiltered), filters.status).values("period_id")
        found = list(Period.objects.filter(pk__in=ids).order_by("-end", "cycle"))
    else:
        found = list(Period.objects.filter(start__lte=clock.today()).order_by("-end", "cycle"))
    if filters.period is not None and filters.period not in found:
        found.insert(0, filters.period)
    return found


def approving_action(actor: Someone, report: Report) -> str | None:
    """The approval the workflow lets the actor take on the report now (district or city)."""
    actions = workflow.REPORTS.actions_for(relations(actor, report.project), report.status)
    return next(
        (a for a in (ReportAction.APPROVE, ReportAction.APPROVE_DISTRICT) if a in actions), None
    )


def waiting_order(actor: Someone, filters: QueueFilters) -> list[int]:
    """The ids of the queue's waiting reports under the filters, in the queue's order: the
    reports "approve and next" may go on to (a decided report has no next step)."""
    reports = queue_reports(actor, filters).filter(status__in=WAITING)
    return list(reports.values_list("pk", flat=True))


def next_to_review(actor: Someone, candidates: Iterable[int], batch: int = 50) -> Report | None:
    """The first of the candidate reports (ids, in order) that the actor may approve now."""
    ids = list(candidates)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        rows = selectors.reports_visible_to(actor).select_related("project__service_officer")
        found = rows.filter(pk__in=chunk, status__in=WAITING).in_bulk()
        for pk in chunk:
            report = found.get(pk)
            if report is not None and approving_action(actor, report) is not None:
                return report
    return None


def following(order: list[int], current: int) -> list[int]:
    """The ids after the current report in the queue's order (all of them when it is not
    there: the report was opened from elsewhere)."""
    return order[order.index(current) + 1 :] if current in order else order
