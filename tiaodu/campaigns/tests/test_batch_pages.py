"""The batch pages as each persona opens them, the forms with bad input (nothing written),
the ceremony list as Word and Excel (opened with python-docx and openpyxl), the project
page's tab and the statistics page's section."""

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from tiaodu.campaigns import services
from tiaodu.campaigns.models import BatchEntry, GroundbreakingBatch
from tiaodu.core import clock
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import PERSONAS, TODAY, assert_nothing_written, download_name

LIST = "/campaigns/batches/"
NEW = "/campaigns/batches/new/"
UNCHANGED = (GroundbreakingBatch, BatchEntry, AuditEvent)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with clock.frozen(TODAY):
        yield


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def statuses(world: Any, client: Client, url: str) -> dict[str, int]:
    found = {}
    for name in PERSONAS:
        found[name] = signed_in(client, world.users[name]).get(url).status_code
    return found


def opened_by(found: dict[str, int]) -> set[str]:
    assert set(found.values()) <= {200, 404}
    return {name for name, code in found.items() if code == 200}


def test_who_opens_the_pages(world: Any, client: Client, spring: GroundbreakingBatch) -> None:
    page = f"/campaigns/batches/{spring.pk}/"
    assert opened_by(statuses(world, client, LIST)) == {"alice", "dora", "lena"}
    assert opened_by(statuses(world, client, NEW)) == {"alice", "dora"}
    # 黄岛区's batch: its dispatchers, not 崂山区's leader nor the assigned leader.
    assert opened_by(statuses(world, client, page)) == {"alice", "dora"}
    assert opened_by(statuses(world, client, f"{page}edit/")) == {"alice", "dora"}
    assert opened_by(statuses(world, client, f"{page}list.docx")) == {"alice", "dora"}


def test_the_list_of_a_year(world: Any, client: Client, spring: GroundbreakingBatch) -> None:
    html = signed_in(client, world.dora).get(LIST).content.decode()
    assert "2026年集中开工批次" in html
    assert "共 1 个批次" in html
    assert 'data-batch="2026年春季集中开工"' in html
    assert "60,000.00" in html and "10,000.00" in html
    assert "50.00%" in html and ">1/2<" in html
    lena = signed_in(client, world.lena).get(LIST).content.decode()
    assert "2026年暂无集中开工批次。" in lena and "新建批次" not in lena
    wrong = signed_in(client, world.dora).get(LIST, {"year": "二〇二六"}).content.decode()
    assert "年度请填写四位数字，例如 2026。" in wrong
    assert 'data-batch="2026年春季集中开工"' in wrong


def test_the_batch_page_after_its_date(
    world: Any, client: Client, spring: GroundbreakingBatch
) -> None:
    html = signed_in(client, world.dora).get(f"/campaigns/batches/{spring.pk}/").content.decode()
    assert 'data-testid="figure-count">2<' in html
    assert 'data-testid="figure-total">60,000.00<' in html
    assert 'data-testid="figure-plan">10,000.00<' in html
    assert 'data-testid="figure-started">50.00%<' in html
    assert "截至 2026-11-05，2 个项目中已开工 1 个" in html
    # The project not yet started is highlighted; the started one is not.
    assert 'data-project="黄岛新能源产业园" class="table-warning" data-not-started' in html
    assert 'data-project="黄岛港区集装箱码头三期">' in html
    assert "合计：2 个项目" in html
    # The candidates within ±30 days of 10 April: none left (p7 is in); ±150 days: p8.
    assert 'data-testid="no-candidate"' in html
    wider = (
        signed_in(client, world.dora)
        .get(f"/campaigns/batches/{spring.pk}/", {"days": "150"})
        .content.decode()
    )
    assert 'data-testid="candidate" data-project="黄岛海洋牧场"' in wider


def test_the_batch_page_before_its_date(
    world: Any, client: Client, spring: GroundbreakingBatch
) -> None:
    with clock.frozen(dt.date(2026, 4, 1)):
        html = (
            signed_in(client, world.dora).get(f"/campaigns/batches/{spring.pk}/").content.decode()
        )
    assert 'data-testid="figure-started">未到开工日<' in html
    assert "自开工日期 2026-04-10 起显示。" in html
    assert "table-warning" not in html


def test_a_bad_window_is_said_so(world: Any, client: Client, spring: GroundbreakingBatch) -> None:
    html = (
        signed_in(client, world.dora)
        .get(f"/campaigns/batches/{spring.pk}/", {"days": "-5"})
        .content.decode()
    )
    assert "时间窗口请填写 0 至 366 之间的整数天数。" in html
    assert 'name="days" id="id_days" value="30"' in html


