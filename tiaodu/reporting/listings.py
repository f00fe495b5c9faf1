"""The dispatch rounds' lists, shown and exported from one definition (core.listing): the
completeness board, the missing-reports list (催报名单), the review queue and a reporter's
reports due (我的待报).

Each source reads what its page shows, in the reader's scope and under the page's filters;
the pages (board_views, review_views) and their exports call the same source.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.accounts.signed_in import SignedInRequest
from tiaodu.core import clock
from tiaodu.core.bounds import query_id
from tiaodu.core.listing import Column, Filters, Found, Kind, Listing, Table, register
from tiaodu.projects.filters import scope_region
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting import board as completeness
from tiaodu.reporting import queue as review_queue
from tiaodu.reporting import urging
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Period, Report
from tiaodu.reporting.permissions import is_reviewer, reads_board, reports_due
from tiaodu.reporting.selectors import Due, due_for
from tiaodu.reporting.validation import RULES

# The board's orders of its owner units (`sort`).
SORTS = {
    "missing": lambda row: (-row.counts.missing, row.label),
    "-missing": lambda row: (row.counts.missing, row.label),
    "name": lambda row: (row.label,),
}
STATUS_BADGES = {
    ReportStatus.APPROVED: "bg-green text-white",
    ReportStatus.DISTRICT_APPROVED: "bg-cyan text-white",
    ReportStatus.SUBMITTED: "bg-blue text-white",
    ReportStatus.RETURNED: "bg-red text-white",
}


def _counts(label: Any) -> tuple[Column[Any], ...]:
    """The board's columns of a group (a region or an owner unit), after its name."""
    return (
        Column(label, lambda row: row.label or _("No owner unit")),
        Column(gettext_lazy("Expected"), lambda row: row.counts.expected, Kind.COUNT),
        Column(gettext_lazy("Submitted"), lambda row: row.counts.submitted, Kind.COUNT),
        Column(gettext_lazy("On time"), lambda row: row.counts.on_time, Kind.COUNT),
        Column(gettext_lazy("Late"), lambda row: row.counts.late, Kind.COUNT),
        Column(
            gettext_lazy("Missing"),
            lambda row: row.counts.missing,
            Kind.COUNT,
            link=lambda row: row.missing_url if row.counts.missing else "",
            css="td-money td-missing",
        ),
        Column(gettext_lazy("Submission rate"), lambda r: r.counts.submitted_rate, Kind.RATE),
        Column(gettext_lazy("On-time rate"), lambda r: r.counts.on_time_rate, Kind.RATE),
    )


def board_source(request: SignedInRequest) -> Found:
    """The board of the chosen period (by default the latest due) in the reader's scope."""
    actor = request.user
    if not reads_board(actor):
        raise Http404
    cycle, period = completeness.chosen_period(request.GET, clock.today())
    sort = request.GET.get("sort", "missing")
    sort = sort if sort in SORTS else "missing"
    data: dict[str, Any] = {"cycle": cycle, "period": period, "sort": sort, "by_unit": []}
    rows: list[Any] = []
    if period is not None:
        plans = plans_visible_to(actor).select_related(None).order_by()
        result = completeness.board(period, plans, scope_region(actor))
        result.by_unit.sort(key=SORTS[sort])
        urges = urging.last_urges(period)
        missing_url = reverse("reporting:missing", args=[period.pk])
        for row in result.by_region:
            itself = "&itself=1" if result.region and row.key == result.region.pk else ""
            setattr(row, "missing_url", f"{missing_url}?region={row.key}{itself}")  # noqa: B010
        for row in result.by_unit:
            setattr(row, "last_urge", urges.get(row.key) if row.key else None)  # noqa: B010
            setattr(row, "missing_url", f"{missing_url}?unit={row.key or 'none'}")  # noqa: B010
        rows, data["by_unit"], data["board"] = result.by_region, result.by_unit, result
        data["urges"] = urges

    def filters() -> Filters:
        if period is None:
            return []
        return [(_("Cycle"), period.get_cycle_display()), (_("Period"), period.label)]

    return Found(rows, filters, subject=period.label if period else "", data=data)


def _last_urged(row: Any) -> Any:
    last = getattr(row, "last_urge", None)
    return last.urged_at if last is not None else None


BOARD = register(
    Listing(
        key="reporting.board",
        page="reporting:board",
        export="reporting:board_export",
        name=gettext_lazy("Reporting completeness"),
        fallback="reporting-completeness",
        tables=(
            Table("regions", _counts(gettext_lazy("Region")), gettext_lazy("By region")),
            Table(
                "units",
                (
                    *_counts(gettext_lazy("Owner unit")),
                    Column(
                        gettext_lazy("Last urged"), _last_urged, Kind.DATETIME, testid="last-urged"
                    ),
                ),
                gettext_lazy("By owner unit"),
                rows=lambda found: found.data["by_unit"],
            ),
        ),
        source=board_source,
    )
)


