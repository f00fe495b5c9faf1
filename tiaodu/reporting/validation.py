"""The six checks of a report (DOMAIN.md §3), computed at submit and shown to the reporter
and the reviewer; the first two block the submit."""

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.core.media.choices import FileKind
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting.models import Period, Report

OVERRUN = Decimal("1.2")
ZERO_RUN = 3


@dataclass(frozen=True)
class Warning:
    rule: int
    message: str
    blocking: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def bond_funds_spent_error(plan: AnnualPlan, spent: Decimal | None) -> str | None:
    """Why a report's special-bond spending cannot be taken (None: it can): it is the year's
    cumulative spending, between 0 and the funds the entry was allotted."""
    if spent is None:
        return None
    if spent < 0:
        return _("The special-bond funds spent cannot be negative.")
    if not plan.bond_funds:
        return _("This project has no special-bond funds this year: leave the funds spent empty.")
    if spent > plan.bond_funds:
        return _(
            "The special-bond funds spent (%(spent)s, 10k yuan) cannot be more than the "
            "%(funds)s allotted this year."
        ) % {"spent": f"{spent:,.2f}", "funds": f"{plan.bond_funds:,.2f}"}
    return None


def _completed_since_start(report: Report) -> Decimal:
    """What the project has completed since it started, as the library knows it: every plan
    year's ledger figure and counting reports, this report's period included."""
    plans = AnnualPlan.objects.filter(project_id=report.project_id).aggregate(
        ledger=Sum("ytd_completed"), reported=Sum("reported_investment")
    )
    total = (plans["ledger"] or Decimal(0)) + (plans["reported"] or Decimal(0))
    counted = Report.objects.filter(
        project_id=report.project_id, period_id=report.period_id, is_current=True
    ).aggregate(total=Sum("investment"))["total"]
    return total - (counted or Decimal(0)) + (report.investment or Decimal(0))


def _zero_run(report: Report) -> bool:
    """This period and the two before it (of the same cycle) report no investment."""
    if report.investment is None or report.investment != 0:
        return False
    earlier = list(
        Period.objects.filter(cycle=report.period.cycle, end__lt=report.period.start)
        .order_by("-end")
        .values_list("pk", flat=True)[: ZERO_RUN - 1]
    )
    if len(earlier) < ZERO_RUN - 1:
        return False
    zeros = Report.objects.filter(
        project_id=report.project_id, period_id__in=earlier, is_current=True, investment=0
    ).count()
    return zeros == ZERO_RUN - 1


def check(report: Report) -> list[Warning]:
    """Every warning of the report as it stands, blocking ones first."""
    project = report.project
    period = report.period
    found: list[Warning] = []
    if report.investment is not None and report.investment < 0:
        found.append(Warning(1, _("The investment this period cannot be negative."), True))
    production = report.actual_production or project.actual_production
    if project.total_investment and not production:
        limit = project.total_investment * OVERRUN
        done = _completed_since_start(report)
        if done > limit:
            found.append(
                Warning(
                    2,
                    _(
                        "Completed since the start would be %(done)s (10k yuan), more than 1.2 "
                        "times the total investment of %(total)s; check the amount this period."
                    )
                    % {"done": f"{done:,.2f}", "total": f"{project.total_investment:,.2f}"},
                    True,
                )
            )
    started = report.actual_start or project.actual_start
    if started and started <= period.end and _zero_run(report):
        found.append(
            Warning(
                3,
                _("No investment for three periods in a row on a started project."),
                False,
            )
        )
    photos = [f for f in report.files.all() if f.kind == FileKind.PHOTO]
    for photo in photos:
        if photo.taken_at and timezone.localdate(photo.taken_at) < period.start:
            found.append(
                Warning(
                    4,
                    _("Photo “%(name)s” was taken on %(date)s, before this period began.")
                    % {
                        "name": photo.original_name,
                        "date": timezone.localdate(photo.taken_at).isoformat(),
                    },
                    False,
                )
            )
        if photo.looks_like_id:
            found.append(
                Warning(
                    5,
                    _("Photo “%(name)s” looks the same as a photo already used before.")
                    % {"name": photo.original_name},
                    False,
                )
            )
    included = report.statistics_inclusion or project.statistics_inclusion
    if started and not included and started < _month_before(period.end):
        found.append(
            Warning(
                6,
                _("Started more than a month ago and not yet in the statistics."),
                False,
            )
        )
    return sorted(found, key=lambda warning: (not warning.blocking, warning.rule))


def _month_before(day: dt.date) -> dt.date:
    month = day.month - 1 or 12
    year = day.year - (1 if day.month == 1 else 0)
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]  # fmt: skip
    return day.replace(year=year, month=month, day=min(day.day, last))


# The checks by number, in the words of the review queue's flag filter.
RULES: dict[int, Promise] = {
    1: gettext_lazy("Negative amount"),
    2: gettext_lazy("Over 1.2 × total investment"),
    3: gettext_lazy("Three periods without investment"),
    4: gettext_lazy("Photo taken before the period"),
    5: gettext_lazy("Photo used before"),
    6: gettext_lazy("Started, not in the statistics"),
}


# The bounds of a report's contents (docs/errors.md, "Bounds").
MAX_WORKERS = 100_000
DATE_FIELDS = ("actual_start", "actual_completion", "actual_production", "statistics_inclusion")


def out_of_bounds(report: Report, fields: dict[str, Any]) -> dict[str, str]:
    """The changed fields out of bounds, with why: workers on site 0–100000, the dates within
    the period's year ± 1 (a report read after `full_clean`, its values typed)."""
    errors: dict[str, str] = {}
    workers = report.workers_on_site
    if "workers_on_site" in fields and workers is not None and not 0 <= workers <= MAX_WORKERS:
        errors["workers_on_site"] = _("Workers on site must be from 0 to %(most)d.") % {
            "most": MAX_WORKERS
        }
    year = report.period.start.year
    for name in DATE_FIELDS:
        value = getattr(report, name)
        if name in fields and value is not None and not year - 1 <= value.year <= year + 1:
            errors[name] = _("Choose a date from %(first)d to %(last)d.") % {
                "first": year - 1,
                "last": year + 1,
            }
    return errors
