"""Scale data for the benchmarks: a province's worth of projects, written in bulk.

Benchmark data is not business input, so it is inserted with bulk_create rather than
through the services (which would audit 20,000 creations one by one); the rows obey the
same constraints as rows the services write.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tiaodu.accounts import org_units
from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core.roles import Role
from tiaodu.projects.choices import (
    AnnualPlanLevel,
    AnnualPlanNature,
    ProjectCategory,
    ReserveStage,
)
from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership, Project

PASSWORD = "Bench#2026pass"
WORDS = (
    "智能制造产业园",
    "快速路改造工程",
    "医院新院区",
    "河道综合治理",
    "物流园",
    "安置房",
    "污水处理厂提标改造",
    "新能源汽车零部件基地",
    "中学扩建",
    "数据中心",
)


def build(*, projects: int, year: int, seed: int = 7) -> dict[str, User]:
    """A city with its counties, `projects` projects with a plan entry each, and two users."""
    rng = random.Random(seed)
    city, _created, _renamed = org_units.setup_regions(actor=None, region_code="370200")
    counties = list(OrgUnit.objects.filter(parent=city, kind=OrgUnitKind.COUNTY))
    owners = [
        org_units.create_org_unit(
            actor=None,
            name=f"基准业主单位{index:03d}",
            kind=OrgUnitKind.OWNER_UNIT,
            parent=counties[index % len(counties)],
        )
        for index in range(200)
    ]
    lists = [
        KeyProjectList.objects.create(name=name, year=year) for name in ("省重点项目", "市重点项目")
    ]
    batch: list[Project] = []
    for index in range(projects):
        owner = owners[index % len(owners)]
        batch.append(
            Project(
                name=f"{owner.parent.name}{WORDS[index % len(WORDS)]}{index:05d}",  # type: ignore[union-attr]
                region_id=owner.parent_id,
                owner_unit=owner,
                category=rng.choice(ProjectCategory.values),
                total_investment=Decimal(rng.randint(10_000, 3_000_000)),
            )
        )
    Project.objects.bulk_create(batch, batch_size=2000)
    plans: list[AnnualPlan] = []
    for project in Project.objects.order_by("id"):
        nature = rng.choice(AnnualPlanNature.values)
        plans.append(
            AnnualPlan(
                project=project,
                year=year,
                nature=nature,
                level=rng.choice(AnnualPlanLevel.values),
                reserve_stage=rng.choice(ReserveStage.values)
                if nature == AnnualPlanNature.RESERVE
                else "",
                planned_investment=(project.total_investment * Decimal("0.2")).quantize(
                    Decimal("0.01")
                ),
                planned_start=date(year, rng.randint(1, 12), 1),
            )
        )
    AnnualPlan.objects.bulk_create(plans, batch_size=2000)
    # On the lists from the year's first day (a membership is dated since the lists are).
    memberships = [
        ListMembership(key_project_list=lists[index % 2], annual_plan=plan, start=date(year, 1, 1))
        for index, plan in enumerate(AnnualPlan.objects.filter(year=year).order_by("id"))
        if index % 3 == 0
    ]
    ListMembership.objects.bulk_create(memberships, batch_size=2000)
    users = {}
    for username, unit in (("city", city), ("district", counties[0])):
        user = account_services.create_user(actor=None, username=username, password=PASSWORD)
        account_services.assign_role(actor=None, user=user, role=Role.DISPATCHER, org_unit=unit)
        users[username] = user
    return users


# ------------------------------------------------------------------------------ activity

SHANGHAI = ZoneInfo("Asia/Shanghai")
PROGRESS = ("主体结构施工", "设备安装调试", "土方开挖", "室外配套工程", "装饰装修")


def _moment(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def activity(*, year: int, today: date, seed: int = 13, share: int = 10) -> dict[str, int]:
    """What a site accumulates over two years, on the data of `build` (after
    `ledger_and_figures.enrich`, whose year-to-date dates the snapshots take): the monthly
    periods of `year - 1` and `year` up to `today` (the default cycle, through
    `reporting.services.open_periods`); for one reporting entry in `share` (new starts,
    continuing and completing entries) an entry for `year - 1` too and an approved report
    that counts for every month ended before `today` in the two years, with its investment,
    and the entries' snapshots refreshed from them (`reporting.refresh.refresh_snapshots`,
    as approving does); problems on about one project in thirty, in every status of the
    loop; notices of every kind on about one project in a hundred, issued, answered or
    closed, numbered by kind and year without gaps. Reporters (one for each owner unit),
    eight departments with a handler each and a sponsoring leader are created through the
    services. Returns the counts of what was inserted."""
    from django.db import transaction

    from tiaodu.core import bulk
    from tiaodu.core.workdays import add_working_days
    from tiaodu.problems.choices import (
        ProblemCategory,
        ProblemLevel,
        ProblemSource,
        ProblemStatus,
    )
    from tiaodu.problems.models import Problem
    from tiaodu.problems.services import deadline_days
    from tiaodu.reporting import refresh
    from tiaodu.reporting import services as reporting_services
    from tiaodu.reporting.choices import ReportStatus
    from tiaodu.reporting.models import Period, Report
    from tiaodu.reporting.selectors import REPORTING_NATURES
    from tiaodu.supervision.notices.choices import NoticeKind, NoticeStatus, response_days
    from tiaodu.supervision.notices.models import Notice, NoticeCounter, NoticeResponse

    rng = random.Random(seed)
    city = User.objects.get(username="city")
    counts: dict[str, int] = {}

    # People: a reporter of each owner unit, departments with their handlers, a leader.
    owners = list(OrgUnit.objects.filter(kind=OrgUnitKind.OWNER_UNIT).order_by("id"))
    reporters: dict[int, User] = {}
    for owner in owners:
        user = account_services.create_user(
            actor=None, username=f"reporter{owner.pk}", password=None, org_unit=owner
        )
        account_services.assign_role(actor=None, user=user, role=Role.REPORTER, org_unit=owner)
        reporters[owner.pk] = user
    top = OrgUnit.objects.get(region_code="370200")
    departments = []
    for index, name in enumerate(
        (
            "自然资源和规划局",
            "生态环境局",
            "住房城乡建设局",
            "财政局",
            "交通运输局",
            "水务管理局",
            "行政审批服务局",
            "供电公司",
        )
    ):
        department = org_units.create_org_unit(
            actor=None, name=f"基准{name}", kind=OrgUnitKind.DEPARTMENT, parent=top
        )
        handler = account_services.create_user(
            actor=None, username=f"handler{index}", password=None, org_unit=department
        )
        account_services.assign_role(
            actor=None, user=handler, role=Role.DEPARTMENT_HANDLER, org_unit=department
        )
        departments.append((department, handler))
    leader = Person.objects.create(name="基准分管领导", title="副市长", org_unit=top)

    # Periods: every month of the two years begun by today.
    reporting_services.open_periods(today=today, since=date(year - 1, 1, 1))
    periods = [
        period
        for period in Period.objects.filter(
            cycle="monthly", start__gte=date(year - 1, 1, 1)
        ).order_by("start")
        if period.end < today
    ]
    counts["periods"] = Period.objects.count()

    # The reporting tenth, with last year's entries.
    current = list(
        AnnualPlan.objects.filter(year=year, nature__in=REPORTING_NATURES)
        .select_related("project")
        .order_by("id")
    )
    chosen = sorted(rng.sample(current, len(current) // share), key=lambda plan: plan.pk)
    owner_of = {plan.project_id: plan.project.owner_unit_id for plan in chosen}
    last_year = [
        AnnualPlan(
            project_id=plan.project_id,
            year=year - 1,
            nature=AnnualPlanNature.NEW_START
            if plan.nature == AnnualPlanNature.NEW_START
            else AnnualPlanNature.CONTINUING,
            level=plan.level,
            planned_investment=plan.planned_investment,
            planned_start=date(year - 1, rng.randint(1, 12), 1),
            ytd_completed=(plan.planned_investment * Decimal(rng.randint(60, 110)) / 100).quantize(
                Decimal("0.01")
            ),
            ytd_as_of=date(year - 1, 12, 31),
        )
        for plan in chosen
    ]
    with transaction.atomic():
        bulk.insert(AnnualPlan, last_year)
    plans_by_year = {year: chosen, year - 1: last_year}
    counts["entries last year"] = len(last_year)

    # A report a month for each, approved by the city, counting.
    reports = 0
    latest: dict[int, Report] = {}
    for period in periods:
        batch = []
        for plan in plans_by_year[period.end.year]:
            owner_id = owner_of[plan.project_id]
            handed = period.due_date - timedelta(days=rng.randint(0, 3))
            submitted = _moment(handed, rng.randint(8, 17))
            approved = submitted + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 6))
            monthly = plan.planned_investment / 12
            batch.append(
                Report(
                    plan_id=plan.pk,
                    project_id=plan.project_id,
                    period=period,
                    status=ReportStatus.APPROVED,
                    is_current=True,
                    investment=(monthly * Decimal(rng.randint(40, 160)) / 100).quantize(
                        Decimal("0.01")
                    ),
                    physical_progress=f"{rng.choice(PROGRESS)}，完成形象进度{rng.randint(5, 95)}%",
                    workers_on_site=rng.randint(10, 600),
                    submitted_at=submitted,
                    submitted_by_id=reporters[owner_id].pk,
                    approved_at=approved,
                    approved_by_id=city.pk,
                )
            )
        with transaction.atomic():
            bulk.insert(Report, batch)
        for report in batch:
            latest[report.project_id] = report
        reports += len(batch)
    counts["reports"] = reports
    plan_ids = [plan.pk for plan in chosen] + [plan.pk for plan in last_year]
    for start in range(0, len(plan_ids), 2000):
        refresh.refresh_snapshots(plan_ids[start : start + 2000])

    # Problems on about one project in thirty, a few from the reports.
    projects = list(
        Project.objects.order_by("id").values_list("id", "owner_unit_id", "region__parent_id")
    )
    weights = (
        (ProblemStatus.REPORTED, 25),
        (ProblemStatus.ASSIGNED, 20),
        (ProblemStatus.IN_PROGRESS, 20),
        (ProblemStatus.RESOLVED, 15),
        (ProblemStatus.CLOSED, 20),
    )
    statuses = [status for status, _weight in weights]
    status_weights = [weight for _status, weight in weights]
    problems: list[Problem] = []
    for project_id, owner_id, region_parent in projects:
        if rng.random() >= 1 / 30:
            continue
        for _number in range(rng.choice((1, 1, 1, 2, 3))):
            source = rng.choice(ProblemSource.values)
            report = latest.get(project_id) if source == ProblemSource.REPORT else None
            if source == ProblemSource.REPORT and report is None:
                source = ProblemSource.PROJECT_PAGE
            level = (
                ProblemLevel.CITY
                if source == ProblemSource.DIRECT or region_parent is None
                else ProblemLevel.DISTRICT
            )
            escalations = 0
            if level == ProblemLevel.DISTRICT and rng.random() < 0.15:
                level, escalations = ProblemLevel.CITY, 1
            status = rng.choices(statuses, status_weights)[0]
            # A problem resolved or closed by today was raised a while before.
            done = status in (ProblemStatus.RESOLVED, ProblemStatus.CLOSED)
            raised_day = today - timedelta(days=rng.randint(40 if done else 1, 330))
            raised = _moment(raised_day, rng.randint(8, 18))
            problem = Problem(
                project_id=project_id,
                report=report,
                source=source,
                category=rng.choice(ProblemCategory.values),
                level=level,
                title=f"{rng.choice(ProblemCategory.labels)}问题待协调{rng.randint(1, 999):03d}",
                description="项目推进中遇到的问题，需相关部门协调解决。",
                raised_by=city if source == ProblemSource.FIELD_ROUND else reporters[owner_id],
                raised_at=raised,
                status=status,
                escalations=escalations,
            )
            if status != ProblemStatus.REPORTED:
                department, handler = rng.choice(departments)
                assigned = raised + timedelta(days=rng.randint(0, 3), hours=2)
                problem.assigned_department = department
                problem.assigned_at = assigned
                problem.deadline = add_working_days(assigned.date(), deadline_days(level))
                if status != ProblemStatus.ASSIGNED:
                    problem.handler = handler
                if status in (ProblemStatus.RESOLVED, ProblemStatus.CLOSED):
                    problem.resolved_at = assigned + timedelta(days=rng.randint(2, 20))
                    problem.resolution = "已协调相关部门办结。"
                if status == ProblemStatus.CLOSED:
                    problem.closed_at = problem.resolved_at + timedelta(days=rng.randint(1, 5))  # type: ignore[operator]
            problems.append(problem)
    with transaction.atomic():
        bulk.insert(Problem, problems)
    counts["problems"] = len(problems)

    # Notices on about one project in a hundred (with its owner unit's other projects now
    # and then), numbered by kind and year in the order issued.
    by_owner: dict[int, list[int]] = {}
    for project_id, owner_id, _parent in projects:
        by_owner.setdefault(owner_id, []).append(project_id)
    drafts: list[tuple[datetime, str, int, list[int], str]] = []
    kinds = (
        (NoticeKind.REMINDER, 55),
        (NoticeKind.SUPERVISION_ORDER, 25),
        (NoticeKind.WARNING_LETTER, 12),
        (NoticeKind.INTERVIEW, 8),
    )
    for project_id, owner_id, _parent in projects:
        if rng.random() >= 1 / 100:
            continue
        kind = rng.choices([k for k, _w in kinds], [w for _k, w in kinds])[0]
        roll = rng.random()
        status = (
            NoticeStatus.CLOSED
            if roll < 0.45
            else NoticeStatus.ANSWERED
            if roll < 0.75
            else NoticeStatus.ISSUED
        )
        # One answered or closed by today was issued a while before.
        settled = status != NoticeStatus.ISSUED
        issued_day = today - timedelta(days=rng.randint(45 if settled else 1, 500))
        about = [project_id]
        if rng.random() < 0.2:
            about += rng.sample(by_owner[owner_id], 2)
        drafts.append(
            (_moment(issued_day, rng.randint(9, 17)), kind, owner_id, sorted(set(about)), status)
        )
    drafts.sort()
    numbers: dict[tuple[str, int], int] = {}
    notices: list[Notice] = []
    about_projects: list[list[int]] = []
    for issued, kind, owner_id, about, status in drafts:
        key = (kind, issued.year)
        numbers[key] = numbers.get(key, 0) + 1
        deadline = add_working_days(issued.date(), response_days(kind))
        notice = Notice(
            kind=kind,
            year=issued.year,
            number=numbers[key],
            issued_by=city,
            issued_at=issued,
            recipient_unit_id=owner_id,
            sponsoring_leader=leader if kind == NoticeKind.WARNING_LETTER else None,
            subject=f"关于加快推进项目建设的{NoticeKind(kind).label}",
            body="请对照问题清单抓紧整改，按期报送整改情况。",
            response_deadline=deadline,
            status=status,
        )
        if status == NoticeStatus.CLOSED:
            notice.closed_at = _moment(deadline, 10) + timedelta(days=rng.randint(1, 20))
            notice.closed_by = city
        notices.append(notice)
        about_projects.append(about)
    responses: list[NoticeResponse] = []
    links = []
    through = Notice.projects.through
    with transaction.atomic():
        bulk.insert(Notice, notices)
        for notice, about in zip(notices, about_projects, strict=True):
            links += [through(notice_id=notice.pk, project_id=pk) for pk in about]
            if notice.status != NoticeStatus.ISSUED:
                responses.append(
                    NoticeResponse(
                        notice=notice,
                        responder=reporters[notice.recipient_unit_id],
                        text="已收到，正在组织整改。",
                        rectification_plan="一、压实责任；二、倒排工期；三、按周报送进展。",
                        responded_at=notice.issued_at + timedelta(days=rng.randint(1, 6)),
                    )
                )
        through.objects.bulk_create(links, batch_size=2000)
        bulk.insert(NoticeResponse, responses)
        NoticeCounter.objects.bulk_create(
            [NoticeCounter(kind=kind, year=y, last=last) for (kind, y), last in numbers.items()]
        )
    counts["notices"] = len(notices)
    counts["notice responses"] = len(responses)
    return counts
