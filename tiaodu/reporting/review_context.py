"""What a reviewer reads beside a report (the report page's context panel): the previous
period's report of the same plan entry with its photos, the year-to-date completed
investment as of this period's end against the annual plan and the time progress, and the
project's monthly card when the evaluation has one.

The year-to-date figure is the figure set's (`figure_conditions.ytd_completed`, through the
library's `with_progress`), so the panel, the project page, the library and the statistics
say the same number for the same date. The card comes from a higher app (scoring) through
`register_card_reader`, as the report page's buttons do through `report_links`.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.functional import Promise

from tiaodu.core.scoping import Actor
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.totals import with_progress
from tiaodu.reporting import selectors
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import Report, ReportFile


@dataclass(frozen=True)
class CardBadge:
    """A project's monthly card as the report page shows it: colour key, label, its page."""

    colour: str
    label: str | Promise
    url: str
    month: dt.date


# (actor, plan entry, first day of the month) -> the card the actor may see, or None.
CardReader = Callable[[Any, AnnualPlan, dt.date], CardBadge | None]
_card_reader: CardReader | None = None


def register_card_reader(reader: CardReader) -> None:
    """The evaluation app (higher) tells how to read a plan entry's card of a month."""
    global _card_reader
    _card_reader = reader


@dataclass(frozen=True)
class Progress:
    """The entry's year-to-date completed investment on a date against its plan."""

    as_of: dt.date
    ytd_completed: Decimal
    annual_plan: Decimal
    started: bool

    @property
    def completion_rate(self) -> Decimal | None:
        return conditions.completion_rate(self.ytd_completed, self.annual_plan)

    @property
    def time_progress(self) -> Decimal:
        return conditions.time_progress(self.as_of)

    @property
    def gap(self) -> Decimal | None:
        """Points of the completion rate above (+) or below (−) the time progress."""
        rate = self.completion_rate
        return None if rate is None else rate - self.time_progress

    @property
    def gap_points(self) -> Decimal | None:
        """The gap without its sign (the page says ahead or behind in words)."""
        gap = self.gap
        return None if gap is None else abs(gap)

    @property
    def lagging(self) -> bool:
        """Started, and behind time progress by more than the margin (`figure_conditions.lags`)."""
        return self.started and conditions.lags(self.ytd_completed, self.annual_plan, self.as_of)


@dataclass(frozen=True)
class ReviewContext:
    """The context panel of one report, for one reader."""

    previous: Report | None
    previous_files: list[ReportFile]
    progress: Progress
    # The figure once this report is approved, when approving it changes the figure (it is
    # not counting yet, and its period counts for the entry: after the ledger's date).
    progress_if_approved: Progress | None
    card: CardBadge | None


def previous_report(actor: Actor, report: Report) -> Report | None:
    """The report of the same plan entry for the latest earlier period the reader may see,
    drafts left out: the one that counts, else the latest amendment. Its files come along."""
    return (
        selectors.reports_visible_to(actor)
        .filter(plan_id=report.plan_id, period__end__lt=report.period.start)
        .exclude(status=ReportStatus.DRAFT)
        .prefetch_related(
            Prefetch("files", queryset=ReportFile.objects.order_by("created_at", "id"))
        )
        .order_by("-period__end", "-is_current", "-amendment")
        .first()
    )


def _ytd(plan: AnnualPlan, as_of: dt.date) -> Decimal:
    """The figure set's year-to-date completed investment of the entry on the date."""
    row = with_progress(AnnualPlan.objects.filter(pk=plan.pk), as_of).get()
    return Decimal(getattr(row, "ytd", None) or 0)


def _would_count(report: Report) -> bool:
    """Approving the report adds it to the figures: it is waiting, its period ends in the
    entry's year and after the ledger's date (the rule of `figures.counting_reports`)."""
    plan, end = report.plan, report.period.end
    waiting = report.status in (ReportStatus.SUBMITTED, ReportStatus.DISTRICT_APPROVED)
    return waiting and end.year == plan.year and (plan.ytd_as_of is None or end > plan.ytd_as_of)


def review_context(actor: Actor, report: Report) -> ReviewContext:
    """The panel's values for this reader: what the reader may see, as of the period's end."""
    plan, as_of = report.plan, report.period.end
    start = report.project.actual_start
    progress = Progress(
        as_of=as_of,
        ytd_completed=_ytd(plan, as_of),
        annual_plan=plan.planned_investment,
        started=start is not None and start <= as_of,
    )
    if_approved = None
    if _would_count(report):
        # This period's counting report (an earlier amendment) gives way to this one.
        replaced = (
            Report.objects.filter(counting_reports(), plan=plan, period=report.period)
            .values_list("investment", flat=True)
            .first()
        )
        ytd = progress.ytd_completed - (replaced or 0) + (report.investment or 0)
        if_approved = Progress(
            as_of=as_of,
            ytd_completed=ytd,
            annual_plan=progress.annual_plan,
            started=progress.started,
        )
    previous = previous_report(actor, report)
    month = as_of.replace(day=1)
    return ReviewContext(
        previous=previous,
        previous_files=list(previous.files.all()) if previous else [],
        progress=progress,
        progress_if_approved=if_approved,
        card=_card_reader(actor, plan, month) if _card_reader else None,
    )
