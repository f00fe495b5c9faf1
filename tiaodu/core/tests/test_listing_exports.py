"""Every list page of the menu exports what it shows (core.listing, docs/exports.md).

For each registered listing: with a filter applied, the xlsx file holds exactly the rows the
page shows (all its pages), cell for cell as the page writes them, and the export writes one
audit event naming the filters. dora (黄岛区) never exports a 崂山区 row, rita (owner unit A)
never one of another unit. And every page of the menu is a list that exports, or the
registry says it is no list.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from lxml import html as lxml_html
from openpyxl import load_workbook

from tiaodu.accounts.navigation import registered_items
from tiaodu.campaigns import changes as list_changes
from tiaodu.campaigns import services as campaign_services
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.models import Campaign
from tiaodu.campaigns.tests.conftest import entry
from tiaodu.core import clock, listing
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.financing import services as financing_services
from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemCategory
from tiaodu.projects import services as project_services
from tiaodu.reporting import services as report_services
from tiaodu.reporting.models import Period
from tiaodu.scoring import appeals
from tiaodu.scoring import services as scoring_services
from tiaodu.scoring.models import Card
from tiaodu.scoring.tests.test_compute import JUNE
from tiaodu.scoring.tests.test_compute import ledger as june_ledger
from tiaodu.supervision.instructions import services as instruction_services
from tiaodu.supervision.meetings import services as meeting_services
from tiaodu.supervision.meetings.choices import MeetingKind
from tiaodu.supervision.notices import services as notice_services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.rounds import services as round_services
from tiaodu.supervision.rounds import visit_services
from tiaodu.supervision.rounds.choices import RoundKind
from tiaodu.supervision.rounds.models import FieldRound
from tiaodu.supervision.rounds.tests.conftest import (  # noqa: F401 (the round fixtures)
    tour,
    under_way,
    visit,
)
from tiaodu.testing import TODAY, person_for, problem_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_today() -> Iterator[None]:
    """10:00 in Qingdao on TODAY: October's reports are due, November's period is open."""
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def _october() -> Period:
    return Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))


def _build(world: Any) -> None:
    """Reports of 黄岛区 (p1) and 崂山区 (p3) waiting for review, a notice to each district's
    unit, a meeting in each, a round over each and this year's campaign."""
    report_services.open_periods(today=TODAY)
    october = _october()
    for key, reporter in (("p1", world.rita), ("p3", world.sam)):
        report = report_services.open_draft(
            actor=reporter, plan=world.plans[key], period=october, today=october.due_date
        )
        report_services.update_draft(actor=reporter, report=report, investment=Decimal("120.50"))
        report_services.submit_report(actor=reporter, report=report, today=TODAY)
    for unit, key, subject in (
        (world.unit_a, "p1", "黄岛港区项目投资进度滞后"),
        (world.unit_b, "p3", "崂山项目开工滞后"),
    ):
        notice_services.issue_notice(
            actor=world.alice,
            kind=NoticeKind.SUPERVISION_ORDER,
            recipient_unit=unit,
            projects=[world.projects[key]],
            subject=subject,
            body="连续两个月投资完成率低于时序进度。",
            requirements="制定整改方案。",
        )
    for actor, unit, title in ((world.dora, world.huangdao, "港区项目用地协调会"),):
        meeting_services.create_meeting(
            actor=actor,
            kind=MeetingKind.CONSULTATION,
            title=title,
            date=TODAY,
            convening_unit=unit,
            chair_name="王强",
        )
    meeting_services.create_meeting(
        actor=world.alice,
        kind=MeetingKind.JOINT_MEETING,
        title="全市重点项目联席会议",
        date=TODAY,
        convening_unit=world.city,
        chair_name="李明",
    )
    for actor, region, title in (
        (world.alice, world.laoshan, "崂山区项目拉练"),
        (world.dora, world.huangdao, "黄岛区现场督查"),
    ):
        round_services.create_round(
            actor=actor,
            kind=RoundKind.SITE_VISIT,
            title=title,
            region=region,
            start_date=dt.date(2026, 11, 10),
            end_date=dt.date(2026, 11, 12),
        )
    campaign_services.create_campaign(
        actor=world.alice,
        name="2026年百日会战",
        year=2026,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 12, 10),
        targets=[
            campaign_services.TargetSpec(indicator=Indicator.START_RATE, threshold=Decimal(90))
        ],
    )


