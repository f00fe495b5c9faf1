"""The files offices really save: one ledger, saved by LibreOffice Calc as .xlsx, .xls
(Excel 97–2003) and CSV in UTF-8 and in GBK (data/make_saved_ledgers.py writes them), gives
the same rows and figures, and takes its date from the header "截至2026-10-31"."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from tiaodu.projects.ledger.importer import apply_import, plan_import
from tiaodu.projects.ledger.safety import check_ledger_file
from tiaodu.projects.models import AnnualPlan

DATA = Path(__file__).parent / "data"
SAVED = ["ledger-saved.xlsx", "ledger-saved.xls", "ledger-saved-utf8.csv", "ledger-saved-gbk.csv"]
STATED = dt.date(2026, 10, 31)


def _figures(world, path):
    plan = plan_import(actor=world.alice, source=path, year=2026)
    assert plan.errors == []
    assert (plan.as_of, plan.stated_as_of) == (STATED, STATED)
    apply_import(actor=world.alice, plan=plan)
    entries = AnnualPlan.objects.filter(
        year=2026, project__name__in=["黄岛港区智慧物流园", "崂山生态廊道"]
    )
    return sorted(
        (
            e.project.code or "", e.project.name, e.project.region.name, e.level, e.nature,
            e.reserve_stage, e.project.category, e.project.funding_type,
            e.project.construction_content, e.project.total_investment, e.planned_investment,
            e.ytd_completed, e.ytd_as_of, e.bond_funds, e.bond_funds_spent, e.planned_start,
            e.project.actual_start, e.planned_completion,
            e.project.owner_unit.name if e.project.owner_unit else "",
            e.project.responsible_unit.name if e.project.responsible_unit else "",
            e.project.municipal_leader.name if e.project.municipal_leader else "",
            e.project.contact_name, e.project.contact_phone, e.project.longitude,
            e.project.latitude, e.project.remarks,
            sorted(e.memberships.filter(end__isnull=True).values_list("key_project_list__name", flat=True)),
        )
        for e in entries.select_related("project__region")
    )  # fmt: skip


@pytest.mark.parametrize("name", SAVED)
def test_every_saved_kind_gives_the_same_figures(world, name, django_db_blocker):
    figures = _figures(world, DATA / name)
    assert figures == [
        (
            "", "崂山生态廊道", "崂山区", "county", "reserve", "agreement_signed", "ecology",
            "government", "", Decimal("5000.00"), Decimal("0.00"), Decimal("0.00"), None,
            Decimal("0.00"), Decimal("0.00"), None, None, None, "", "", "", "", "", None, None,
            "", ["省百大"],
        ),
        (
            "2026-370211-48-01-000021", "黄岛港区智慧物流园", "黄岛区", "municipal", "new_start",
            "", "infrastructure", "enterprise", "建设仓储中心 12 万平方米，配套道路、堆场",
            Decimal("125000.00"), Decimal("20000.00"), Decimal("15321.45"), STATED,
            Decimal("5000.00"), Decimal("1200.50"), dt.date(2026, 3, 1), dt.date(2026, 4, 8),
            dt.date(2028, 6, 30), "青岛港湾物流有限公司", "青岛市交通运输局", "王强", "刘洋",
            "13800000000", Decimal("120.123456"), Decimal("36.012345"), "一期；二期同步设计",
            ["市重点项目", "省百大"],
        ),
    ]  # fmt: skip


def test_the_saved_files_are_what_they_say():
    """The fixtures are of the kinds an office sends: an OLE2 .xls, GBK text that is not UTF-8."""
    assert (DATA / "ledger-saved.xls").read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    gbk = (DATA / "ledger-saved-gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert gbk.decode("gbk").startswith("序号,项目代码,项目名称")
    kinds = {name: check_ledger_file((DATA / name).open("rb")).kind for name in SAVED}
    assert kinds == {
        "ledger-saved.xlsx": "xlsx",
        "ledger-saved.xls": "xls",
        "ledger-saved-utf8.csv": "csv",
        "ledger-saved-gbk.csv": "csv",
    }


def test_a_tab_separated_file_reads_too(world, tmp_path):
    path = tmp_path / "ledger.txt"
    path.write_text(
        "项目名称\t所属区县\t项目级别\t建设性质\t总投资\n港区新仓\t黄岛区\t市重点\t新开工\t800\n",
        "gbk",
    )
    plan = plan_import(actor=world.alice, source=path, year=2026)
    assert plan.errors == [] and plan.counts == {"new": 1, "updated": 0, "unchanged": 0}
    assert plan.rows[0].project.total_investment == Decimal("800")


def _xlsx(tmp_path, headers, row):
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append(row)
    path = tmp_path / "l.xlsx"
    workbook.save(path)
    return path


BASE = ["项目名称", "所属区县", "项目级别", "建设性质", "总投资"]
ROW = ["港区新仓", "黄岛区", "市重点", "新开工", 800]


def fixes(plan):
    return [(e.row, e.column, e.fix) for e in plan.errors]


def test_a_month_header_states_the_end_of_its_month(world, tmp_path):
    plan = plan_import(
        actor=world.alice, source=_xlsx(tmp_path, [*BASE, "1-8月完成投资"], [*ROW, 100]), year=2026
    )
    assert plan.errors == [] and plan.as_of == dt.date(2026, 8, 31)
    assert plan.rows[0].plan.ytd_as_of == dt.date(2026, 8, 31)


def test_a_date_given_and_a_date_stated_must_agree(world, tmp_path):
    path = _xlsx(tmp_path, [*BASE, "本年累计完成投资\n截至2026-10-31"], [*ROW, 100])
    plan = plan_import(actor=world.alice, source=path, year=2026, as_of=dt.date(2026, 11, 30))
    assert fixes(plan) == [
        (1, "F", "表头写明数据截至2026-10-31，上传时填写的却是2026-11-30：清空填写的日期以采用表头的日期，或改正其中之一。")
    ]  # fmt: skip
    same = plan_import(actor=world.alice, source=path, year=2026, as_of=dt.date(2026, 10, 31))
    assert same.errors == []


def test_figures_without_a_date_are_asked_for(world, tmp_path):
    path = _xlsx(tmp_path, [*BASE, "本年累计完成投资"], [*ROW, 100])
    plan = plan_import(actor=world.alice, source=path, year=2026)
    assert fixes(plan) == [
        (1, "F", "台账没有说明“本年累计完成投资”截至哪一天：请在本页填写截至日期，或写在表头中（截至2026-11-30）。")
    ]  # fmt: skip
    # Without year-to-date figures no date is needed.
    plan = plan_import(actor=world.alice, source=_xlsx(tmp_path, BASE, ROW), year=2026)
    assert plan.errors == [] and plan.as_of is None


def test_a_wrong_or_outside_date_in_a_header(world, tmp_path):
    wrong = _xlsx(tmp_path, [*BASE, "本年累计完成投资（截至2026年2月30日）"], [*ROW, 100])
    assert fixes(plan_import(actor=world.alice, source=wrong, year=2026)) == [
        (1, "F", "“截至2026年2月30日”不是日历上的日期：请改正表头中的日期（截至2026-11-30）。")
    ]  # fmt: skip
    other_year = _xlsx(tmp_path, [*BASE, "本年累计完成投资\n截至2025-12-31"], [*ROW, 100])
    assert fixes(plan_import(actor=world.alice, source=other_year, year=2026)) == [
        (1, "F", "表头写明的日期2025-12-31不在计划年度2026年内：请改正表头或计划年度。")
    ]  # fmt: skip
