"""The leader's dashboard (领导驾驶舱): the figure set of a scope drawn as charts.

Every number comes from the figure set (`figures.compute`) of the scope, or from the
selectors it uses (`trend.monthly`, held equal to it month by month; `figures.card_figures`
for last month's cards), so the dashboard, the statistics page, the ledger pages, the
bulletin and the API say the same. Each chart carries, for each bar or point, the link to
the projects (or problems, cards, notices) behind it: the library's, the ledger's, the card
list's filters that count the same thing.

`charts(actor, scope)` is what the page, the home page and the big screen draw. It is
cached per reader and scope for `TIAODU_DASHBOARD_CACHE_SECONDS`, under the figure set's
stamp of the data it reads (`figure_cache.data_stamp`); after a write the next load shows the
kept charts with their time while a worker draws the new ones (`core.stamps`).
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tiaodu.analytics import figure_cache, trend
from tiaodu.analytics.figures import (
    FigureSet,
    Scope,
    card_figures,
    compute,
    scoped_plans,
)
from tiaodu.core.scoping import Actor
from tiaodu.problems.choices import ProblemCategory
from tiaodu.problems.permissions import reads_ledger
from tiaodu.projects.choices import ReserveStage
from tiaodu.scoring.choices import Colour
from tiaodu.scoring.permissions import oversees_cards
from tiaodu.supervision.notices.choices import NoticeKind

YI = Decimal(10000)  # 万元 in 亿元
COLOURS = {"blue": "#206bc4", "yellow": "#f59f00", "red": "#d63939"}


def _yi(amount: str | Decimal | None) -> float:
    """An amount in 万元 as 亿元 with two places, for a chart axis."""
    return float((Decimal(amount or 0) / YI).quantize(Decimal("0.01")))


def _rate(value: str | None) -> float | None:
    return None if value is None else float(value)


def _link(name: str, params: dict[str, Any] | None) -> str | None:
    if params is None:
        return None
    return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def _library(base: dict[str, str], **extra: str) -> str | None:
    return _link("projects:list", {**base, **extra})


def _month(day: dt.date) -> str:
    """A month's short name on an axis: 1月, 2月 … (Jan, Feb … in English)."""
    return (
        dt.date(day.year, day.month, 1).strftime("%b")
        if get_language() == "en"
        else f"{day.month}月"
    )


def _headline(result: FigureSet) -> list[dict[str, Any]]:
    data, base = result.data, result.params
    new = data["new_start"]
    return [
        {
            "key": "projects",
            "label": _("Projects"),
            "value": data["projects"],
            "note": _("total investment %(amount)s 100M yuan")
            % {"amount": f"{_yi(data['total_investment']):,.2f}"},
            "link": _library(base),
        },
        {
            "key": "annual_plan",
            "label": _("Annual planned investment (100M yuan)"),
            "value": f"{_yi(data['annual_plan']):,.2f}",
            "link": _library(base),
        },
        {
            "key": "ytd_completed",
            "label": _("Completed this year (100M yuan)"),
            "value": f"{_yi(data['ytd_completed']):,.2f}",
            "note": _("completion rate %(rate)s%% · time progress %(progress)s%%")
            % {"rate": data["completion_rate"] or "—", "progress": data["time_progress"]},
            "link": _library(base, figure="started"),
        },
        {
            "key": "new_start",
            "label": _("New starts started"),
            "value": f"{new['started']} / {new['planned']}",
            "note": _("start rate %(rate)s%% · %(late)s should have started")
            % {"rate": new["rate"] or "—", "late": data["should_start"]},
            "link": _library(base, nature="new_start", figure="started"),
        },
        {
            "key": "lagging",
            "label": _("Lagging behind time progress"),
            "value": data["lagging"],
            "danger": bool(data["lagging"]),
            "link": _library(base, figure="lagging"),
        },
        {
            "key": "completed",
            "label": _("Completed projects"),
            "value": data["completed"]["count"],
            "note": _("%(late)s should have completed") % {"late": data["should_complete"]},
            "link": _library(base, figure="completed"),
        },
    ]