# ---------------------------------------------------------------------------- more rows
# What some lists need beyond `_build`, made only for their cases (each through the services).

COMPUTED = dt.date(2026, 7, 20)  # June's cards were computed, and appealed, on this day


def _problems(world: Any) -> None:
    """hank's department: a problem assigned, one in progress and one resolved (p1, p2 of
    黄岛区); and one raised on 崂山区's p3 by bob, not yet assigned."""
    problem_in(world, "assigned")
    problem_in(world, "in_progress")
    problem_in(world, "resolved")
    problem_services.raise_problem(
        actor=world.bob,
        project=world.projects["p3"],
        category=ProblemCategory.LAND,
        title="崂山项目用地未批",
        description="用地预审尚未通过。",
    )


def _instructions(world: Any) -> None:
    """leo's instruction on p1 (黄岛区, to unit A); lena's on p3 (崂山区, to unit B)."""
    for actor, key, text in (
        (world.leo, "p1", "请抓紧协调用地指标，确保年底前开工。"),
        (world.lena, "p3", "崂山项目要倒排工期。"),
    ):
        instruction_services.write_instruction(actor=actor, on=world.projects[key], text=text)


def _appeals(world: Any) -> None:
    """June's cards (p6 of unit A red, p3 of unit B red), both appealed; bob's decided."""
    june_ledger(world)
    with clock.frozen(COMPUTED):
        scoring_services.compute_cards(actor=world.alice, month=JUNE)
        for who, key in (("rita", "p6"), ("bob", "p3")):
            card = Card.objects.get(month=JUNE, project=world.projects[key])
            raised = appeals.raise_appeal(
                actor=getattr(world, who), card=card, reason="已于5月入统。", files=[]
            )
        appeals.decide_appeal(
            actor=world.alice,
            appeal=raised,
            outcome="revised",
            reason="入统回执属实，改为黄牌。",
            revised_colour="yellow",
        )


def _financing_lists(world: Any) -> None:
    """alice's published edition of the city with p1's need; dora's draft of 黄岛区."""
    city = financing_services.create_list(actor=world.alice, region=world.city, year=2026, number=6)
    financing_services.add_need(
        actor=world.alice, financing_list=city, project=world.projects["p1"],
        amount=Decimal("5000"), kind="loan", purpose="码头建设", stage="construction",
    )  # fmt: skip
    financing_services.act_on_list(actor=world.alice, financing_list=city, action="publish")
    financing_services.create_list(actor=world.dora, region=world.huangdao, year=2026, number=6)


def _batches(world: Any) -> None:
    """dora's spring batch of 黄岛区 with p1; alice's batch of 崂山区, with no project yet."""
    spring = campaign_services.create_batch(
        actor=world.dora,
        name="2026年春季集中开工",
        date=dt.date(2026, 4, 10),
        place="黄岛区新能源产业园",
        region=world.huangdao,
    )
    campaign_services.add_entries(actor=world.dora, batch=spring, plans=[world.plans["p1"]])
    campaign_services.create_batch(
        actor=world.alice,
        name="崂山区秋季集中开工",
        date=dt.date(2026, 9, 20),
        place="崂山区科技城",
        region=world.laoshan,
    )


