"""The bulletin's sections, each from the figure set's data (`contents.build` passes it),
and the lists of projects behind its counts: read with the very condition the figure set
counts with (`projects.figure_conditions`) over the very plan entries it counts, so a list
has exactly as many rows as its count says."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tiaodu.analytics.figures import (
    Row,
)
from tiaodu.core.numbers import CENT
from tiaodu.core.scoping import Actor
from tiaodu.documents.document import HEADINGS, Section, Table, Value, money, pct, rate, yi
from tiaodu.problems.selectors import day_end, problems_visible_to
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects.choices import ReserveStage
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.selectors import reports_visible_to
from tiaodu.scoring.choices import Colour
from tiaodu.supervision.notices.choices import NoticeKind

# ---------------------------------------------------------------------------------------
# The lists behind the counts


@dataclass(frozen=True, slots=True)
class Entry:
    """A plan entry as a list shows it (read as plain values: a list can hold thousands)."""

    pk: int
    project_id: int
    name: str
    region: str
    owner: str | None
    total_investment: Decimal
    planned_investment: Decimal
    planned_start: dt.date | None
    planned_completion: dt.date | None
    actual_start: dt.date | None
    actual_completion: dt.date | None
    ytd: Decimal | None = None


ENTRY_FIELDS = (
    "pk",
    "project_id",
    "project__name",
    "project__region__name",
    "project__owner_unit__name",
    "project__total_investment",
    "planned_investment",
    "planned_start",
    "planned_completion",
    "project__actual_start",
    "project__actual_completion",
)


def _listed(
    plans: QuerySet[AnnualPlan],
    condition: Q,
    order: tuple[str, ...],
    *,
    ytd_as_of: dt.date | None = None,
) -> list[Entry]:
    """The plan entries of a count, in one query of the values their rows show; the
    year-to-date amount as of `ytd_as_of` only for a list that shows it."""
    chosen = plans.filter(condition)
    fields: tuple[str, ...] = ENTRY_FIELDS
    if ytd_as_of is not None:
        chosen = chosen.annotate(ytd=conditions.ytd_completed(ytd_as_of))
        fields = (*fields, "ytd")
    rows = chosen.order_by(*order, "project__name", "pk").values_list(*fields)
    return [Entry(*row) for row in rows]


def _name(entry: Entry) -> list[Value]:
    return [entry.name, entry.region, entry.owner]


def _numbered(rows: list[list[Value]]) -> list[list[Value]]:
    return [[index, *row] for index, row in enumerate(rows, start=1)]


def _plan_rate(entry: Entry) -> Decimal | None:
    if not entry.planned_investment:
        return None
    value = Decimal(entry.ytd or 0) * 100 / entry.planned_investment
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _reasons(actor: Actor, plans: list[Entry], as_of: dt.date) -> dict[int, str]:
    """Why each lagging entry lags: the problems its latest approved report by D stated,
    else the title of its earliest problem still open on D."""
    ids = [plan.pk for plan in plans]
    end = day_end(as_of)
    reasons: dict[int, str] = {}
    reports = (
        reports_visible_to(actor)
        .filter(plan_id__in=ids, status=ReportStatus.APPROVED, period__end__lte=as_of)
        .filter(approved_at__lt=end)
        .exclude(new_problems="")
        .order_by("plan_id", "-period__end", "-amendment")
        .values_list("plan_id", "new_problems")
    )
    for plan_id, said in reports:
        reasons.setdefault(plan_id, " ".join(said.split()))
    by_project = {plan.project_id: plan.pk for plan in plans if plan.pk not in reasons}
    problems = (
        problems_visible_to(actor)
        .filter(project_id__in=list(by_project), raised_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .order_by("project_id", "raised_at", "pk")
        .values_list("project_id", "title")
    )
    for project_id, title in problems:
        reasons.setdefault(by_project[project_id], title)
    return reasons


# ---------------------------------------------------------------------------------------
# The sections


def overview(data: dict[str, Any], scope_name: str, month: int) -> Section:
    new_start, stats = data["new_start"], data["in_statistics"]
    paragraphs = [
        _(
            "In %(region)s, %(projects)s key projects are dispatched this year, with a total "
            "investment of %(total)s hundred million yuan and an annual planned investment of "
            "%(plan)s hundred million yuan. From January to %(month)s, %(ytd)s hundred million "
            "yuan were completed, %(rate)s of the annual plan, against a time progress of "
            "%(progress)s."
        )
        % {
            "region": scope_name,
            "projects": data["projects"],
            "total": yi(data["total_investment"]),
            "plan": yi(data["annual_plan"]),
            "month": f"{month}月",
            "ytd": yi(data["ytd_completed"]),
            "rate": pct(data["completion_rate"]),
            "progress": pct(data["time_progress"]),
        },
        _(
            "Of %(planned)s planned new starts, %(started)s have started (%(rate)s); "
            "%(included)s of %(due)s started projects are in the statistics (%(stats_rate)s)."
        )
        % {
            "planned": new_start["planned"],
            "started": new_start["started"],
            "rate": pct(new_start["rate"]),
            "included": stats["included"],
            "due": stats["due"],
            "stats_rate": pct(stats["rate"]),
        },
    ]
    unit = pgettext("bulletin", "projects")
    headline = Table(
        key="headline",
        title=_("Headline figures"),
        columns=[_("Indicator"), pgettext("bulletin", "Value"), _("Unit")],
        rows=[
            [_("Projects"), data["projects"], unit],
            [_("Total investment"), yi(data["total_investment"]), _("100 million yuan")],
            [_("Annual plan"), yi(data["annual_plan"]), _("100 million yuan")],
            [_("Completed this year"), yi(data["ytd_completed"]), _("100 million yuan")],
            [_("Investment completion rate"), rate(data["completion_rate"]), "%"],
            [_("Time progress"), rate(data["time_progress"]), "%"],
            [_("Planned new starts"), new_start["planned"], unit],
            [_("New starts started"), new_start["started"], unit],
            [_("New start rate"), rate(new_start["rate"]), "%"],
            [_("Completed"), data["completed"]["count"], unit],
            [_("Expected to complete"), data["expected_completion"]["count"], unit],
            [_("Should have started"), data["should_start"], unit],
            [_("Should have completed"), data["should_complete"], unit],
            [_("Lagging behind time progress"), data["lagging"], unit],
            [_("Reserve projects"), data["reserve"]["count"], unit],
        ],
    )
    return Section("overview", str(HEADINGS["overview"]), paragraphs, [headline])


def _rank_key(row: Row) -> tuple[int, Decimal, str]:
    value = row.figures["completion_rate"]
    return (value is None, -Decimal(value) if value is not None else Decimal(0), row.key)


def _region_row(figures: dict[str, Any]) -> list[Value]:
    return [
        figures["projects"],
        money(figures["annual_plan"]),
        money(figures["ytd_completed"]),
        rate(figures["completion_rate"]),
        figures["new_start"]["planned"],
        figures["new_start"]["started"],
        figures["completed"]["count"],
        figures["lagging"],
    ]


def regions(data: dict[str, Any], rows: list[Row]) -> Section:
    ranked = sorted((row for row in rows if row.figures["projects"]), key=_rank_key)
    table_rows: list[list[Value]] = [
        [rank, row.label, *_region_row(row.figures)] for rank, row in enumerate(ranked, start=1)
    ]
    table_rows += [
        [None, row.label, *_region_row(row.figures)] for row in rows if row not in ranked
    ]
    paragraphs = []
    if ranked:
        paragraphs.append(
            _(
                "By investment completion rate, %(first)s ranks first (%(first_rate)s) and "
                "%(last)s last (%(last_rate)s)."
            )
            % {
                "first": ranked[0].label,
                "first_rate": pct(ranked[0].figures["completion_rate"]),
                "last": ranked[-1].label,
                "last_rate": pct(ranked[-1].figures["completion_rate"]),
            }
        )
    table = Table(
        key="regions",
        title=_("Regions' progress and ranking"),
        columns=[
            _("Rank"),
            _("Region"),
            _("Projects"),
            _("Annual plan (10k yuan)"),
            _("Completed this year (10k yuan)"),
            _("Completion rate (%)"),
            _("Planned new starts"),
            _("New starts started"),
            _("Completed"),
            _("Lagging"),
        ],
        rows=table_rows,
        total=[None, _("Total"), *_region_row(data)],
    )
    return Section("regions", str(HEADINGS["regions"]), paragraphs, [table])


PROJECT_COLUMNS = ("No.", "Project name", "Region", "Owner unit")


def _project_columns(*more: str) -> list[str]:
    return [_(c) for c in PROJECT_COLUMNS] + list(more)


def new_starts(data: dict[str, Any], plans: QuerySet[AnnualPlan], as_of: dt.date) -> Section:
    started = _listed(
        plans, conditions.new_start() & conditions.started(as_of), ("project__actual_start",)
    )
    late = _listed(plans, conditions.should_start(as_of), ("planned_start",))
    new_start = data["new_start"]
    paragraphs = [
        _(
            "%(started)s of %(planned)s planned new starts have started (%(rate)s); "
            "%(late)s should have started by now and have not."
        )
        % {
            "started": new_start["started"],
            "planned": new_start["planned"],
            "rate": pct(new_start["rate"]),
            "late": data["should_start"],
        }
    ]
    return Section(
        "new_starts",
        str(HEADINGS["new_starts"]),
        paragraphs,
        [
            Table(
                key="new_starts",
                title=_("New starts started"),
                columns=_project_columns(
                    _("Total investment (10k yuan)"), _("Annual plan (10k yuan)"), _("Started on")
                ),
                rows=_numbered(
                    [
                        [
                            *_name(p),
                            p.total_investment,
                            p.planned_investment,
                            _iso(p.actual_start),
                        ]
                        for p in started
                    ]
                ),
                total=[
                    _("Total"),
                    len(started),
                    None,
                    None,
                    *_sums(started, "total", "plan"),
                    None,
                ],
            ),
            Table(
                key="should_start",
                title=_("Should have started"),
                columns=_project_columns(_("Annual plan (10k yuan)"), _("Planned start")),
                rows=_numbered(
                    [[*_name(p), p.planned_investment, _iso(p.planned_start)] for p in late]
                ),
                total=[_("Total"), len(late), None, None, *_sums(late, "plan"), None],
            ),
        ],
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


SUMS: dict[str, Callable[[Entry], Decimal]] = {
    "total": lambda p: p.total_investment,
    "plan": lambda p: p.planned_investment,
    "ytd": lambda p: Decimal(p.ytd or 0),
}


def _sums(plans: list[Entry], *keys: str) -> list[Value]:
    return [money(sum((SUMS[key](p) for p in plans), Decimal(0))) for key in keys]


def completions(
    data: dict[str, Any], plans: QuerySet[AnnualPlan], year: int, as_of: dt.date
) -> Section:
    done = _listed(plans, conditions.completed(year, as_of), ("project__actual_completion",))
    late = _listed(plans, conditions.should_complete(as_of), ("planned_completion",))
    paragraphs = [
        _(
            "%(completed)s projects have completed this year, with a total investment of "
            "%(investment)s hundred million yuan; %(expected)s more are planned to complete "
            "this year; %(late)s should have completed by now and have not."
        )
        % {
            "completed": data["completed"]["count"],
            "investment": yi(data["completed"]["total_investment"]),
            "expected": data["expected_completion"]["count"],
            "late": data["should_complete"],
        }
    ]
    return Section(
        "completions",
        str(HEADINGS["completions"]),
        paragraphs,
        [
            Table(
                key="completed",
                title=_("Completed this year"),
                columns=_project_columns(_("Total investment (10k yuan)"), _("Completed on")),
                rows=_numbered(
                    [[*_name(p), p.total_investment, _iso(p.actual_completion)] for p in done]
                ),
                total=[_("Total"), len(done), None, None, *_sums(done, "total"), None],
            ),
            Table(
                key="should_complete",
                title=_("Should have completed"),
                columns=_project_columns(_("Total investment (10k yuan)"), _("Planned completion")),
                rows=_numbered(
                    [[*_name(p), p.total_investment, _iso(p.planned_completion)] for p in late]
                ),
                total=[_("Total"), len(late), None, None, *_sums(late, "total"), None],
            ),
        ],
    )


def lagging(
    actor: Actor, data: dict[str, Any], plans: QuerySet[AnnualPlan], as_of: dt.date
) -> Section:
    lagging = _listed(plans, conditions.lagging(as_of), (), ytd_as_of=as_of)
    # The furthest behind first.
    lagging.sort(key=lambda p: (_plan_rate(p) or Decimal(0), p.name, p.pk))
    reasons = _reasons(actor, lagging, as_of)
    paragraphs = [
        _(
            "%(count)s started projects are more than 10 points behind the time progress of "
            "%(progress)s."
        )
        % {"count": data["lagging"], "progress": pct(data["time_progress"])}
    ]
    table = Table(
        key="lagging",
        title=_("Projects lagging behind time progress"),
        columns=_project_columns(
            _("Annual plan (10k yuan)"),
            _("Completed this year (10k yuan)"),
            _("Completion rate (%)"),
            _("Reason"),
        ),
        rows=_numbered(
            [
                [
                    *_name(p),
                    p.planned_investment,
                    money(p.ytd),
                    _plan_rate(p),
                    reasons.get(p.pk),
                ]
                for p in lagging
            ]
        ),
        total=[_("Total"), len(lagging), None, None, *_sums(lagging, "plan", "ytd"), None, None],
    )
    return Section("lagging", str(HEADINGS["lagging"]), paragraphs, [table])


def reserve(data: dict[str, Any]) -> Section:
    reserve = data["reserve"]
    table = Table(
        key="reserve",
        title=_("Reserve projects by stage"),
        columns=[_("Reserve stage"), _("Projects")],
        rows=[[str(stage.label), reserve["by_stage"][stage.value]] for stage in ReserveStage],
        total=[_("Total"), reserve["count"]],
    )
    paragraphs = [
        _("%(count)s projects are in the reserve pipeline.") % {"count": reserve["count"]}
    ]
    return Section("reserve", str(HEADINGS["reserve"]), paragraphs, [table])


def cards(data: dict[str, Any], previous: dict[str, Any] | None) -> Section:
    cards = data["cards"]
    before = previous["cards"] if previous is not None else None
    keys = [*Colour.values, "none"]
    labels = {**{colour.value: str(colour.label) for colour in Colour}, "none": _("No card")}
    rows: list[list[Value]] = []
    for key in keys:
        was = before[key] if before is not None else None
        rows.append([labels[key], cards[key], was, cards[key] - was if was is not None else None])
    now_total = sum(cards[key] for key in keys)
    was_total = sum(before[key] for key in keys) if before is not None else None
    table = Table(
        key="cards",
        title=_("Cards of the month"),
        columns=[_("Card"), _("This month"), _("Last month"), _("Change")],
        rows=rows,
        total=[
            _("Total"),
            now_total,
            was_total,
            now_total - was_total if was_total is not None else None,
        ],
    )
    paragraphs = [
        _(
            "Cards of %(month)s: %(blue)s blue, %(yellow)s yellow, %(red)s red, %(none)s without a card."
        )
        % {
            "month": cards["month"],
            "blue": cards["blue"],
            "yellow": cards["yellow"],
            "red": cards["red"],
            "none": cards["none"],
        }
    ]
    return Section("cards", str(HEADINGS["cards"]), paragraphs, [table])


def problems(data: dict[str, Any]) -> Section:
    problems = data["problems"]
    by_department: Mapping[str, Mapping[str, int]] = problems["by_department"]
    rows: list[list[Value]] = [
        [name, counts["open"], counts["overdue"], counts["resolved"]]
        for name, counts in sorted(
            by_department.items(), key=lambda item: (-item[1]["overdue"], item[0])
        )
    ]
    unassigned = [
        problems[key] - sum(counts[key] for counts in by_department.values())
        for key in ("open", "overdue", "resolved")
    ]
    if any(unassigned):
        rows.append([_("Not assigned to a department"), *unassigned])
    table = Table(
        key="problems",
        title=_("Problems by department"),
        columns=[_("Department"), _("Open"), _("Overdue"), _("Resolved this year")],
        rows=rows,
        total=[_("Total"), problems["open"], problems["overdue"], problems["resolved"]],
    )
    paragraphs = [
        _(
            "The problem ledger holds %(open)s open problems, %(overdue)s of them past their "
            "deadline; %(resolved)s were resolved this year, %(rate)s of them on time."
        )
        % {
            "open": problems["open"],
            "overdue": problems["overdue"],
            "resolved": problems["resolved"],
            "rate": pct(problems["resolved_on_time_rate"]),
        }
    ]
    return Section("problems", str(HEADINGS["problems"]), paragraphs, [table])


def notices(data: dict[str, Any]) -> Section:
    notices = data["notices"]
    table = Table(
        key="notices",
        title=_("Notices issued this year"),
        columns=[_("Kind"), _("Issued")],
        rows=[[str(kind.label), notices["by_kind"][kind.value]] for kind in NoticeKind],
        total=[_("Total"), notices["issued"]],
    )
    paragraphs = [
        _(
            "%(issued)s supervision notices were issued this year; %(answered)s have been "
            "answered and %(overdue)s are past their response deadline."
        )
        % notices
    ]
    return Section("notices", str(HEADINGS["notices"]), paragraphs, [table])