def test_creating_a_batch_through_the_form(world: Any, client: Client) -> None:
    signed_in(client, world.dora)
    with assert_nothing_written(*UNCHANGED):
        page = client.post(NEW, {"name": "", "date": "2026-13-01", "region": world.huangdao.pk})
    html = page.content.decode()
    assert page.status_code == 200 and "这个字段是必填项。" in html and "日期" in html
    with assert_nothing_written(*UNCHANGED):
        page = client.post(NEW, {"name": "秋季", "date": "2026-10-08", "region": world.laoshan.pk})
    assert page.status_code == 200 and "is-invalid" in page.content.decode()
    page = client.post(
        NEW,
        {
            "name": "2026年秋季集中开工",
            "date": "2026-10-08",
            "place": "黄岛区",
            "region": world.huangdao.pk,
        },
    )
    batch = GroundbreakingBatch.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/campaigns/batches/{batch.pk}/"
    assert (batch.name, batch.date, batch.region) == (
        "2026年秋季集中开工",
        dt.date(2026, 10, 8),
        world.huangdao,
    )


def test_adding_and_taking_out_through_the_page(
    world: Any, client: Client, spring: GroundbreakingBatch
) -> None:
    signed_in(client, world.dora)
    add = f"/campaigns/batches/{spring.pk}/add/"
    with assert_nothing_written(*UNCHANGED):
        page = client.post(add, {"plan": [world.plans["p6"].pk]}, follow=True)
    assert "“港湾物流园仓储中心”本年不是新开工项目" in page.content.decode()
    with assert_nothing_written(*UNCHANGED):
        page = client.post(add, {"plan": [world.plans["p3"].pk]}, follow=True)
    # 崂山区's entry is out of dora's sight: not found, nothing written.
    assert "部分勾选的项目未找到" in page.content.decode()
    page = client.post(add, {"plan": [world.plans["p8"].pk], "days": "150"})
    assert page["Location"] == f"/campaigns/batches/{spring.pk}/?days=150"
    assert spring.entries.count() == 3
    page = client.post(
        f"/campaigns/batches/{spring.pk}/remove/{world.plans['p8'].pk}/", follow=True
    )
    assert "“黄岛海洋牧场”已移出批次。" in page.content.decode()
    assert spring.entries.count() == 2
    # 崂山区's leader may read nothing of it and change nothing.
    signed_in(client, world.lena)
    with assert_nothing_written(*UNCHANGED):
        assert client.post(add, {"plan": [world.plans["p8"].pk]}).status_code == 404
        assert client.post(f"/campaigns/batches/{spring.pk}/delete/").status_code == 404


def test_the_ceremony_list_in_excel(
    world: Any, client: Client, spring: GroundbreakingBatch
) -> None:
    response = signed_in(client, world.dora).get(f"/campaigns/batches/{spring.pk}/list.xlsx")
    assert response.status_code == 200
    assert download_name(response) == "2026年春季集中开工项目清单.xlsx"
    assert f'filename="batch-{spring.pk}-20260410.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == "开工项目清单"
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "2026年春季集中开工项目清单"
    assert rows[1] == (
        "序号", "项目名称", "所属区县", "项目单位", "总投资(万元)", "年度计划投资(万元)",
        "计划开工时间", "实际开工时间",
    )  # fmt: skip
    assert rows[2] == (
        1,
        "黄岛新能源产业园",
        "黄岛区",
        "青岛港湾建设有限公司",
        50000,
        8000,
        "2026-04-20",
        None,
    )
    assert rows[3] == (
        2,
        "黄岛港区集装箱码头三期",
        "黄岛区",
        "青岛港湾建设有限公司",
        10000,
        2000,
        "2026-03-01",
        "2026-04-10",
    )
    assert rows[4][1:6] == ("合计：2 个项目", None, None, 60000, 10000)
    assert rows[5][0] == "开工日期：2026-04-10　开工地点：黄岛区新能源产业园　区域：黄岛区"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor_name, event.object_repr, event.message) == (
        "dora",
        "2026年春季集中开工项目清单",
        "Excel 工作簿",
    )