def _changes(world: Any) -> None:
    """A replacement of p2 by a new entry of 黄岛区, awaiting approval."""
    entry(world, "p7", "黄岛智能制造产业园", world.huangdao, 22000)
    list_changes.propose_replacement(
        actor=world.alice,
        outgoing=world.plans["p2"],
        key_list=world.key_list,
        incoming=world.plans["p7"],
        reason="黄岛区安置房建设项目土地未落实，年内无法开工。",
    )


def _task_forces(world: Any) -> None:
    """One task force over p2 (黄岛区) and p4 (崂山区), one over p3 (崂山区) only."""
    for name, keys in (("安置房专班", ("p2", "p4")), ("崂山专班", ("p3",))):
        project_services.save_task_force(
            actor=world.alice,
            name=name,
            head=person_for(world.sam),
            projects=[world.projects[key] for key in keys],
        )


def _scored_visits(world: Any, field_round: FieldRound) -> None:
    """alice's city tour under way: p1 scored 92 and p2 88 by group one (黄岛区), p3 75 by
    group two (崂山区)."""
    for key, score in (("p1", "92"), ("p2", "88.5"), ("p3", "75")):
        actor = world.lena if key == "p3" else world.hank
        visit_services.score_visit(
            actor=actor, visit=visit(world, field_round, key), score=Decimal(score)
        )
    world.tour_pk = field_round.pk


@dataclass(frozen=True)
class Case:
    """How a listing is opened in this test: by whom, with which filter, at which address,
    after which more rows (`build(world)`, or with the round fixture `under_way`)."""

    persona: str
    params: dict[str, str]
    filter_words: str  # what the audit message must name
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    rows: int = 1  # at least this many rows in the first table
    build: Callable[[Any], None] | None = None
    with_round: bool = False


NO_FILTER = "未筛选：可见范围内的全部"

CASES: dict[str, Case] = {
    "reporting.board": Case("alice", {"cycle": "monthly", "period": "10"}, "周期：月报", rows=2),
    "reporting.missing": Case(
        "alice",
        {"region": "huangdao"},
        "所属区县：黄岛区",
        kwargs=lambda world: {"period_id": _october().pk},
    ),
    "reporting.queue": Case("alice", {"status": "submitted", "region": "huangdao"}, "黄岛区"),
    "reporting.due": Case("rita", {}, NO_FILTER),
    "problems.inbox": Case("hank", {}, NO_FILTER, rows=2, build=_problems),
    "problems.departments": Case("alice", {"year": "2026"}, "交办年度：2026", build=_problems),
    "problems.blockers": Case("alice", {}, NO_FILTER, rows=3, build=_problems),
    "supervision.notices": Case("alice", {"kind": "supervision_order"}, "督办单"),
    "supervision.meetings": Case("alice", {"year": "2026"}, "2026", rows=2),
    "supervision.rounds": Case("alice", {"kind": "site_visit"}, "类型：进现场", rows=2),
    "supervision.round_ranking": Case(
        "alice",
        {},
        "2026年四季度重点项目拉练",
        kwargs=lambda world: {"pk": world.tour_pk},
        rows=3,
        with_round=True,
    ),
    "supervision.instructions": Case(
        "alice", {"state": "issued"}, "状态：", rows=2, build=_instructions
    ),
    "supervision.instruction_inbox": Case("rita", {}, NO_FILTER, build=_instructions),
    "scoring.appeals": Case("alice", {}, NO_FILTER, build=_appeals),
    "campaigns.campaigns": Case("alice", {"year": "2026"}, "年度：2026"),
    "campaigns.held_back": Case(
        "alice",
        {"as_of": "2026-11-05"},
        "截至：2026-11-05",
        kwargs=lambda world: {"pk": Campaign.objects.get(name="2026年百日会战").pk},
    ),
    "campaigns.batches": Case("alice", {"year": "2026"}, "计划年度：2026", rows=2, build=_batches),
    "campaigns.changes": Case("alice", {}, NO_FILTER, build=_changes),
    "projects.taskforces": Case("alice", {}, NO_FILTER, rows=2, build=_task_forces),
    "financing.lists": Case("alice", {}, NO_FILTER, rows=2, build=_financing_lists),
}