def _trend_chart(result: FigureSet, points: list[trend.MonthPoint]) -> dict[str, Any]:
    """The year-to-date figure month by month; months before the first dated figure are
    left out of the line (nothing was known of them), and the note says from when."""
    base = result.params
    known = [point for point in points if point.known]
    chart: dict[str, Any] = {
        "id": "trend",
        "kind": "line",
        "title": _("Completed investment against the plan's time line"),
        "unit": _("100M yuan"),
        "categories": [_month(point.end) for point in points],
        "series": [
            {
                "name": _("Completed this year"),
                "values": [_yi(p.ytd_completed) if p.known else None for p in points],
                "links": [
                    _library({**base, "as_of": p.end.isoformat()}) if p.known else None
                    for p in points
                ],
                "area": True,
            },
            {
                "name": _("Annual plan × time progress"),
                "values": [_yi(point.planned_to_date) for point in points],
                "dashed": True,
            },
        ],
    }
    if known and known[0] is not points[0]:
        chart["note"] = _(
            "Completed investment is stated (by the ledger or by reports) from %(month)s on: "
            "the months before are not known month by month."
        ) % {"month": f"{known[0].end:%Y-%m}"}
    return chart


def _new_start_chart(result: FigureSet, points: list[trend.MonthPoint]) -> dict[str, Any]:
    base = result.params
    return {
        "id": "new_starts",
        "kind": "line",
        "title": _("New starts against plan"),
        "unit": _("projects"),
        "categories": [_month(point.end) for point in points],
        "series": [
            {
                "name": _("Started"),
                "values": [point.new_starts_started for point in points],
                "links": [
                    _library(
                        {**base, "as_of": point.end.isoformat()},
                        nature="new_start",
                        figure="started",
                    )
                    for point in points
                ],
                "area": True,
            },
            {
                "name": _("Planned to have started"),
                "values": [point.new_starts_planned for point in points],
                "dashed": True,
            },
        ],
    }


def _regions_chart(result: FigureSet) -> dict[str, Any] | None:
    rows = [row for row in result.rows["by_region"] if row.figures["annual_plan"] != "0.00"]
    if len(rows) < 2:
        return None
    rows.sort(key=lambda row: Decimal(row.figures["completion_rate"] or 0))
    return {
        "id": "regions",
        "kind": "bar",
        "horizontal": True,
        "title": _("Regions by completion rate"),
        "unit": "%",
        "categories": [row.label for row in rows],
        "mark": {"name": _("Time progress"), "value": float(result.data["time_progress"])},
        "series": [
            {
                "name": _("Completion rate"),
                "values": [_rate(row.figures["completion_rate"]) for row in rows],
                "links": [_link("projects:list", row.params) for row in rows],
            }
        ],
    }


def _cards_of(actor: Actor, scope: Scope, day: dt.date) -> dict[str, Any]:
    """The figure set's `cards` of the month of `day` (none before the plan year)."""
    if day.year != scope.year:
        return {"month": f"{day:%Y-%m}", **{colour: 0 for colour in (*Colour.values, "none")}}
    return card_figures(actor=actor, scope=replace(scope, as_of=day))


def _cards_chart(actor: Actor, result: FigureSet) -> dict[str, Any] | None:
    """The as-of month's cards against the month before's (a month earlier while the as-of
    month's are not computed); nothing when neither month has cards."""
    scope = result.scope
    first = scope.as_of.replace(day=1)
    now = result.data["cards"]
    if not any(now[colour] for colour in Colour.values):
        # The as-of month's cards are not computed yet: the month before, against its own.
        first = (first - dt.timedelta(days=1)).replace(day=1)
        now = _cards_of(actor, scope, first)
    before = _cards_of(actor, scope, first - dt.timedelta(days=1))
    if not any(now[c] for c in Colour.values) and not any(before[c] for c in Colour.values):
        return None
    months = [before["month"], now["month"]]
    region = {"region": str(scope.region.pk)} if scope.region is not None else {}

    def links(colour: str) -> list[str | None]:
        if not oversees_cards(actor):
            return [None, None]
        return [
            _link("scoring:card_list", {"month": m, "colour": colour, **region}) for m in months
        ]

    return {
        "id": "cards",
        "kind": "bar",
        "stacked": True,
        "title": _("Monthly cards and their change"),
        "unit": _("projects"),
        "categories": months,
        "series": [
            {
                "name": str(Colour(colour).label),
                "colour": COLOURS[colour],
                "values": [before[colour], now[colour]],
                "links": links(colour),
            }
            for colour in Colour.values
        ],
    }


def _reserve_chart(result: FigureSet) -> dict[str, Any] | None:
    stages = result.data["reserve"]["by_stage"]
    if not result.data["reserve"]["count"]:
        return None
    base = result.params
    return {
        "id": "reserve",
        "kind": "funnel",
        "title": _("Reserve pipeline by stage"),
        "unit": _("projects"),
        "categories": [str(stage.label) for stage in ReserveStage],
        "series": [
            {
                "name": _("Reserve projects"),
                "values": [stages[stage.value] for stage in ReserveStage],
                "links": [
                    _library(base, nature="reserve", reserve_stage=stage.value)
                    for stage in ReserveStage
                ],
            }
        ],
    }


