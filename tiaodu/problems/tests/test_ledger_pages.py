"""The ledger page and its xlsx export, for dispatchers and leaders in their scope.

Personas: alice the city dispatcher (every problem), dora the 黄岛区 dispatcher (p1 and p6),
lena the 崂山区 leader (p3), leo the leader of p1 only; hank, rita and the administrators
have no ledger (404). On Thursday 5 November 2026: p1's problem assigned to 市住建局 with
hank, due 19 November; p6's only reported; p3's (崂山区) assigned to the transport bureau,
due 20 November.
"""

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemCategory, ProblemLevel, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.testing import download_name, problem_in

pytestmark = pytest.mark.django_db

LEDGER = reverse("problems:ledger")
EXPORT = reverse("problems:export")


@pytest.fixture
def ledger(world: Any) -> dict[str, Any]:
    transport = org_units.create_org_unit(
        actor=None, name="青岛市交通运输局", kind=OrgUnitKind.DEPARTMENT, parent=world.city
    )
    p3 = services.raise_problem(
        actor=world.bob,
        project=world.projects["p3"],
        category=ProblemCategory.UTILITIES,
        title="电力接入未完成",
        description="需供电公司配合。",
    )
    p3 = services.assign_problem(
        actor=world.alice, problem=p3, department=transport, deadline=dt.date(2026, 11, 20)
    )
    return {
        "p1": problem_in(world, ProblemStatus.ASSIGNED),
        "p6": problem_in(world, ProblemStatus.REPORTED, project="p6"),
        "p3": p3,
        "transport": transport,
    }


def _rows(client: Any, query: str = "") -> list[Problem]:
    response = client.get(f"{LEDGER}?{query}")
    assert response.status_code == 200
    return list(response.context["page"])


@pytest.mark.parametrize(
    ("who", "keys"),
    [
        ("alice", {"p1", "p6", "p3"}),
        ("dora", {"p1", "p6"}),
        ("lena", {"p3"}),
        ("leo", {"p1"}),
    ],
)
def test_the_ledger_shows_the_readers_scope(
    client: Any, world: Any, ledger: Any, who: str, keys: set[str]
) -> None:
    client.force_login(getattr(world, who))
    assert set(_rows(client)) == {ledger[key] for key in keys}


@pytest.mark.parametrize("who", ["hank", "rita", "sam", "sysadmin", "auditor"])
def test_no_ledger_for_the_others(client: Any, world: Any, ledger: Any, who: str) -> None:
    client.force_login(getattr(world, who))
    for name in ("ledger", "export", "departments", "blockers"):
        assert client.get(reverse(f"problems:{name}")).status_code == 404


def test_the_ledger_filters(client: Any, world: Any, ledger: Any) -> None:
    client.force_login(world.alice)

    def keys(query: str) -> set[str]:
        found = _rows(client, query)
        return {key for key in ("p1", "p6", "p3") if ledger[key] in found}

    assert keys("status=reported") == {"p6"}
    assert keys("status=open") == {"p1", "p6", "p3"}
    assert keys("category=utilities") == {"p3"}
    assert keys(f"department={world.housing_bureau.pk}") == {"p1"}
    assert keys(f"region={world.huangdao.pk}") == {"p1", "p6"}
    assert keys("level=district") == {"p1", "p6", "p3"}
    assert keys("level=city") == set()
    assert keys("q=电力") == {"p3"}
    assert keys("q=集装箱码头") == {"p1"}
    assert keys("overdue=yes") == set()
    assert keys("overdue=no") == {"p1", "p6", "p3"}
    with time_machine.travel(dt.datetime(2026, 11, 20, 1, tzinfo=dt.UTC), tick=False):
        client.force_login(world.alice)  # the session of two weeks ago has expired
        assert keys("overdue=yes") == {"p1"}
        page = client.get(f"{LEDGER}?overdue=yes").content.decode()
        assert 'data-testid="overdue"' in page
    with time_machine.travel(dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC), tick=False):
        client.force_login(world.alice)
        assert keys("overdue=yes") == {"p1", "p3"}
        # Most overdue first: p1 was due on the 19th, p3 on the 20th.
        assert _rows(client, "overdue=yes") == [ledger["p1"], ledger["p3"]]
        assert keys("overdue=yes&region=" + str(world.huangdao.pk)) == {"p1"}


def test_a_bad_filter_is_named_and_left_out(client: Any, world: Any, ledger: Any) -> None:
    client.force_login(world.alice)
    response = client.get(f"{LEDGER}?status=nonsense&category=utilities")
    assert response.context["form"].errors.keys() == {"status"}
    assert set(response.context["page"]) == {ledger["p3"]}
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_a_district_dispatcher_cannot_filter_by_another_district(
    client: Any, world: Any, ledger: Any
) -> None:
    client.force_login(world.dora)
    response = client.get(f"{LEDGER}?region={world.laoshan.pk}")
    assert "region" in response.context["form"].errors
    assert set(response.context["page"]) == {ledger["p1"], ledger["p6"]}


def test_the_ledger_counts_and_pages(client: Any, world: Any, ledger: Any) -> None:
    for number in range(25):
        services.raise_problem(
            actor=world.rita,
            project=world.projects["p6"],
            category=ProblemCategory.FUNDING,
            title=f"资金问题{number}",
        )
    client.force_login(world.alice)
    response = client.get(LEDGER)
    assert response.context["counts"] == {"open": 28, "overdue": 0, "resolved": 0}
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list), page.paginator.num_pages) == (28, 25, 2)
    last = client.get(f"{LEDGER}?page=2").context["page"]
    assert len(last.object_list) == 3
    html = response.content.decode()
    assert "?page=2" in html and 'data-testid="ledger-row"' in html


