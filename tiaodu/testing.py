"""Builders for tests: a small city and the personas of DOMAIN.md §2, made through services.

The world (Qingdao, 370200, from the national table):
- alice: city dispatcher (青岛市, whole city)
- dora: district dispatcher of 黄岛区 (370211) — sees projects in 黄岛区 only
- rita: reporter of owner unit A (黄岛区) — sees unit A's projects only
- bob: reporter of owner unit B (崂山区, 370212) — sees unit B's projects only
- leo: leader, assigned projects only (municipal leader of project 1)
- lena: leader of 崂山区 (region subtree)
- hank: department handler of 市住建局 (responsible unit of project 2)
- sam: service officer of project 3
- sysadmin / secadmin / auditor: the three administrators, who see no business data
"""

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test.utils import override_settings

from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core.roles import Role
from tiaodu.projects import services as project_services
from tiaodu.projects.models import AnnualPlan, KeyProjectList, Project

PASSWORD = "Tiaodu#2026test"


@dataclass
class World:
    city: OrgUnit
    huangdao: OrgUnit
    laoshan: OrgUnit
    unit_a: OrgUnit
    unit_b: OrgUnit
    housing_bureau: OrgUnit
    users: dict[str, User]
    projects: dict[str, Project]
    plans: dict[str, AnnualPlan]
    key_list: KeyProjectList

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def make_user(name: str, role: str | None, unit: OrgUnit | None, **grant: Any) -> User:
    user = account_services.create_user(
        actor=None, username=name, password=PASSWORD, display_name=name.title(), org_unit=unit
    )
    if role is not None:
        account_services.assign_role(actor=None, user=user, role=role, org_unit=unit, **grant)
    return user


def build_world(year: int = 2026) -> World:
    """The small city above, with six projects (two per district and one per unit)."""
    city, _created, _renamed = account_services.setup_regions(actor=None, region_code="370200")
    huangdao = OrgUnit.objects.get(region_code="370211")
    laoshan = OrgUnit.objects.get(region_code="370212")
    create = account_services.create_org_unit
    unit_a = create(
        actor=None, name="青岛港湾建设有限公司", kind=OrgUnitKind.OWNER_UNIT, parent=huangdao
    )
    unit_b = create(
        actor=None, name="崂山科创发展有限公司", kind=OrgUnitKind.OWNER_UNIT, parent=laoshan
    )
    housing = create(
        actor=None, name="青岛市住房和城乡建设局", kind=OrgUnitKind.DEPARTMENT, parent=city
    )

    users = {
        "alice": make_user("alice", Role.DISPATCHER, city),
        "dora": make_user("dora", Role.DISPATCHER, huangdao),
        "rita": make_user("rita", Role.REPORTER, unit_a),
        "bob": make_user("bob", Role.REPORTER, unit_b),
        "leo": make_user("leo", Role.LEADER, None, assigned_only=True),
        "lena": make_user("lena", Role.LEADER, laoshan),
        "hank": make_user("hank", Role.DEPARTMENT_HANDLER, housing),
        "sam": make_user("sam", Role.SERVICE_OFFICER, None),
        "sysadmin": make_user("sysadmin", Role.SYSTEM_ADMIN, None),
        "secadmin": make_user("secadmin", Role.SECURITY_ADMIN, None),
        "auditor": make_user("auditor", Role.AUDITOR, None),
    }
    leo_person = account_services.create_person(
        actor=None, name="李利", title="副市长", user=users["leo"]
    )
    sam_person = account_services.create_person(
        actor=None, name="孙山", title="首席服务员", user=users["sam"]
    )
    key_list = project_services.create_key_project_list(actor=None, name="市重点项目", year=year)

    alice = users["alice"]
    specs = [
        ("p1", "黄岛港区集装箱码头三期", huangdao, unit_a, None, {"municipal_leader": leo_person}),
        ("p2", "黄岛区安置房建设项目", huangdao, None, housing, {}),
        ("p3", "崂山科创园一期", laoshan, unit_b, None, {"service_officer": sam_person}),
        ("p4", "崂山区污水处理厂扩建", laoshan, None, None, {}),
        ("p5", "市南区老旧小区改造", OrgUnit.objects.get(region_code="370202"), None, None, {}),
        ("p6", "港湾物流园仓储中心", huangdao, unit_a, None, {}),
    ]
    projects: dict[str, Project] = {}
    plans: dict[str, AnnualPlan] = {}
    for index, (key, name, region, owner, responsible, people) in enumerate(specs, start=1):
        project = project_services.create_project(
            actor=alice,
            name=name,
            region=region,
            owner_unit=owner,
            responsible_unit=responsible,
            total_investment=Decimal(10000 * index),
            plan={
                "year": year,
                "nature": "new_start" if index % 2 else "continuing",
                "level": "municipal",
                "planned_investment": Decimal(2000 * index),
                "planned_start": date(year, 3, 1),
            },
            lists=[key_list] if index <= 3 else [],
            **people,
        )
        projects[key] = project
        plans[key] = project.plans.get(year=year)
    return World(city, huangdao, laoshan, unit_a, unit_b, housing, users, projects, plans, key_list)


Rows = list[dict[str, Any]]


@dataclass
class WorldSnapshot:
    """The rows `build_world` writes, taken once and written again for each test.

    Building the world through the services costs about 500 queries; most tests need it.
    `take` builds it once (per test process), reads every row it wrote and rolls it back, so
    a test that does not ask for the world finds an empty database. `restore` writes the same
    rows, with the same keys, in one bulk insert per table, and hands out a deep copy of the
    world, so that what one test changes on its instances never reaches the next (the same
    idea as Django's `TestCase.setUpTestData`).
    """

    world: World
    rows: list[tuple[type[models.Model], Rows]]

    @classmethod
    def take(cls) -> "WorldSnapshot":
        tables = _concrete_models()
        # Hashing strength is not under test (conftest's _fast_password_hashing says the same).
        hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with override_settings(PASSWORD_HASHERS=hashers), transaction.atomic():
            before = {
                model: set(model._base_manager.values_list("pk", flat=True)) for model in tables
            }
            world = build_world()
            rows = [(model, _new_rows(model, before[model])) for model in tables]
            transaction.set_rollback(True)
        return cls(world=world, rows=[(model, found) for model, found in rows if found])

    def restore(self) -> World:
        """Writes the world's rows again and returns a copy of the world for one test."""
        for model, rows in self.rows:
            model._base_manager.bulk_create([model(**row) for row in rows])
        # Rows written with their keys leave PostgreSQL's sequences behind them.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [model for model, _rows in self.rows]
            ):
                cursor.execute(statement)
        return copy.deepcopy(self.world)


def _concrete_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _new_rows(model: type[models.Model], before: set[Any]) -> Rows:
    names = [field.attname for field in model._meta.concrete_fields]
    return list(model._base_manager.exclude(pk__in=before).order_by("pk").values(*names))


def person_for(user: User) -> Person | None:
    return Person.objects.filter(user=user).first()