def _resolve(world: Any, params: dict[str, str]) -> dict[str, str]:
    resolved = dict(params)
    if resolved.get("region") == "huangdao":
        resolved["region"] = str(world.huangdao.pk)
    if resolved.get("period") == "10":
        resolved["period"] = str(_october().pk)
    return resolved


def _text(cell: Any) -> str:
    """A page's cell as it reads: its whole text when the page cuts it short (its title)."""
    return cell.get("title") or " ".join(cell.text_content().split())


def page_tables(content: bytes, item: listing.Listing) -> dict[str, list[list[str]]]:
    """The listed tables of a page: per table, its rows' cells as the page shows them, by
    column (`data-col`): a table's cells and their second lines, a card's fields, and the
    fields its group shows once above its rows (`data-group`). A field a card or a second
    line leaves out is empty."""
    tree = lxml_html.fromstring(content)
    widths = {table.key: len(table.columns) for table in item.tables}
    found: dict[str, list[list[str]]] = {}
    for holder in tree.xpath(f'//*[@data-listing="{item.key}"]'):
        key = holder.get("data-table")
        for row in holder.xpath(".//*[@data-row]"):
            cells = {
                int(cell.get("data-col")): _text(cell) for cell in row.xpath(".//*[@data-col]")
            }
            for group in row.xpath("ancestor::*[@data-group][1]"):
                for cell in group.xpath(".//*[@data-col][not(ancestor::*[@data-row])]"):
                    cells.setdefault(int(cell.get("data-col")), _text(cell))
            found.setdefault(key, []).append(
                [cells.get(index, listing.EMPTY) for index in range(widths[key])]
            )
    return found


def shown(cell: Any) -> str:
    """A cell of the file written as the page writes it, by its number format."""
    value = cell.value
    if value is None:
        return listing.EMPTY
    if isinstance(value, dt.datetime):
        if cell.number_format == "yyyy-mm-dd":
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        fmt = cell.number_format
        if fmt == '0.00"%"':
            return f"{Decimal(str(value)):.2f}%"
        if fmt.startswith("#,##0"):
            places = len(fmt) - len("#,##0.") if "." in fmt else 0
            return f"{Decimal(str(value)):,.{places}f}"
        return str(value)
    return " ".join(str(value).split())


def file_tables(content: bytes, item: listing.Listing) -> tuple[dict[str, list[list[str]]], Any]:
    """The sheets of the file, one per table, without the title, notes and header rows."""
    book = load_workbook(BytesIO(content))
    found = {}
    for table, sheet in zip(item.tables, book.worksheets, strict=True):
        rows = list(sheet.iter_rows())
        header = next(
            i for i, row in enumerate(rows) if row[0].value == str(table.columns[0].label)
        )
        found[table.key] = [
            [shown(cell) for cell in row][: len(table.columns)] for row in rows[header + 1 :]
        ]
    return found, book


def page_footers(content: bytes, item: listing.Listing) -> list[Any]:
    """The rows of the first listed table's foot (a total)."""
    tree = lxml_html.fromstring(content)
    key = item.tables[0].key
    return tree.xpath(f'//*[@data-listing="{item.key}"][@data-table="{key}"]//tfoot//*[@data-row]')


def _all_pages(client: Any, url: str, params: dict[str, str], item: listing.Listing) -> Any:
    """The page's tables over all its pages (a paged list shows 25 a page)."""
    response = client.get(url, params)
    assert response.status_code == 200
    tables = page_tables(response.content, item)
    paging: Any = response.context.get("page") if response.context else None
    pages = paging.paginator.num_pages if hasattr(paging, "paginator") else 1
    for number in range(2, pages + 1):
        more = page_tables(client.get(url, {**params, "page": number}).content, item)
        for name, rows in more.items():
            tables[name].extend(rows)
    return response, tables