def test_an_htmx_request_gets_the_results_only(client: Any, world: Any, ledger: Any) -> None:
    client.force_login(world.alice)
    html = client.get(f"{LEDGER}?status=reported", headers={"HX-Request": "true"}).content
    text = html.decode()
    assert text.lstrip().startswith('<div id="results"') and "<html" not in text
    assert "export/?status=reported" in text


def _day(value: Any) -> Any:
    """openpyxl reads a date cell back as a naive datetime at midnight."""
    return value.date() if isinstance(value, dt.datetime) else value


def _sheet(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content)).active


def test_the_export_is_the_filtered_ledger_in_the_ledger_layout(
    client: Any, world: Any, ledger: Any
) -> None:
    problem = ledger["p1"]
    services.start_problem(actor=world.hank, problem=problem)
    services.resolve_problem(actor=world.hank, problem=problem, resolution="指标已下达。")
    client.force_login(world.dora)
    response = client.get(f"{EXPORT}?region={world.huangdao.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download_name(response) == "问题台账-截至2026-11-05.xlsx"
    assert 'filename="problems-2026-11-05.xlsx"' in response["Content-Disposition"]
    sheet = _sheet(response.content)
    rows = [[_day(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("问题台账（导出时间 20261105-0900）")
    assert "所在区域：黄岛区" in rows[0][0]
    assert rows[1] == [
        "序号",
        "项目名称",
        "所在区域",
        "问题类别",
        "问题描述",
        "提出时间",
        "提出人",
        "来源",
        "级别",
        "责任部门",
        "经办人",
        "限时办结日期",
        "状态",
        "是否逾期",
        "办理情况",
        "办结时间",
        "销号时间",
        "提级次数",
    ]
    assert len(rows) == 4  # title, header, p6's and p1's (newest first)
    p6, p1 = rows[2], rows[3]
    assert p1 == [
        2,
        "黄岛港区集装箱码头三期",
        "黄岛区",
        "用地",
        "用地指标未落实\n二期用地指标尚未下达。",
        dt.date(2026, 11, 5),
        "Rita",
        "项目页面",
        "区县级",
        "青岛市住房和城乡建设局",
        "Hank",
        dt.date(2026, 11, 19),
        "已办结",
        "否",
        "指标已下达。",
        dt.date(2026, 11, 5),
        None,
        0,
    ]
    assert (p6[0], p6[1], p6[9], p6[11], p6[12]) == (1, "港湾物流园仓储中心", None, None, "已上报")
    assert sheet["F4"].number_format == "yyyy-mm-dd"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.object_repr) == (world.dora, "问题台账")
    assert event.message == "2 条；所在区域：黄岛区"


def test_the_export_marks_the_overdue_and_the_sent_back(
    client: Any, world: Any, ledger: Any
) -> None:
    problem = ledger["p1"]
    services.start_problem(actor=world.hank, problem=problem)
    services.resolve_problem(actor=world.hank, problem=problem, resolution="已协调。")
    services.reject_resolution(actor=world.rita, problem=problem, reason="指标仍未下达")
    with time_machine.travel(dt.datetime(2026, 11, 20, 1, tzinfo=dt.UTC), tick=False):
        client.force_login(world.alice)
        content = client.get(f"{EXPORT}?overdue=yes").content
    rows = list(_sheet(content).iter_rows(min_row=3, values_only=True))
    assert [(row[1], row[12], row[13], row[14]) for row in rows] == [
        ("黄岛港区集装箱码头三期", "办理中", "是", "退回重办：指标仍未下达")
    ]


def test_typed_text_never_becomes_a_formula(client: Any, world: Any) -> None:
    services.raise_problem(
        actor=world.rita,
        project=world.projects["p1"],
        category=ProblemCategory.OTHER,
        title='=HYPERLINK("http://example.com","点我")',
    )
    client.force_login(world.alice)
    sheet = _sheet(client.get(EXPORT).content)
    assert sheet["E3"].value == '=HYPERLINK("http://example.com","点我")'
    assert sheet["E3"].data_type == "s"


def test_an_export_too_large_is_refused(
    client: Any, world: Any, ledger: Any, settings: Any
) -> None:
    settings.TIAODU_EXPORT_MAX_ROWS = 2
    client.force_login(world.alice)
    response = client.get(f"{EXPORT}?level=district")
    assert response.status_code == 302
    assert response["Location"] == f"{LEDGER}?level=district"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_level_filter_follows_an_escalation(client: Any, world: Any, ledger: Any) -> None:
    services.escalate_problem(actor=world.alice, problem=ledger["p3"], reason="区级无法协调")
    client.force_login(world.alice)
    assert _rows(client, f"level={ProblemLevel.CITY}") == [ledger["p3"]]


def test_the_queries_do_not_grow_with_the_rows(client: Any, world: Any, ledger: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LEDGER).status_code == 200
        return len(queries)

    before = count()
    for number in range(6):
        problem = services.raise_problem(
            actor=world.dora,
            project=world.projects["p2"],
            category=ProblemCategory.SITE,
            title=f"施工条件问题{number}",
        )
        services.assign_problem(
            actor=world.dora, problem=problem, department=world.housing_bureau, handler=world.hank
        )
    assert count() == before


def test_the_ledger_in_english(client: Any, world: Any, ledger: Any) -> None:
    client.force_login(world.alice)
    client.post(reverse("set_language"), {"language": "en", "next": LEDGER})
    html = client.get(LEDGER).content.decode()
    assert "Problem ledger" in html and "Export to Excel" in html
    sheet = _sheet(client.get(EXPORT).content)
    assert [cell.value for cell in sheet[2]][:5] == [
        "No.",
        "Project name",
        "Region",
        "Problem category",
        "Problem description",
    ]
