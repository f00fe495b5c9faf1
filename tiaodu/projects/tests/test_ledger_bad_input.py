"""Bad ledgers (issue 3, "Bad input"): each error names its place and nothing is written."""

import zipfile

import pytest
from openpyxl import Workbook

from tiaodu.projects.ledger.errors import write_error_report
from tiaodu.projects.ledger.importer import plan_import
from tiaodu.projects.tests.test_ledger_import import (
    AS_OF,
    HEADERS,
    LEDGER_TABLES,
    ROW_1,
    ROW_2,
    ledger,
)
from tiaodu.testing import assert_nothing_written


def check(world, path, *, actor=None):
    """Plan the import; nothing may be written, whatever it finds."""
    with assert_nothing_written(*LEDGER_TABLES):
        plan = plan_import(actor=actor or world.alice, source=path, year=2026, as_of=AS_OF)
    assert plan.rows == []
    return plan


def places(plan):
    return [(error.row, error.column) for error in plan.errors]


def row_with(row, **cells):
    result = list(row)
    for letter, value in cells.items():
        result[ord(letter) - ord("A")] = value
    return result


def test_a_missing_required_header_is_named(world, tmp_path):
    headers = [h for h in HEADERS if h != "建设性质"]
    rows = [[v for h, v in zip(HEADERS, row, strict=True) if h != "建设性质"] for row in [ROW_1]]
    plan = check(world, ledger(tmp_path / "l.xlsx", rows, headers))
    assert [(e.row, e.column, e.header) for e in plan.errors] == [(1, "", "建设性质")]


@pytest.mark.parametrize(
    "cells, place",
    [
        ({"D": "胶州湾新区"}, (2, "D")),  # unknown region
        ({"N": "2026-13-01"}, (2, "N")),  # bad date
        ({"M": "明年春天"}, (2, "M")),  # bad date (text)
        ({"J": -5}, (2, "J")),  # negative amount
        ({"K": "-1,000万元"}, (2, "K")),  # negative amount as text
        ({"J": "约一亿"}, (2, "J")),  # non-numeric amount
        ({"B": "2026-37021-48-01-000011"}, (2, "B")),  # project code in the wrong format
        ({"G": "施工前准备"}, (2, "G")),  # a reserve stage on a new start
        ({"P": "2026-04-01"}, (2, "P")),  # actual completion before actual start (2026/4/8)
        ({"C": None}, (2, "C")),  # a required cell left blank
        ({"E": "国家级"}, (2, "E")),  # a level that does not exist
        ({"C": "黄岛\u202e纽枢流物"}, (2, "C")),  # a name with a direction control
        ({"Q": "青岛新港\u2066物流有限公司"}, (2, "Q")),  # a unit's name with one
        ({"S": "王\u202b强"}, (2, "S")),  # a person's name with one
    ],
)
def test_a_wrong_cell_is_named_by_row_and_column(world, tmp_path, cells, place):
    plan = check(world, ledger(tmp_path / "l.xlsx", [row_with(ROW_1, **cells), ROW_2]))
    assert places(plan) == [place]
    assert plan.errors[0].sheet == "台账"
    assert plan.errors[0].fix


def test_every_wrong_row_is_reported_not_just_the_first(world, tmp_path):
    rows = [row_with(ROW_1, J=-1, N="昨天"), row_with(ROW_2, D="火星区")]
    plan = check(world, ledger(tmp_path / "l.xlsx", rows))
    assert places(plan) == [(2, "J"), (2, "N"), (3, "D")]
    assert [e.value for e in plan.errors] == ["-1", "昨天", "火星区"]


def test_two_rows_for_the_same_project(world, tmp_path):
    same_code = row_with(ROW_2, B=ROW_1[1], C="另一个名字")
    plan = check(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2, same_code, ROW_2]))
    assert places(plan) == [(4, "B"), (5, "C")]
    assert "2" in plan.errors[0].fix and "3" in plan.errors[1].fix


def test_a_row_outside_the_dispatchers_region(world, tmp_path):
    plan = check(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]), actor=world.dora)
    assert places(plan) == [(3, "D")]  # 崂山 is not in dora's 黄岛区
    assert "不在您的管辖范围" in plan.errors[0].fix


def test_merged_cells(world, tmp_path):
    path = ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2])
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.active.merge_cells("H2:I2")
    workbook.save(path)
    plan = check(world, path)
    assert places(plan) == [(2, "H")]
    assert plan.errors[0].header == "H2:I2"


def test_formulas(world, tmp_path):
    plan = check(world, ledger(tmp_path / "l.xlsx", [row_with(ROW_1, J="=1000*2"), ROW_2]))
    assert places(plan) == [(2, "J")]


def test_an_empty_sheet(world, tmp_path):
    path = tmp_path / "l.xlsx"
    Workbook().save(path)
    plan = check(world, path)
    assert places(plan) == [(None, "")]