def narrowed(params: Any, plans: QuerySet[AnnualPlan]) -> tuple[QuerySet, OrgUnit | None]:
    """The entries narrowed as the missing list's filters say: a region subtree (`region`,
    with `itself=1` its own projects only) or an owner unit (`unit`, `none` for none)."""
    narrowed_to = None
    region_id, unit_id = str(params.get("region", "")), str(params.get("unit", ""))
    if region_id.isdigit():
        narrowed_to = OrgUnit.objects.filter(pk=query_id(region_id)).first()
        if narrowed_to is None:
            raise Http404
        itself = params.get("itself") == "1"
        plans = (
            plans.filter(project__region=narrowed_to)
            if itself
            else plans.filter(project__region__path__startswith=narrowed_to.path)
        )
    elif unit_id == "none":
        plans = plans.filter(project__owner_unit__isnull=True)
    elif unit_id.isdigit():
        unit = query_id(unit_id)
        narrowed_to = OrgUnit.objects.filter(pk=unit).first()
        plans = plans.filter(project__owner_unit_id=unit)
    return plans, narrowed_to


class UnitLine:
    """An owner unit of the missing list: how many missing, its last 催报 (today's?)."""

    def __init__(self, unit: OrgUnit) -> None:
        self.unit = unit
        self.missing = 0
        self.last: Any = None
        self.today = False


def missing_source(request: SignedInRequest, period_id: int) -> Found:
    """The expected projects of a period with nothing handed in, in the reader's scope,
    narrowed to a region subtree or an owner unit; and their owner units with the last 催报."""
    actor = request.user
    if not reads_board(actor):
        raise Http404
    period = get_object_or_404(Period, pk=period_id)
    plans = plans_visible_to(actor).select_related(None).order_by()
    plans, narrowed_to = narrowed(request.GET, plans)
    rows = list(
        completeness.missing_plans(period, plans)
        .select_related("project", "project__region", "project__owner_unit")
        .order_by("project__region__path", "project__owner_unit__name", "project__name")
    )
    units: dict[int, UnitLine] = {}
    for plan in rows:
        setattr(plan, "due_date", period.due_date)  # noqa: B010
        unit = plan.project.owner_unit
        if unit is not None:
            units.setdefault(unit.pk, UnitLine(unit)).missing += 1
    latest = urging.last_urges(period, list(units))
    today = clock.today()
    for line in units.values():
        line.last = latest.get(line.unit.pk)
        line.today = line.last is not None and line.last.day == today
    lines = sorted(units.values(), key=lambda line: (-line.missing, line.unit.name))

    def filters() -> Filters:
        chosen = [(_("Period"), period.label)]
        if narrowed_to is not None:
            label = _("Region") if request.GET.get("region") else _("Owner unit")
            chosen.append((label, narrowed_to.name))
        elif request.GET.get("unit") == "none":
            chosen.append((_("Owner unit"), _("No owner unit")))
        return chosen

    data = {"period": period, "narrowed_to": narrowed_to, "units": lines}
    return Found(rows, filters, subject=period.label, data=data)


def _urged(line: UnitLine) -> str:
    if line.last is None:
        return ""
    return f"{Column('', str, Kind.DATETIME).text(line.last.urged_at)} · {line.last.urged_by}"


def _contact(plan: AnnualPlan) -> str:
    project = plan.project
    if project.contact_phone:
        return f"{project.contact_name or '—'} · {project.contact_phone}"
    return project.contact_name


MISSING = register(
    Listing(
        key="reporting.missing",
        page="reporting:missing",
        export="reporting:missing_export",
        name=gettext_lazy("Reports to chase"),
        fallback="missing-reports",
        tables=(
            Table(
                "projects",
                (
                    Column(
                        gettext_lazy("Project"),
                        lambda plan: plan.project.name,
                        width=36,
                        link=lambda plan: reverse("projects:detail", args=[plan.project.pk]),
                    ),
                    Column(gettext_lazy("Region"), lambda plan: plan.project.region.name),
                    Column(
                        gettext_lazy("Owner unit"),
                        lambda plan: plan.project.owner_unit and plan.project.owner_unit.name,
                        width=28,
                    ),
                    Column(gettext_lazy("Contact"), _contact, width=24),
                    Column(gettext_lazy("Due date"), lambda plan: plan.due_date, Kind.DATE),
                ),
                gettext_lazy("Missing reports"),
            ),
            Table(
                "units",
                (
                    Column(gettext_lazy("Owner unit"), lambda line: line.unit.name, width=28),
                    Column(gettext_lazy("Missing"), lambda line: line.missing, Kind.COUNT),
                    Column(gettext_lazy("Last urged"), _urged, width=28, testid="last-urged"),
                ),
                gettext_lazy("By owner unit"),
                rows=lambda found: found.data["units"],
            ),
        ),
        source=missing_source,
    )
)


