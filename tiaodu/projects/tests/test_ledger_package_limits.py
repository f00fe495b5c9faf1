"""A ledger's zip package and its texts are checked before the workbook is read: a zip bomb
is refused from its directory, and a cell or shared string longer than Excel's limit
(32,767 characters) is named by its cell, found by streaming the XML, before calamine
builds a single text."""

import re
import zipfile

from tiaodu.core.tests.office_files import with_parts
from tiaodu.projects.ledger.safety import check_ledger_file
from tiaodu.projects.tests.test_ledger_bad_input import check, places, row_with
from tiaodu.projects.tests.test_ledger_import import HEADERS, ROW_1, ROW_2, ledger

LONG = "长" * 40_000
SHARED_RELATION = (
    '<Relationship Id="rIdShared" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def rewritten(path, change):
    """The workbook at `path` rewritten, each part passed through `change(name, data)`."""
    with zipfile.ZipFile(path) as source:
        parts = {name: change(name, source.read(name)) for name in source.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def with_shared_strings(path, strings, cell):
    """The workbook's `cell` made to show the last of `strings`, kept as shared strings."""
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    table = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()

    def change(name, data):
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", SHARED_RELATION.encode())
        if name == "xl/worksheets/sheet1.xml" and cell:
            pattern = rf'<c r="{cell}" t="inlineStr"><is><t>[^<]*</t></is></c>'.encode()
            shared = f'<c r="{cell}" t="s"><v>{len(strings) - 1}</v></c>'.encode()
            return re.sub(pattern, shared, data)
        return data

    rewritten(path, change)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", table)
    return path


def with_inline_text(path, cell, text):
    """The workbook's `cell` (an inline string) made to hold `text`, however long: openpyxl
    cuts a text at 32,767 characters, Excel's limit, and other writers need not."""

    def change(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        pattern = rf'(<c r="{cell}" t="inlineStr"><is><t>)[^<]*(</t>)'.encode()
        return re.sub(pattern, lambda m: m.group(1) + text.encode() + m.group(2), data)

    return rewritten(path, change)


def test_an_inline_string_longer_than_a_cell_holds_is_named_by_its_cell(world, tmp_path):
    path = with_inline_text(ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]), "C3", LONG)
    plan = check(world, path)
    assert places(plan) == [(3, "C")]
    assert plan.errors[0].fix == (
        "单元格 C3 的文字超过 32,767 个字符（Excel 单元格的上限）。请删减后重新上传。"
    )


def test_a_shared_string_longer_than_a_cell_holds_is_named_by_the_cell_that_shows_it(
    world, tmp_path
):
    path = ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2])
    with_shared_strings(path, ["短", LONG], "C2")
    assert places(check(world, path)) == [(2, "C")]


def test_a_shared_string_too_long_that_no_cell_shows_still_refuses_the_file(world, tmp_path):
    path = with_shared_strings(ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]), [LONG], "")
    plan = check(world, path)
    assert places(plan) == [(None, "")]
    assert "32,767" in plan.errors[0].fix


def test_a_text_of_exactly_the_limit_passes_the_check(tmp_path):
    path = ledger(tmp_path / "l.xlsx", [row_with(ROW_1, C="长" * 32_767)])
    with path.open("rb") as handle:
        assert check_ledger_file(handle).sheet_name == "台账"


def test_a_csv_cell_longer_than_a_cell_holds_is_named(world, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(",".join(HEADERS) + "\n1,," + LONG + ",黄岛区\n", encoding="utf-8")
    assert places(check(world, path)) == [(2, "C")]


def test_a_zip_bomb_saved_as_a_ledger_is_refused_before_anything_unpacks_it(world, tmp_path):
    path = ledger(tmp_path / "l.xlsx", [ROW_1])
    path.write_bytes(
        with_parts(path.read_bytes(), {"xl/worksheets/sheet2.xml": b"<row/>" * 700_000})
    )
    plan = check(world, path)
    assert places(plan) == [(None, "")]
    assert "xl/worksheets/sheet2.xml" in plan.errors[0].fix
    assert "200" in plan.errors[0].fix


def test_a_part_named_outside_the_package_refuses_the_ledger(world, tmp_path):
    path = ledger(tmp_path / "l.xlsx", [ROW_1])
    path.write_bytes(with_parts(path.read_bytes(), {"../../etc/cron.d/x": b"x"}))
    plan = check(world, path)
    assert "../../etc/cron.d/x" in plan.errors[0].fix


def test_shared_strings_declaring_entities_are_refused(world, tmp_path):
    path = with_shared_strings(ledger(tmp_path / "l.xlsx", [ROW_1, ROW_2]), ["短"], "")
    rewritten(
        path,
        lambda name, data: (
            b'<!DOCTYPE sst [<!ENTITY a "aaaa">]>' + data
            if name == "xl/sharedStrings.xml"
            else data
        ),
    )
    plan = check(world, path)
    assert places(plan) == [(None, "")]
    assert "DTD" in plan.errors[0].fix
