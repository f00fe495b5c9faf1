"""The demo city's dispatch rounds: two plan years of reports with photos (`load_demo`).

The first of the demo's parts after the library (`tiaodu.demo.parts`). After the library
is loaded, the city dispatcher has the key-project lists of each year (省重点项目, and
市重点项目, which holds the provincial ones too) report every ten days (旬报) and the other
entries monthly (the site's default): an entry promoted from the one onto the other
(`demo.list_changes`) keeps its cycle. The periods of both plan years are opened up to the
demo's date. The rounds are drawn as plain values (`rounds`), then written: the demo
accounts' own reports in the periods still open through the services, each step at its
moment on the clock (`live`), everything else at once as the site's history through
`reporting.services.record_past_reports` (`writer`, each report submitted by its owner
unit's reporter, `reporters`; the photos stored by `tiaodu.demo.photos`).
"""

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.demo import photos
from tiaodu.demo.library.spec import DemoSpec, PlanSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.reports import live, texts, writer
from tiaodu.demo.reports.reporters import unit_reporters
from tiaodu.demo.reports.rounds import Entry, Fate, PeriodRef, ReportPlan, draw_rounds
from tiaodu.projects.choices import ProcedureStatus
from tiaodu.projects.models import AnnualPlan, KeyProjectList, Procedure, Project
from tiaodu.reporting import services
from tiaodu.reporting.choices import Cycle
from tiaodu.reporting.models import Period, ReportFile
from tiaodu.reporting.selectors import REPORTING_NATURES, cycles_of

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

TEN_DAY_LISTS = ("省重点项目", "市重点项目")
PHOTOS = 1500  # about this many photos in a large demo; one report in four in a small one
NAME = "reports"
CITY_CENTRE = (Decimal("36.0671"), Decimal("120.3826"))  # for a project without a position


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    """Write the demo's rounds; the summary lines."""
    users = loaded.users
    city = users["dispatcher"]
    for item in KeyProjectList.objects.filter(name__in=TEN_DAY_LISTS, year__in=_years(spec)):
        services.set_cycle_rule(actor=city, cycle=Cycle.TEN_DAY, key_project_list=item)
    services.open_periods(today=spec.as_of, since=dt.date(spec.year - 1, 1, 1))
    district = users["district"]
    district_path = district.scope_grants()[0].unit_path
    entries, reporters = _entries(spec, loaded, district_path)
    periods: dict[str, list[PeriodRef]] = {}
    for period in Period.objects.filter(start__gte=dt.date(spec.year - 1, 1, 1)).order_by("end"):
        periods.setdefault(period.cycle, []).append(
            PeriodRef(
                period.pk, period.cycle, period.start, period.end, period.due_date, period.lock_date
            )
        )
    due = sum(
        1 for entry in entries for p in periods.get(entry.cycle, []) if p.end.year == entry.year
    )
    plans = draw_rounds(
        entries,
        periods,
        seed=spec.seed,
        today=spec.as_of,
        photo_share=min(0.25, PHOTOS / max(1, due)),
    )
    live_plans = [
        plan for plan in plans
        if plan.entry.project_id in reporters and plan.period.lock_date >= spec.as_of
    ]  # fmt: skip
    _force_reporter_rounds(live_plans, users["reporter"], reporters)
    _force_district_queue([p for p in plans if p not in live_plans], spec.as_of)
    live_ids = {id(plan) for plan in live_plans}
    staff = writer.Staff(
        reporters=reporters | _unit_reporters(spec, loaded, reporters, entries),
        district=district,
        city=city,
    )
    written = writer.write_reports([p for p in plans if id(p) not in live_ids], staff)
    files = photos.store_report_photos(written, staff)
    flagged = {item.report_id for item in files if item.looks_like_id}
    flagged |= {
        report.pk
        for plan, report in written
        if any(photo.taken_at.date() < plan.period.start for photo in plan.photos)
    }
    writer.write_warnings([report for _plan, report in written if report.pk in flagged])
    audit.record(
        actor=None,
        action=AuditAction.CREATE,
        object_label=_("%(count)d reports of earlier rounds") % {"count": len(written)},
        changes={"photos": ["", str(len(files))]},
    )
    live.write_live(live_plans, staff, amend=True, today=spec.as_of)
    stored = ReportFile.objects.filter(report__project__region__path__startswith=loaded.root.path)
    return _summary(plans, stored.count(), stored.exclude(looks_like=None).count())


def _unit_reporters(
    spec: DemoSpec, loaded: "Loaded", reporters: dict[int, object], entries: list[Entry]
) -> dict[int, object]:
    """The owner unit's reporter of each project no demo account reports for."""
    reporter = loaded.users["reporter"]
    by_unit = unit_reporters(loaded.root, reporter.scope_grants()[0].unit_path, spec.seed)
    owners = dict(
        Project.objects.filter(pk__in={entry.project_id for entry in entries}).values_list(
            "pk", "owner_unit_id"
        )
    )
    return {
        project: by_unit[unit]
        for project, unit in owners.items()
        if project not in reporters and unit in by_unit
    }


def _years(spec: DemoSpec) -> tuple[int, int]:
    return (spec.year - 1, spec.year)


