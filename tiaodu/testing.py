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

Besides the world: `TODAY`, the day most tests stand on; `problem_in`, a problem of the
ledger in any status; `snapshot` and `assert_nothing_written`, the one way a test says that
a refusal changed nothing; `sign_in` and the two screen sizes of the browser journeys;
`download_name`, the name a browser saves a download under.
The fixtures that hand these out live in conftest.py files (docs/testing.md).
"""

import pickle
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models.sql import InsertQuery
from django.test.utils import override_settings

from tiaodu.accounts import org_units
from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core.roles import Role
from tiaodu.projects import services as project_services
from tiaodu.projects.models import AnnualPlan, KeyProjectList, Project

if TYPE_CHECKING:
    from django.test import Client
    from playwright.sync_api import Page, ViewportSize

    from tiaodu.problems.models import Problem

PASSWORD = "Tiaodu#2026test"
# Thursday 5 November 2026: October's reports are due, November's period is open.
TODAY = date(2026, 11, 5)
DESKTOP: "ViewportSize" = {"width": 1366, "height": 900}
PHONE: "ViewportSize" = {"width": 390, "height": 844}


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
    city, _created, _renamed = org_units.setup_regions(actor=None, region_code="370200")
    huangdao = OrgUnit.objects.get(region_code="370211")
    laoshan = OrgUnit.objects.get(region_code="370212")
    create = org_units.create_org_unit
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
class Written:
    """The rows a piece of set-up wrote, compiled into INSERTs that write them again.

    `take(build)` runs `build` in a transaction, reads every row it added to any table and
    rolls it back (the database is as before); `write()` sends one INSERT per table (in
    batches the database accepts), with the same keys, and on PostgreSQL the sequences'
    reset as one statement. The statements are compiled once, so writing them again costs
    the database's work only: what a test process builds once through the services, each
    test (or module) that needs it gets in a few queries. Rows the set-up changed rather
    than added are not taken: a set-up that edits what the migrations wrote is not for this.
    """

    statements: list[tuple[str, tuple[Any, ...]]]

    @classmethod
    def take[T](cls, build: Callable[[], T]) -> tuple[T, "Written"]:
        tables = _concrete_models()
        with transaction.atomic():
            before = {
                model: set(model._base_manager.values_list("pk", flat=True)) for model in tables
            }
            result = build()
            rows = [(model, _new_rows(model, before[model])) for model in tables]
            transaction.set_rollback(True)
        written = [(model, found) for model, found in rows if found]
        statements = [sql for model, found in written for sql in _inserts(model, found)]
        # Rows written with their keys leave PostgreSQL's sequences behind them.
        resets = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in written])
        if resets:
            statements.append(("; ".join(resets), ()))
        return result, cls(statements)

    def write(self) -> None:
        with connection.cursor() as cursor:
            for sql, params in self.statements:
                cursor.execute(sql, params or None)


@dataclass
class WorldSnapshot:
    """The rows `build_world` writes, taken once and written again for each test.

    Building the world through the services costs about 500 queries; most tests need it.
    `take` builds it once (per test process) and keeps what it wrote (`Written`), so a test
    that does not ask for the world finds an empty database; `restore` writes it again for
    each test that does and hands out a copy of the world (unpickled from bytes taken once:
    a fifth of a deep copy's time), so that what one test changes on its instances never
    reaches the next (the same idea as Django's `TestCase.setUpTestData`).
    """

    world: World
    written: Written
    pickled: bytes = b""

    def __post_init__(self) -> None:
        self.pickled = pickle.dumps(self.world)

    @classmethod
    def take(cls) -> "WorldSnapshot":
        # Hashing strength is not under test (conftest's _fast_password_hashing says the same).
        hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with override_settings(PASSWORD_HASHERS=hashers):
            world, written = Written.take(build_world)
        return cls(world=world, written=written)

    def restore(self) -> World:
        """Writes the world's rows again and returns a copy of the world for one test."""
        self.written.write()
        world: World = pickle.loads(self.pickled)
        return world


def _inserts(model: type[models.Model], rows: Rows) -> list[tuple[str, tuple[Any, ...]]]:
    """The INSERT statements (with their parameters, ready for the database) that write the
    rows as `bulk_create` would, in batches the database accepts."""
    fields = list(model._meta.concrete_fields)
    instances = [model(**row) for row in rows]
    size = connection.ops.bulk_batch_size(fields, instances) or len(instances)
    statements = []
    for start in range(0, len(instances), size):
        query = InsertQuery(model)
        query.insert_values(fields, instances[start : start + size])
        compiler = query.get_compiler(connection=connection)
        statements += [(sql, tuple(params)) for sql, params in compiler.as_sql()]
    return statements


def _concrete_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _new_rows(model: type[models.Model], before: set[Any]) -> Rows:
    names = [field.attname for field in model._meta.concrete_fields]
    return list(model._base_manager.exclude(pk__in=before).order_by("pk").values(*names))


# Every persona of the world, in the order the module docstring introduces them.
PERSONAS = (
    "alice", "dora", "rita", "bob", "leo", "lena", "hank", "sam",
    "sysadmin", "secadmin", "auditor",
)  # fmt: skip


def who_passes(world: World, check: Callable[[Any], bool]) -> set[str]:
    """The personas for whom `check(user)` holds: a permission test states this set exactly."""
    return {name for name in PERSONAS if check(getattr(world, name))}


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is rolled back when the block ends: what a module-scoped fixture
    writes for tests that only read it (each test's own transaction nests inside)."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def state_ytd(world: World, figures: dict[str, str], as_of: date) -> None:
    """The year-to-date investment of the world's 2026 entries (key: "p1" …) as the
    dispatcher states it through the plan service, as of `as_of`."""
    for key, ytd in figures.items():
        plan = world.plans[key]
        project_services.save_annual_plan(
            actor=world.alice,
            project=plan.project,
            year=2026,
            nature=plan.nature,
            level=plan.level,
            ytd_completed=Decimal(ytd),
            ytd_as_of=as_of,
        )


def person_for(user: User) -> Person | None:
    return Person.objects.filter(user=user).first()


def problem_in(world: World, status: str, *, project: str = "p1", today: date = TODAY) -> "Problem":
    """A problem of the project (p1: 黄岛区, owner unit A) walked to `status` through the
    services: raised by rita, assigned by dora to 市住建局 with hank as its handler, started
    and resolved by hank, closed by dora."""
    from tiaodu.problems import services
    from tiaodu.problems.choices import ProblemCategory, ProblemStatus

    problem = services.raise_problem(
        actor=world.rita,
        project=world.projects[project],
        category=ProblemCategory.LAND,
        title="用地指标未落实",
        description="二期用地指标尚未下达。",
    )
    if status == ProblemStatus.REPORTED:
        return problem
    problem = services.assign_problem(
        actor=world.dora,
        problem=problem,
        department=world.housing_bureau,
        handler=world.hank,
        today=today,
    )
    if status == ProblemStatus.ASSIGNED:
        return problem
    problem = services.start_problem(actor=world.hank, problem=problem)
    if status == ProblemStatus.IN_PROGRESS:
        return problem
    problem = services.resolve_problem(actor=world.hank, problem=problem, resolution="指标已下达。")
    if status == ProblemStatus.RESOLVED:
        return problem
    return services.close_problem(actor=world.dora, problem=problem)


def api_client(user: User) -> "Client":
    """A client of the API acting as `user`: with an API token, as an app calls it; a
    reporter, whose token calls the reporter API only (docs/security.md), signed in on the
    site instead. JSON bodies: `client.post(path, {...}, content_type="application/json")`."""
    from django.test import Client

    from tiaodu.accounts.tokens import issue_api_token

    if user.roles == {Role.REPORTER}:
        client = Client()
        client.force_login(user)
        return client
    _token, raw = issue_api_token(actor=user, user=user, name="测试App")
    return Client(headers={"authorization": f"Bearer {raw}"})


def snapshot(*models: type[models.Model]) -> dict[str, list[dict[str, Any]]]:
    """Every row of each model, all its fields, in primary-key order: two snapshots are
    equal only if nothing was created, changed or deleted in between."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


@contextmanager
def assert_nothing_written(*models: type[models.Model]) -> Iterator[None]:
    """Fails if the block created, changed or deleted a row of any of the models (name
    `AuditEvent` too where a refusal must leave no trace in the audit log)."""
    before = snapshot(*models)
    yield
    assert snapshot(*models) == before


def sign_in(page: "Page", username: str) -> None:
    """A browser journey signs in as a persona (signing out whoever was signed in)."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h2.page-title")).to_be_visible()
    # The home page's scripts (deferred) run before its load: a journey's first tap on what
    # a script drives (the search icon on a phone) finds it working.
    page.wait_for_load_state("load")


def download_name(response: Any) -> str:
    """The name a browser saves the download under: RFC 6266's `filename*` when the header
    has one, else `filename`."""
    header = response["Content-Disposition"]
    assert header.startswith("attachment;"), header
    if match := re.search(r"filename\*=UTF-8''([^;]+)", header):
        return unquote(match.group(1))
    match = re.search(r'filename="([^"]*)"', header)
    assert match, header
    return match.group(1)
