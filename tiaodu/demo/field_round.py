"""The demo city's round of inspections (`load_demo`): 重点项目集中督查, under way.

A part of the demo (`demo.parts`). Three groups, led by the
city dispatcher, the district dispatcher and a written-in official, each with projects of
one part of the city; most projects visited in the days before the demo's date, scored by
criteria, with site photos (the generated scenes of the dispatch rounds) and, where a site
was behind, findings, some already raised on the problem ledger. Everything is written
through the services with the clock set to the day it happened (the planning on the round's
first day, each visit on its own), so the round reads as one a dispatcher ran.
"""

import datetime as dt
import io
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.photos import PHONES, jpeg, scene
from tiaodu.problems.choices import ProblemCategory
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import AnnualPlan
from tiaodu.supervision.rounds import services, visit_services
from tiaodu.supervision.rounds.choices import RoundAction, RoundKind
from tiaodu.supervision.rounds.models import RoundAssignment

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "rounds"
PER_GROUP = 6
CITY_CENTRE = (Decimal("36.0671"), Decimal("120.3826"))
FINDINGS = (
    (
        ProblemCategory.SITE,
        "施工作业面不足，现场人员偏少",
        "主体施工作业面仅展开约三成，现场施工人员不足百人。",
    ),
    (ProblemCategory.FUNDING, "工程款拨付滞后", "施工单位反映进度款拖欠两个月，影响材料进场。"),
    (
        ProblemCategory.APPROVAL,
        "二期施工许可尚未办理",
        "二期已具备开工条件，但施工许可证尚未取得。",
    ),
    (ProblemCategory.ENVIRONMENT, "扬尘防治措施不到位", "裸土未完全覆盖，车辆冲洗设施未正常使用。"),
)
GOOD = (
    "现场施工有序，形象进度与计划相符。",
    "主体结构已封顶，正在进行二次结构施工。",
    "设备已进场安装调试。",
)


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(spec.seed * 13 + 11)
    city = loaded.users["dispatcher"]
    last_day = min(spec.as_of, clock.today())
    start = last_day - dt.timedelta(days=10)
    # The round is planned and started at nine on its first day; each visit on its own day.
    with clock.frozen(_at(start, 9, 0)):
        field_round = _plan(spec, loaded, rng, start, last_day)
    visits = raised = 0
    for group, recorder in _groups(field_round, city):
        for assignment in group.assignments.select_related("project").order_by("pk"):
            if rng.random() < 0.25:
                continue  # not visited yet
            visits += 1
            raised += _visit(rng, assignment, recorder, city, start, last_day)
    return [
        _("Field round: %(title)s, %(visits)d site visits, %(raised)d findings raised as problems")
        % {"title": field_round.title, "visits": visits, "raised": raised}
    ]


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _groups(field_round: Any, city: Any) -> list[tuple[Any, Any]]:
    """Each group with the account that records its visits (its leader, else the city)."""
    result = []
    for group in field_round.groups.order_by("pk"):
        leader = group.members.filter(is_leader=True).exclude(user=None).first()
        result.append((group, leader.user if leader is not None else city))
    return result


def _plan(
    spec: DemoSpec, loaded: "Loaded", rng: random.Random, start: dt.date, last_day: dt.date
) -> Any:
    """The round, its three groups with their members and projects, started."""
    city, district = loaded.users["dispatcher"], loaded.users["district"]
    field_round = services.create_round(
        actor=city,
        kind=RoundKind.INSPECTION,
        title=_("Key projects: inspection of the fourth quarter"),
        region=loaded.root,
        start_date=start,
        end_date=last_day + dt.timedelta(days=7),
        organised_by=_("Key projects office of the city"),
        notes=_("Each group visits its projects, scores them and records what holds them back."),
    )
    plans = AnnualPlan.objects.filter(
        year=spec.year,
        nature__in=(AnnualPlanNature.CONTINUING, AnnualPlanNature.NEW_START),
        project__region__path__startswith=loaded.root.path,
    ).select_related("project__region")
    district_path = district.scope_grants()[0].unit_path
    inside = [p.project for p in plans if p.project.region.path.startswith(district_path)]
    outside = [p.project for p in plans if not p.project.region.path.startswith(district_path)]
    rng.shuffle(inside)
    rng.shuffle(outside)
    teams = (
        (_("Group 1"), city, outside[:PER_GROUP]),
        (_("Group 2"), district, inside[:PER_GROUP]),
        (_("Group 3"), None, outside[PER_GROUP : 2 * PER_GROUP]),
    )
    for name, leader, projects in teams:
        group = services.add_group(actor=city, field_round=field_round, name=name)
        if leader is not None:
            services.add_member(actor=city, group=group, user=leader, is_leader=True)
        else:
            services.add_member(
                actor=city,
                group=group,
                name="王建国",
                unit=_("Municipal audit bureau"),
                is_leader=True,
            )
        services.add_member(
            actor=city, group=group, name="李明", unit=_("Housing and construction bureau")
        )
        if projects:
            services.assign_projects(actor=city, group=group, projects=projects)
    services.move_round(actor=city, field_round=field_round, action=RoundAction.START)
    return field_round


def _visit(
    rng: random.Random,
    assignment: RoundAssignment,
    recorder: Any,
    city: Any,
    start: dt.date,
    last_day: dt.date,
) -> int:
    """Visit, score and photograph a project; record a finding where it is behind and raise
    some of them. Whether a problem was raised."""
    day = start + dt.timedelta(days=rng.randint(0, max(0, (last_day - start).days)))
    with clock.frozen(_at(day, 10, rng.randint(0, 59))) as taken:
        return _record(rng, assignment, recorder, city, day, taken)


def _record(
    rng: random.Random,
    assignment: RoundAssignment,
    recorder: Any,
    city: Any,
    day: dt.date,
    taken: dt.datetime,
) -> int:
    project = assignment.project
    behind = rng.random() < 0.4
    visit = visit_services.record_visit(
        actor=recorder,
        assignment=assignment,
        visited_on=day,
        visitors="、".join(m.name or str(m.user) for m in assignment.group.members.all()),
        findings=rng.choice(FINDINGS)[2] if behind else rng.choice(GOOD),
        comment=_("Behind the plan: to be followed up.") if behind else "",
    )
    low = 0.45 if behind else 0.75
    parts = {
        "progress": Decimal(round(40 * rng.uniform(low, 1.0))),
        "investment": Decimal(round(30 * rng.uniform(low, 1.0))),
        "quality_safety": Decimal(round(30 * rng.uniform(max(low, 0.7), 1.0))),
    }
    visit_services.score_visit(actor=recorder, visit=visit, parts=parts)
    latitude = project.latitude or CITY_CENTRE[0]
    longitude = project.longitude or CITY_CENTRE[1]
    uploads = []
    for index in range(rng.randint(1, 3)):
        image = scene(f"visit-{project.pk}-{index}")
        data = jpeg(
            image,
            taken_at=taken,
            latitude=latitude,
            longitude=longitude,
            phone=PHONES[index % len(PHONES)],
        )
        uploads.append((io.BytesIO(data), f"IMG_{project.pk:04d}{index}.jpg"))
    visit_services.add_photos(actor=recorder, visit=visit, uploads=uploads)
    if not behind:
        return 0
    category, title, detail = rng.choice(FINDINGS)
    finding = visit_services.add_finding(
        actor=recorder, visit=visit, category=category, title=title, detail=detail
    )
    if rng.random() < 0.6:
        visit_services.raise_finding_problem(actor=city, finding=finding)
        return 1
    return 0


PART = DemoPart(NAME, load)
