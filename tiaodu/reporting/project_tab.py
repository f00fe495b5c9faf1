"""The 调度报告 tab of the project page (registered in ReportingConfig.ready): the project's
reports newest period first, with their photos and videos, and the chart of the plan year's
cumulative investment against the annual plan and the time progress."""

import itertools
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.core import clock
from tiaodu.core.scoping import Actor
from tiaodu.projects.detail_tabs import ProjectTab, register_tab
from tiaodu.projects.models import Project
from tiaodu.reporting import selectors


def chart_labels() -> dict[str, str]:
    """The chart's texts, in the reader's language (the script has none of its own)."""
    return {
        "cumulative": _("Completed this year"),
        "plan": _("Annual planned investment"),
        "time_progress": _("Time progress"),
        "unit": _("10k yuan"),
    }


def timeline_context(actor: Actor, project: Project) -> dict[str, Any]:
    """The reports the actor may see, grouped by period, and the plan year's series."""
    today = clock.today()
    reports = selectors.project_reports(actor, project)
    report_periods = [
        {"period": group[0].period, "reports": group}
        for group in (
            list(items) for _period, items in itertools.groupby(reports, key=lambda r: r.period_id)
        )
    ]
    plan = selectors.chart_plan(project, today)
    series = selectors.investment_series(actor, plan, today) if plan is not None else None
    return {
        "report_periods": report_periods,
        "series": series,
        "chart": {**series.as_json(), "labels": chart_labels()} if series else None,
    }


def register() -> None:
    register_tab(
        ProjectTab(
            key="reports",
            label=gettext_lazy("Dispatch reports"),
            template="reporting/_project_reports.html",
            context=timeline_context,
        )
    )