def queue_source(request: SignedInRequest) -> Found:
    """The review queue's reports under its status tab, region, period and check: every one
    (the page shows them 25 a page)."""
    actor = request.user
    if not is_reviewer(actor):
        raise Http404
    filters_, counts = review_queue.parse_with_counts(actor, request.GET)
    reports = review_queue.queue_reports(actor, filters_).select_related(
        "project__region", "project__owner_unit", "period"
    )

    def filters() -> Filters:
        chosen = [(_("Review status"), str(review_queue.TAB_LABELS[filters_.status]))]
        if filters_.region is not None:
            chosen.append((_("Region"), filters_.region.name))
        if filters_.period is not None:
            chosen.append((_("Period"), filters_.period.label))
        if filters_.flag is not None:
            chosen.append((_("Checks at submit"), str(RULES[filters_.flag])))
        return chosen

    return Found(reports, filters, data={"filters": filters_, "counts": counts})


def _project(report: Report) -> str:
    if report.amendment:
        return f"{report.project.name} " + _("Amendment %(n)s") % {"n": report.amendment}
    return report.project.name


def _owner_unit(report: Report) -> str:
    try:
        unit = report.project.owner_unit
    except ObjectDoesNotExist:  # pragma: no cover - a project always may have none
        unit = None
    return unit.name if unit is not None else ""


def _flags(report: Report) -> list[str]:
    rules = sorted({int(w["rule"]) for w in report.warnings if "rule" in w})
    return [str(RULES[rule]) for rule in rules if rule in RULES]


QUEUE = register(
    Listing(
        key="reporting.queue",
        page="reporting:queue",
        export="reporting:queue_export",
        name=gettext_lazy("Reports to review"),
        fallback="review-queue",
        tables=(
            Table(
                "reports",
                (
                    Column(
                        gettext_lazy("Project"),
                        _project,
                        width=36,
                        link=lambda r: reverse("reporting:report", args=[r.pk]),
                    ),
                    Column(gettext_lazy("Region"), lambda r: r.project.region.name),
                    Column(gettext_lazy("Owner unit"), _owner_unit, width=28),
                    Column(gettext_lazy("Period"), lambda r: r.period.label, width=16),
                    Column(
                        gettext_lazy("Investment this period (10k yuan)"),
                        lambda r: r.investment,
                        Kind.MONEY,
                        width=16,
                    ),
                    Column(
                        gettext_lazy("Checks at submit"),
                        _flags,
                        width=28,
                        badge=lambda r: "bg-yellow-lt" if r.warnings else "",
                    ),
                    Column(
                        gettext_lazy("Review status"),
                        lambda r: r.get_status_display(),
                        badge=lambda r: STATUS_BADGES.get(r.status, "bg-secondary text-white"),
                    ),
                    Column(gettext_lazy("Submitted at"), lambda r: r.submitted_at, Kind.DATETIME),
                ),
            ),
        ),
        source=queue_source,
    )
)


# ---------------------------------------------------------------------------- my reports due


def due_source(request: SignedInRequest) -> Found:
    """我的待报: the reports the reader must still write or correct, by period (only the
    projects the reader reports for)."""
    if not reports_due(request.user):
        raise Http404
    today = clock.today()
    dues = due_for(request.user, today)
    return Found(dues, list, data={"today": today})


def _due_status(due: Due) -> str:
    if due.report is None:
        return _("Not started")
    if due.status == ReportStatus.RETURNED:
        return _("Returned")
    return _("Draft, not submitted")


def _due_badge(due: Due) -> str:
    if due.report is None:
        return "bg-secondary-lt"
    return "bg-red-lt" if due.status == ReportStatus.RETURNED else "bg-yellow-lt"


def _amendment(due: Due) -> str:
    if due.report is None or not due.report.amendment:
        return ""
    return _("Amendment %(n)s") % {"n": due.report.amendment}


def _return_reason(due: Due) -> str:
    if due.report is None or due.status != ReportStatus.RETURNED:
        return ""
    return due.report.return_reason


DUE = register(
    Listing(
        key="reporting.due",
        page="reporting:due",
        export="reporting:due_export",
        name=gettext_lazy("My reports due"),
        fallback="reports-due",
        tables=(
            Table(
                "due",
                (
                    Column(gettext_lazy("Period"), lambda due: due.period.label, width=16),
                    Column(gettext_lazy("Cycle"), lambda due: due.period.get_cycle_display()),
                    Column(gettext_lazy("Due date"), lambda due: due.period.due_date, Kind.DATE),
                    Column(gettext_lazy("Project"), lambda due: due.plan.project.name, width=36),
                    Column(gettext_lazy("Region"), lambda due: str(due.plan.project.region)),
                    Column(
                        gettext_lazy("Owner unit"),
                        lambda due: (
                            due.plan.project.owner_unit and str(due.plan.project.owner_unit)
                        ),
                        width=28,
                    ),
                    Column(gettext_lazy("Report status"), _due_status, badge=_due_badge),
                    Column(gettext_lazy("Amendment"), _amendment, badge=lambda due: "bg-azure-lt"),
                    Column(gettext_lazy("Reason for returning"), _return_reason, width=40),
                ),
            ),
        ),
        source=due_source,
    )
)