@pytest.fixture
def built(world: Any) -> Any:
    _build(world)
    return world


def _prepared(request: Any, world: Any, key: str) -> Case:
    """The case of a listing, its own rows made."""
    case = CASES[key]
    if case.build is not None:
        case.build(world)
    if case.with_round:
        _scored_visits(world, request.getfixturevalue("under_way"))
    return case


def _listing(key: str) -> listing.Listing:
    return next(found for found in listing.listings() if found.key == key)


@pytest.mark.parametrize("key", sorted(CASES))
def test_the_export_holds_the_rows_the_page_shows(
    request: Any, built: Any, client: Any, key: str
) -> None:
    world, case, item = built, _prepared(request, built, key), _listing(key)
    client.force_login(getattr(world, case.persona))
    kwargs = case.kwargs(world)
    params = _resolve(world, case.params)
    response, on_page = _all_pages(client, reverse(item.page, kwargs=kwargs or None), params, item)
    assert reverse(item.export, kwargs=kwargs or None) in response.content.decode()
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()

    export = client.get(reverse(item.export, kwargs=kwargs or None), params)

    assert export.status_code == 200
    in_file, book = file_tables(export.content, item)
    for table in item.tables:
        assert in_file[table.key] == on_page.get(table.key, []), table.key
    assert len(in_file[item.tables[0].key]) >= case.rows
    assert str(item.name) in book.worksheets[0]["A1"].value
    assert "2026-11-05 10:00" in book.worksheets[0]["A1"].value
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert events.count() == before + 1
    event = events.latest("pk")
    assert case.filter_words in event.message
    # A table's total row (its foot) is written after its rows and not counted.
    counted = len(in_file[item.tables[0].key]) - len(page_footers(response.content, item))
    assert event.message.startswith(f"{counted} 条")


def test_the_ranking_is_exported_on_the_scored_visits(
    request: Any, built: Any, client: Any
) -> None:
    """The tour's ranking and the regions' averages, as the round's page shows them."""
    _prepared(request, built, "supervision.round_ranking")
    client.force_login(built.alice)
    export = client.get(reverse("supervision:round_ranking_export", args=[built.tour_pk]))
    in_file, _book = file_tables(export.content, _listing("supervision.round_ranking"))
    assert in_file["ranking"] == [
        ["1", "黄岛港区集装箱码头三期", "黄岛区", "第一组", "92.0"],
        ["2", built.projects["p2"].name, "黄岛区", "第一组", "88.5"],
        ["3", built.projects["p3"].name, "崂山区", "第二组", "75.0"],
    ]
    assert [row[:2] for row in in_file["regions"]] == [["黄岛区", "2"], ["崂山区", "1"]]
    assert in_file["regions"][0][2:] == ["90.25", "92.0", "88.5"]


def test_the_files_are_named_for_what_they_are(built: Any, client: Any) -> None:
    from tiaodu.testing import download_name

    client.force_login(built.alice)
    response = client.get(reverse("reporting:missing_export", args=[_october().pk]))
    assert download_name(response) == "催报名单-2026年10月.xlsx"
    assert 'filename="missing-reports-2026-11-05.xlsx"' in response["Content-Disposition"]
    notices = client.get(reverse("supervision:notices_export"))
    assert download_name(notices) == "督办通知-2026-11-05.xlsx"
    _batches(built)
    batches = client.get(reverse("campaigns:batches_export"), {"year": "2026"})
    assert download_name(batches) == "集中开工-2026.xlsx"
    assert 'filename="groundbreaking-batches-2026-11-05.xlsx"' in batches["Content-Disposition"]
    campaign = Campaign.objects.get(name="2026年百日会战")
    held = client.get(reverse("campaigns:detail_export", args=[campaign.pk]))
    assert download_name(held) == "拖累目标的项目-2026年百日会战.xlsx"
    assert 'filename="campaign-held-back-2026-11-05.xlsx"' in held["Content-Disposition"]
    client.force_login(built.rita)
    due = client.get(reverse("reporting:due_export"))
    assert download_name(due) == "我的待报-2026-11-05.xlsx"
    assert 'filename="reports-due-2026-11-05.xlsx"' in due["Content-Disposition"]