def ledger_params(actor: Actor, scope: Scope) -> dict[str, str] | None:
    """The problem ledger's filters that list the figure set's problems of the scope (its
    year, date and region), or None when the reader has no ledger or the scope narrows by
    level or list, which the ledger cannot."""
    if not reads_ledger(actor) or scope.level or scope.key_list is not None:
        return None
    params = {"as_of": scope.as_of.isoformat(), "year": str(scope.year)}
    if scope.region is not None:
        params["region"] = str(scope.region.pk)
    return params


def _problems_chart(actor: Actor, result: FigureSet) -> dict[str, Any]:
    scope = result.scope
    by_category = result.data["problems"]["by_category"]
    base = ledger_params(actor, scope)

    def links(**extra: str) -> list[str | None]:
        return [
            _link("problems:ledger", {**base, "category": c.value, **extra}) if base else None
            for c in ProblemCategory
        ]

    return {
        "id": "problems",
        "kind": "bar",
        "title": _("Open and overdue problems by category"),
        "unit": _("problems"),
        "categories": [str(category.label) for category in ProblemCategory],
        "series": [
            {
                "name": _("Open (not yet resolved)"),
                "values": [by_category[c.value]["open"] for c in ProblemCategory],
                "links": links(status="open"),
            },
            {
                "name": _("Overdue"),
                "colour": COLOURS["red"],
                "values": [by_category[c.value]["overdue"] for c in ProblemCategory],
                "links": links(overdue="yes"),
            },
        ],
    }


def _notices_chart(result: FigureSet) -> dict[str, Any]:
    by_kind = result.data["notices"]["by_kind"]
    year = str(result.scope.year)
    return {
        "id": "notices",
        "kind": "bar",
        "title": _("Supervision notices issued this year by kind"),
        "unit": _("notices"),
        "categories": [str(kind.label) for kind in NoticeKind],
        "series": [
            {
                "name": _("Issued"),
                "values": [by_kind[kind.value] for kind in NoticeKind],
                "links": [
                    _link("supervision:notices", {"kind": kind.value, "year": year})
                    for kind in NoticeKind
                ],
            }
        ],
    }


def _nothing(chart: str, scope: Scope) -> str:
    day = scope.as_of.isoformat()
    if chart == "problems":
        return _("No problem was open on %(date)s.") % {"date": day}
    if chart == "notices":
        return _("No supervision notice has been issued in %(year)s.") % {"year": scope.year}
    return _("Nothing to draw here as of %(date)s: every figure is 0.") % {"date": day}


def build(actor: Actor, scope: Scope, result: FigureSet | None = None) -> dict[str, Any]:
    """The dashboard of a resolved scope: the headline, the charts (those with something to
    show: no card chart before cards are computed, no funnel without reserve projects) and
    the figure set they were drawn from). A page that has computed the figure set already
    passes it as `result`."""
    if result is None:
        result = compute(actor=actor, scope=scope)
    points = trend.monthly(scoped_plans(actor, scope), scope.year, scope.as_of)
    charts = [
        _trend_chart(result, points),
        _regions_chart(result),
        _cards_chart(actor, result),
        _new_start_chart(result, points),
        _reserve_chart(result),
        _problems_chart(actor, result),
        _notices_chart(result),
    ]
    drawn = [chart for chart in charts if chart is not None]
    for chart in drawn:
        values = [value for series in chart["series"] for value in series["values"]]
        if not any(values):
            # Nothing but zeros: said in words, not drawn as an empty frame.
            chart["empty"] = _nothing(chart["id"], scope)
    return {
        "as_of": scope.as_of,
        "year": scope.year,
        "headline": _headline(result),
        "charts": drawn,
        "figures": result.data,
        "params": result.params,
    }


def charts(actor: Actor, scope: Scope) -> dict[str, Any]:
    """`build`, kept per reader, scope and language under the data's stamp; after a change
    the page shows the kept charts, with their time, while a worker draws the new ones."""
    return figure_cache.kept(
        "dashboard",
        actor,
        scope,
        int(settings.TIAODU_DASHBOARD_CACHE_SECONDS),
        lambda: build(actor, scope),
        stale_ok=True,
    )
