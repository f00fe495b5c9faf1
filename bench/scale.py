"""Scale data for the benchmarks: a province's worth of projects, written in bulk.

Benchmark data is not business input, so it is inserted with bulk_create rather than
through the services (which would audit 20,000 creations one by one); the rows obey the
same constraints as rows the services write.
"""

import random
from datetime import date
from decimal import Decimal

from tiaodu.accounts import org_units
from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User
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
