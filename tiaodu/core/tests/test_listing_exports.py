"""Every list page of the menu exports what it shows (core.listing, docs/exports.md).

For each registered listing: with a filter applied, the xlsx file holds exactly the rows the
page shows (all its pages), cell for cell as the page writes them, and the export writes one
audit event naming the filters. dora (黄岛区) never exports a 崂山区 row. And no page of the
menu is a list without an export, unless the registry says why.
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
from tiaodu.campaigns import services as campaign_services
from tiaodu.campaigns.choices import Indicator
from tiaodu.core import listing
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.reporting import services as report_services
from tiaodu.reporting.models import Period
from tiaodu.supervision.meetings import services as meeting_services
from tiaodu.supervision.meetings.choices import MeetingKind
from tiaodu.supervision.notices import services as notice_services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.rounds import services as round_services
from tiaodu.supervision.rounds.choices import RoundKind
from tiaodu.testing import TODAY

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


@dataclass(frozen=True)
class Case:
    """How a listing is opened in this test: by whom, with which filter, at which address."""

    persona: str
    params: dict[str, str]
    filter_words: str  # what the audit message must name
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    rows: int = 1  # at least this many rows in the first table


CASES: dict[str, Case] = {
    "reporting.board": Case("alice", {"cycle": "monthly", "period": "10"}, "周期：月报", rows=2),
    "reporting.missing": Case(
        "alice",
        {"region": "huangdao"},
        "所属区县：黄岛区",
        kwargs=lambda world: {"period_id": _october().pk},
    ),
    "reporting.queue": Case("alice", {"status": "submitted", "region": "huangdao"}, "黄岛区"),
    "supervision.notices": Case("alice", {"kind": "supervision_order"}, "督办单"),
    "supervision.meetings": Case("alice", {"year": "2026"}, "2026", rows=2),
    "supervision.rounds": Case("alice", {"kind": "site_visit"}, "类型：进现场", rows=2),
    "supervision.round_ranking": Case(
        "alice",
        {},
        "崂山区项目拉练",
        kwargs=lambda world: {"pk": world.round_pk},
        rows=0,
    ),
    "campaigns.campaigns": Case("alice", {"year": "2026"}, "年度：2026"),
}


def _resolve(world: Any, params: dict[str, str]) -> dict[str, str]:
    resolved = dict(params)
    if resolved.get("region") == "huangdao":
        resolved["region"] = str(world.huangdao.pk)
    if resolved.get("period") == "10":
        resolved["period"] = str(_october().pk)
    return resolved


def page_tables(content: bytes, key: str) -> dict[str, list[list[str]]]:
    """The listed tables of a page: per table, its rows' cells as the page shows them."""
    tree = lxml_html.fromstring(content)
    found: dict[str, list[list[str]]] = {}
    for table in tree.xpath(f'//table[@data-listing="{key}"]'):
        rows = [
            [" ".join(cell.text_content().split()) for cell in row.xpath("./td[@data-col]")]
            for row in table.xpath(".//tbody/tr[@data-row]")
        ]
        found.setdefault(table.get("data-table"), []).extend(rows)
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
        if fmt == "#,##0.00":
            return f"{Decimal(str(value)):,.2f}"
        if fmt == '0.00"%"':
            return f"{Decimal(str(value)):.2f}%"
        if fmt.startswith("0."):
            return f"{Decimal(str(value)):.{len(fmt) - 2}f}"
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
        found[table.key] = [[shown(cell) for cell in row] for row in rows[header + 1 :]]
    return found, book


def _all_pages(client: Any, url: str, params: dict[str, str], key: str) -> Any:
    """The page's tables over all its pages (a paged list shows 25 a page)."""
    response = client.get(url, params)
    assert response.status_code == 200
    tables = page_tables(response.content, key)
    paging: Any = response.context.get("page") if response.context else None
    pages = paging.paginator.num_pages if hasattr(paging, "paginator") else 1
    for number in range(2, pages + 1):
        more = page_tables(client.get(url, {**params, "page": number}).content, key)
        for name, rows in more.items():
            tables[name].extend(rows)
    return response, tables


@pytest.fixture
def built(world: Any) -> Any:
    _build(world)
    from tiaodu.supervision.rounds.models import FieldRound

    world.round_pk = FieldRound.objects.get(title="崂山区项目拉练").pk
    return world


@pytest.mark.parametrize("key", sorted(CASES))
def test_the_export_holds_the_rows_the_page_shows(built: Any, client: Any, key: str) -> None:
    world, case = built, CASES[key]
    item = next(found for found in listing.listings() if found.key == key)
    client.force_login(getattr(world, case.persona))
    kwargs = case.kwargs(world)
    params = _resolve(world, case.params)
    response, on_page = _all_pages(client, reverse(item.page, kwargs=kwargs or None), params, key)
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
    assert event.message.startswith(f"{len(in_file[item.tables[0].key])} 条")


def test_the_file_is_named_for_what_it_is(built: Any, client: Any) -> None:
    from tiaodu.testing import download_name

    client.force_login(built.alice)
    response = client.get(reverse("reporting:missing_export", args=[_october().pk]))
    assert download_name(response) == "催报名单-2026年10月.xlsx"
    assert 'filename="missing-reports-2026-11-05.xlsx"' in response["Content-Disposition"]
    notices = client.get(reverse("supervision:notices_export"))
    assert download_name(notices) == "督办通知-2026-11-05.xlsx"


SCOPED = ["reporting.board", "reporting.missing", "reporting.queue", "supervision.notices",
          "supervision.meetings", "supervision.rounds"]  # fmt: skip


@pytest.mark.parametrize("key", SCOPED)
def test_dora_never_exports_a_laoshan_row(built: Any, client: Any, key: str) -> None:
    item = next(found for found in listing.listings() if found.key == key)
    client.force_login(built.dora)
    kwargs = CASES[key].kwargs(built)
    export = client.get(reverse(item.export, kwargs=kwargs or None))
    assert export.status_code == 200
    book = load_workbook(BytesIO(export.content))
    text = " ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )
    assert "崂山" not in text
    assert any(word in text for word in ("黄岛", "港湾", "港区")), text[:300]


def test_every_list_page_of_the_menu_has_an_export() -> None:
    """A page of the menu is a list with an export (shared or its own), or the registry
    says it is no list, or says why it has no export yet (docs/exports.md)."""
    exported = {item.page for item in listing.listings()} | set(listing.own_exports())
    declared = set(listing.not_lists()) | set(listing.pages_without_export())
    forgotten = [
        item.url_name for item in registered_items() if item.url_name not in exported | declared
    ]
    assert forgotten == []
    assert not (exported & set(listing.not_lists()))
    assert not (exported & set(listing.pages_without_export()))


def test_every_listing_is_checked_here() -> None:
    assert sorted(item.key for item in listing.listings()) == sorted(CASES)