def _entries(
    spec: DemoSpec, loaded: "Loaded", district_path: str
) -> tuple[list[Entry], dict[int, object]]:
    """The entries that report, and the demo account reporting for each project that has one."""
    plans = list(
        AnnualPlan.objects.filter(year__in=_years(spec), nature__in=REPORTING_NATURES)
        .filter(project__region__path__startswith=loaded.root.path)
        .select_related(
            "project", "project__region", "project__owner_unit", "project__service_officer"
        )
        .order_by("year", "project__name")
    )
    cycles = cycles_of((plan.pk, plan.level) for plan in plans)
    pending = set(
        Procedure.objects.filter(
            project_id__in={plan.project_id for plan in plans},
            status__in=(ProcedureStatus.PENDING, ProcedureStatus.IN_PROGRESS),
        ).values_list("project_id", flat=True)
    )
    reporter, officer = loaded.users["reporter"], loaded.users["officer"]
    scope = reporter.scope_grants()[0].unit_path
    bonds = {
        (project.name, plan.year): plan
        for project in spec.projects
        for plan in project.plans
        if plan.bond_funds
    }
    reporters: dict[int, object] = {}
    entries = []
    for plan in plans:
        project = plan.project
        owner = project.owner_unit
        if owner is not None and owner.path.startswith(scope):
            reporters[project.pk] = reporter
        elif project.service_officer is not None and project.service_officer.user_id == officer.pk:
            reporters[project.pk] = officer
        entries.append(
            Entry(
                plan_id=plan.pk,
                project_id=project.pk,
                year=plan.year,
                name=project.name,
                cycle=cycles[plan.pk],
                planned=plan.planned_investment,
                ytd=plan.ytd_completed,
                ytd_as_of=plan.ytd_as_of,
                total=project.total_investment,
                latitude=project.latitude or CITY_CENTRE[0],
                longitude=project.longitude or CITY_CENTRE[1],
                actual_start=project.actual_start,
                actual_completion=project.actual_completion,
                actual_production=project.actual_production,
                statistics_inclusion=project.statistics_inclusion,
                in_district=project.region.path.startswith(district_path),
                procedures_pending=project.pk in pending,
                **_bond_course(bonds.get((project.name, plan.year))),
            )
        )
    return entries, reporters


def _bond_course(plan: PlanSpec | None) -> dict[str, Any]:
    """An entry's special-bond funds and the course of their spending, as the spec drew them."""
    if plan is None:
        return {}
    return {
        "bond_funds": plan.bond_funds,
        "bond_begins": plan.bond_begins,
        "bond_done": plan.bond_done,
    }


def _force_reporter_rounds(plans: list[ReportPlan], reporter: object, reporters: dict) -> None:
    """The reporter's own rounds, whatever the draws: in the last period ended, one report
    returned with a reason, one draft and one approved (it is amended); in the period under
    way, one still to report."""
    today = max((plan.period.start for plan in plans), default=None)
    mine = [plan for plan in plans if reporters[plan.entry.project_id] is reporter]
    ended = sorted(
        (
            plan
            for plan in mine
            if today is not None and plan.period.end < today and not _ledger_covers(plan)
        ),
        key=lambda plan: (-plan.period.end.toordinal(), plan.entry.name),
    )
    for plan, fate in zip(ended, (Fate.RETURNED, Fate.DRAFT, Fate.APPROVED), strict=False):
        _restamp(plan, fate, today)
    under_way = [plan for plan in mine if today is not None and plan.period.end >= today]
    for plan in under_way[:1]:
        plan.fate = Fate.MISSING


def _restamp(plan: ReportPlan, fate: str, today: dt.date | None) -> None:
    zone = timezone.get_default_timezone()
    day = min(plan.period.end + dt.timedelta(days=1), today or plan.period.end)
    plan.fate = fate
    plan.submitted_at = plan.district_approved_at = plan.approved_at = plan.returned_at = None
    plan.return_reason = ""
    if fate == Fate.DRAFT:
        return
    plan.submitted_at = dt.datetime.combine(day, dt.time(9, 30), zone)
    later = plan.submitted_at + dt.timedelta(hours=5)
    if fate == Fate.RETURNED:
        plan.returned_at = later
        plan.return_reason = texts.RETURN_REASONS[0]
        return
    if fate == Fate.SUBMITTED:
        return
    if plan.entry.in_district:
        plan.district_approved_at = later
    plan.approved_at = later + dt.timedelta(hours=1)


def _force_district_queue(plans: list[ReportPlan], today: dt.date) -> None:
    """The district dispatcher has a report waiting, however small the demo."""
    mine = [plan for plan in plans if plan.entry.in_district]
    if any(plan.fate == Fate.SUBMITTED for plan in mine):
        return
    open_ = [plan for plan in mine if plan.period.end < today <= plan.period.lock_date]
    ended = [plan for plan in mine if plan.period.end < today and not _ledger_covers(plan)]
    candidates = open_ or ended
    if candidates:
        _restamp(max(candidates, key=lambda plan: plan.period.end), Fate.SUBMITTED, today)


def _ledger_covers(plan: ReportPlan) -> bool:
    as_of = plan.entry.ytd_as_of
    return as_of is not None and plan.period.end <= as_of


def _summary(plans: list[ReportPlan], files: int, reused: int) -> list[str]:
    fates = Counter(plan.fate for plan in plans)
    written = len(plans) - fates[Fate.MISSING]
    return [
        _(
            "  reports: %(count)d over two plan years (ten-day for %(list)s, monthly for the "
            "others) — approved %(approved)d (%(late)d late), waiting for review %(waiting)d, "
            "returned %(returned)d, drafts %(drafts)d; not reported %(missing)d"
        )
        % {
            "count": written,
            "list": "、".join(TEN_DAY_LISTS),
            "approved": fates[Fate.APPROVED] + fates[Fate.LATE],
            "late": fates[Fate.LATE],
            "waiting": fates[Fate.SUBMITTED] + fates[Fate.DISTRICT_APPROVED],
            "returned": fates[Fate.RETURNED],
            "drafts": fates[Fate.DRAFT],
            "missing": fates[Fate.MISSING],
        },
        _("  report photos: %(count)d, of which %(reused)d look like a photo sent before")
        % {"count": files, "reused": reused},
    ]


PART = DemoPart(name=NAME, load=load)