def test_headers_without_rows(world, tmp_path):
    plan = check(world, ledger(tmp_path / "l.xlsx", []))
    assert places(plan) == [(None, "")]


@pytest.mark.parametrize(
    "content, word",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, ".xls"),
        ("这是一个台账说明\n请填写\n".encode(), "xlsx"),
        ("项目名称,所属区县\n".encode("utf-16"), "xlsx"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
    ],
    ids=["damaged-xls", "text", "utf-16", "png"],
)
def test_files_that_are_not_ledgers(world, tmp_path, content, word):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(content)
    plan = check(world, path)
    assert places(plan) == [(None, "")]
    assert word in plan.errors[0].fix


def test_an_xlsm_renamed(world, tmp_path):
    path = ledger(tmp_path / "l.xlsx", [ROW_1])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
    plan = check(world, path)
    assert places(plan) == [(None, "")]
    assert ".xlsm" in plan.errors[0].fix


def test_a_docx_like_zip(world, tmp_path):
    path = tmp_path / "l.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert places(check(world, path)) == [(None, "")]


def test_an_xlsx_over_the_uncompressed_limit(world, tmp_path, settings):
    settings.TIAODU_LEDGER_MAX_UNCOMPRESSED_BYTES = 4000
    plan = check(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]))
    assert places(plan) == [(None, "")]
    assert "MB" in plan.errors[0].fix


def test_a_file_over_the_upload_limit(world, tmp_path, settings):
    settings.TIAODU_LEDGER_MAX_BYTES = 1000
    plan = check(world, ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]))
    assert places(plan) == [(None, "")]
    assert "MB" in plan.errors[0].fix


def test_the_error_report_marks_the_wrong_cells(world, tmp_path):
    import io

    from openpyxl import load_workbook

    plan = check(world, ledger(tmp_path / "l.xlsx", [row_with(ROW_1, J=-1), ROW_2]))
    assert plan.sheet is not None
    report = load_workbook(io.BytesIO(write_error_report(plan.errors, raw=plan.sheet.raw)))
    ledger_sheet, errors_sheet = report.worksheets
    cell = ledger_sheet["J2"]
    assert cell.value == -1
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment.text == plan.errors[0].fix
    assert ledger_sheet["C2"].value == ROW_1[2]
    rows = list(errors_sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [("台账", 2, "J", "总投资（万元）", "-1", plan.errors[0].fix)]


def test_the_command_exits_non_zero_and_prints_every_error(world, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = ledger(tmp_path / "l.xlsx", [row_with(ROW_1, J=-1), row_with(ROW_2, D="火星区")])
    report = tmp_path / "errors.xlsx"
    with assert_nothing_written(*LEDGER_TABLES), pytest.raises(CommandError):
        call_command(
            "import_ledger", str(path), "--year", "2026", "--as-of", "2026-08-31",
            "--error-report", str(report),
        )  # fmt: skip
    err = capsys.readouterr().err
    assert "J" in err and "«-1»" in err and "«火星区»" in err
    assert report.exists()


# Columns X and Y: 专项债券资金 and 债券资金已支出 (ROW_1 states its year-to-date figure, ROW_2 not).
BOND_HEADERS = [*HEADERS, "专项债券资金（万元）", "债券资金已支出"]


@pytest.mark.parametrize(
    "rows, place, words",
    [
        ([[*ROW_1, 5000, 6000]], (2, "Y"), "correct one of the two"),  # more spent than allotted
        ([[*ROW_1, None, 10]], (2, "Y"), "correct one of the two"),  # spent without funds
        ([[*ROW_1, 5000, None], [*ROW_2, 800, 100]], (3, "Y"), "本年累计完成投资"),  # no ytd
        ([[*ROW_1, -1, None]], (2, "X"), "negative"),
        ([[*ROW_1, 5000, "一半"]], (2, "Y"), "not an amount"),
    ],
    ids=["over", "no funds", "without the ytd", "negative", "not a number"],
)
def test_a_wrong_special_bond_cell_is_the_rows_error(world, tmp_path, rows, place, words):
    from django.utils import translation

    with translation.override("en"):
        plan = check(world, ledger(tmp_path / "l.xlsx", rows, BOND_HEADERS))
    assert places(plan) == [place]
    assert words in plan.errors[0].fix


def test_funds_lowered_below_what_is_spent_are_the_funds_cells_error(world, tmp_path):
    from tiaodu.projects.tests.test_ledger_import import run

    run(world, ledger(tmp_path / "l.xlsx", [[*ROW_1, 5000, 1200]], BOND_HEADERS))
    headers = [*HEADERS, "专项债券资金"]
    plan = check(world, ledger(tmp_path / "l2.xlsx", [[*ROW_1, 1000]], headers))
    assert places(plan) == [(2, "X")]
    assert "1,200.00" in plan.errors[0].fix and "1,000.00" in plan.errors[0].fix