def _file_text(content: bytes) -> str:
    book = load_workbook(BytesIO(content))
    return " ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )


SCOPED = ["reporting.board", "reporting.missing", "reporting.queue", "supervision.notices",
          "supervision.meetings", "supervision.rounds", "supervision.round_ranking",
          "supervision.instructions", "problems.blockers",
          "campaigns.batches", "projects.taskforces"]  # fmt: skip


@pytest.mark.parametrize("key", SCOPED)
def test_dora_never_exports_a_laoshan_row(request: Any, built: Any, client: Any, key: str) -> None:
    item, case = _listing(key), _prepared(request, built, key)
    client.force_login(built.dora)
    kwargs = case.kwargs(built)
    export = client.get(reverse(item.export, kwargs=kwargs or None))
    assert export.status_code == 200
    text = _file_text(export.content)
    assert "崂山" not in text
    assert any(word in text for word in ("黄岛", "港湾", "港区")), text[:300]


def test_rita_exports_her_own_units_reports_due_only(built: Any, client: Any) -> None:
    """rita reports for owner unit A (p1, p6 of 黄岛区): October's report of p6 (p1's is
    submitted) and November's of both, nothing of another unit."""
    client.force_login(built.rita)
    export = client.get(reverse("reporting:due_export"))
    in_file, _book = file_tables(export.content, _listing("reporting.due"))
    unit, p1, p6 = built.unit_a.name, built.projects["p1"].name, built.projects["p6"].name
    assert in_file["due"] == [
        ["2026年10月", "月报", "2026-11-03", p6, "黄岛区", unit, "未开始", "—", "—"],
        ["2026年11月", "月报", "2026-12-02", p6, "黄岛区", unit, "未开始", "—", "—"],
        ["2026年11月", "月报", "2026-12-02", p1, "黄岛区", unit, "未开始", "—", "—"],
    ]


def test_rita_exports_the_instructions_to_her_unit_only(built: Any, client: Any) -> None:
    _instructions(built)
    client.force_login(built.rita)
    export = client.get(reverse("supervision:instruction_inbox_export"))
    text = _file_text(export.content)
    assert "请抓紧协调用地指标" in text
    assert "崂山" not in text and "倒排工期" not in text


def test_dora_sees_only_her_districts_projects_of_a_task_force(built: Any, client: Any) -> None:
    """The task force over p2 and p4 is dora's to read, naming p2 only; the one over p3 is
    not hers at all."""
    _task_forces(built)
    client.force_login(built.dora)
    export = client.get(reverse("projects:taskforces_export"))
    in_file, _book = file_tables(export.content, _listing("projects.taskforces"))
    assert [row[0] for row in in_file["task_forces"]] == ["安置房专班"]
    assert in_file["task_forces"][0][3] == built.projects["p2"].name


def test_every_list_page_of_the_menu_has_an_export() -> None:
    """A page of the menu is a list with an export (shared or its own), or the registry
    says it is no list (docs/exports.md): there is no third kind."""
    exported = {item.page for item in listing.listings()} | set(listing.own_exports())
    forgotten = [
        item.url_name
        for item in registered_items()
        if item.url_name not in exported | set(listing.not_lists())
    ]
    assert forgotten == []
    assert not (exported & set(listing.not_lists()))
    assert not hasattr(listing, "without_export")


def test_every_listing_is_checked_here() -> None:
    assert sorted(item.key for item in listing.listings()) == sorted(CASES)