def test_the_ceremony_list_in_word(world: Any, client: Client, spring: GroundbreakingBatch) -> None:
    response = signed_in(client, world.alice).get(f"/campaigns/batches/{spring.pk}/list.docx")
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[:2] == [
        "2026年春季集中开工项目清单",
        "开工日期：2026-04-10　开工地点：黄岛区新能源产业园　区域：黄岛区",
    ]
    (table,) = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][:2] == ["序号", "项目名称"]
    assert cells[1] == [
        "1",
        "黄岛新能源产业园",
        "黄岛区",
        "青岛港湾建设有限公司",
        "50,000.00",
        "8,000.00",
        "2026-04-20",
        "",
    ]
    assert cells[2][1] == "黄岛港区集装箱码头三期" and cells[2][7] == "2026-04-10"
    assert cells[3][1:6] == ["合计：2 个项目", "", "", "60,000.00", "10,000.00"]
    assert (
        signed_in(client, world.alice).get(f"/campaigns/batches/{spring.pk}/list.pdf").status_code
        == 404
    )


def test_the_project_page_shows_the_batch(
    world: Any, client: Client, spring: GroundbreakingBatch
) -> None:
    url = f"/projects/{world.projects['p1'].pk}/?tab=batch"
    rita = signed_in(client, world.rita).get(url).content.decode()
    assert 'data-testid="project-batch"' in rita and "2026年春季集中开工" in rita
    # A reporter does not open the batch pages: the name is not a link for it.
    assert f'href="/campaigns/batches/{spring.pk}/"' not in rita
    dora = signed_in(client, world.dora).get(url).content.decode()
    assert f'href="/campaigns/batches/{spring.pk}/"' in dora
    other = signed_in(client, world.dora).get(f"/projects/{world.projects['p2'].pk}/?tab=batch")
    assert "该项目未纳入集中开工批次。" in other.content.decode()
    assert signed_in(client, world.bob).get(url).status_code == 404


def test_the_statistics_page_shows_the_years_batches(
    world: Any, client: Client, spring: GroundbreakingBatch
) -> None:
    html = signed_in(client, world.dora).get("/analytics/", {"year": "2026"}).content.decode()
    assert 'data-testid="figure-batches"' in html
    assert 'data-testid="figure-batch" data-batch="2026年春季集中开工"' in html
    row = html.split('data-batch="2026年春季集中开工"')[1].split("</tr>")[0]
    assert ">2<" in row and ">6.00<" in row and ">1.00<" in row and "50.00%" in row
    # As of a day before the batch's date, the share is not yet shown.
    early = signed_in(client, world.dora).get(
        "/analytics/", {"year": "2026", "as_of": "2026-04-01"}
    )
    assert "未到开工日" in early.content.decode().split('data-testid="figure-batches"')[1]
    # 崂山区's leader and a reporter see no batch of 黄岛区.
    for name in ("lena", "rita"):
        assert (
            'data-testid="figure-batches"'
            not in signed_in(client, world.users[name]).get("/analytics/").content.decode()
        )


def test_a_leader_reads_its_regions_batch_and_changes_nothing(world: Any, client: Client) -> None:
    batch = services.create_batch(
        actor=world.alice, name="崂山区秋季集中开工", date=dt.date(2026, 9, 28), place="崂山区",
        region=world.laoshan,
    )  # fmt: skip
    services.add_entries(actor=world.alice, batch=batch, plans=[world.plans["p3"]])
    html = signed_in(client, world.lena).get(f"/campaigns/batches/{batch.pk}/").content.decode()
    assert 'data-project="崂山科创园一期" class="table-warning" data-not-started' in html
    assert 'data-testid="figure-started">0.00%<' in html
    for control in ('data-testid="candidates"', 'data-testid="remove"', 'data-testid="edit-batch"', 'data-testid="delete-batch"'):  # fmt: skip
        assert control not in html
    assert 'data-testid="export-docx"' in html
    with assert_nothing_written(*UNCHANGED):
        assert client.get(f"/campaigns/batches/{batch.pk}/edit/").status_code == 404
        assert (
            client.post(f"/campaigns/batches/{batch.pk}/remove/{world.plans['p3'].pk}/").status_code
            == 404
        )
    # 黄岛区's dispatcher does not reach 崂山区's batch at all.
    assert signed_in(client, world.dora).get(f"/campaigns/batches/{batch.pk}/").status_code == 404


def test_the_pages_read_as_many_rows_whatever_the_batch_holds(
    world: Any, client: Client, spring: GroundbreakingBatch, settings: Any
) -> None:
    # Both reads compute (none shows the figures kept from before the change).
    settings.TIAODU_FIGURES_STALE_SECONDS = 0
    signed_in(client, world.dora)
    pages = (f"/campaigns/batches/{spring.pk}/", LIST, "/analytics/?year=2026")

    def counts() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    services.add_entries(actor=world.dora, batch=spring, plans=[world.plans["p8"]])
    assert counts() == before
