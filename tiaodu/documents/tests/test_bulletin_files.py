"""`manage.py bulletin` writes .docx, .pdf and .xlsx; each file, opened as a reader would
open it, states the figure set's figures for the same month and region."""

import io
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from tiaodu.analytics.figures import WHOLE_SITE, figure_set
from tiaodu.documents import xlsx
from tiaodu.documents.contents import BulletinContent, Section, Table, Value
from tiaodu.documents.tests.conftest import AS_OF

pytestmark = pytest.mark.django_db


def yi(amount: str) -> str:
    return str((Decimal(amount) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def written(tmp_path: Path, *arguments: str) -> dict[str, Path]:
    out = tmp_path / "out"
    call_command("bulletin", "--month", "2026-08", "--out", str(out), *arguments)
    return {path.suffix[1:]: path for path in out.iterdir()}


def headline_expected(data: dict[str, Any]) -> dict[str, str]:
    """The headline table's rows as the figure set gives them."""
    return {
        "项目数": str(data["projects"]),
        "总投资": yi(data["total_investment"]),
        "年度计划": yi(data["annual_plan"]),
        "本年累计完成投资": yi(data["ytd_completed"]),
        "投资完成率": data["completion_rate"],
        "序时进度": data["time_progress"],
        "计划新开工项目": str(data["new_start"]["planned"]),
        "新开工项目已开工": str(data["new_start"]["started"]),
        "新开工率": data["new_start"]["rate"],
        "已竣工": str(data["completed"]["count"]),
        "预计竣工": str(data["expected_completion"]["count"]),
        "应开未开": str(data["should_start"]),
        "应竣未竣": str(data["should_complete"]),
        "滞后于序时进度": str(data["lagging"]),
        "储备项目": str(data["reserve"]["count"]),
    }


def region_expected(figures: dict[str, Any]) -> list[str]:
    rate = figures["completion_rate"]
    return [
        str(figures["projects"]),
        figures["annual_plan"],
        figures["ytd_completed"],
        "—" if rate is None else rate,
        str(figures["new_start"]["planned"]),
        str(figures["new_start"]["started"]),
        str(figures["completed"]["count"]),
        str(figures["lagging"]),
    ]


def cells(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_command_writes_three_files(bulletin_world: Any, tmp_path: Path) -> None:
    files = written(tmp_path)
    assert sorted(files) == ["docx", "pdf", "xlsx"]
    assert files["docx"].name == "bulletin-2026-08.docx"


def test_the_word_document_states_the_figure_sets_figures(
    bulletin_world: Any, tmp_path: Path
) -> None:
    data = figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    document = Document(str(written(tmp_path)["docx"]))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "关于青岛市2026年8月重点项目建设情况的通报" in text
    assert "通报〔2026〕" in text and "草稿" in text  # a draft: no masthead
    tables = {
        cells(table)[0][0] + "/" + cells(table)[0][1]: cells(table) for table in document.tables
    }
    headline = {row[0]: row[1] for row in tables["指标/数值"][1:]}
    assert headline == headline_expected(data)

    regions = tables["排名/所属区县"]
    by_name = {row[1]: row[2:] for row in regions[1:-1]}
    names = {"黄岛区": "370211", "崂山区": "370212", "市南区": "370202"}
    for name, code in names.items():
        assert by_name[name] == region_expected(data["by_region"][code])
    # Ranked by completion rate: 崂山区 57.14%, 黄岛区 41.67%, 市南区 0.00%.
    assert [row[0:2] for row in regions[1:4]] == [["1", "崂山区"], ["2", "黄岛区"], ["3", "市南区"]]
    assert regions[-1][1:] == ["合计", *region_expected(data)]

    # Each list has as many rows as its count; the totals row says the count.
    lists = [table for table in document.tables if cells(table)[0][0] == "序号"]
    counts = [len(cells(table)) - 2 for table in lists]
    assert counts == [
        data["new_start"]["started"],
        data["should_start"],
        data["completed"]["count"],
        data["should_complete"],
        data["lagging"],
    ]
    assert [cells(table)[-1][1] for table in lists] == [str(count) for count in counts]
    lagging = cells(lists[-1])
    assert lagging[1][1:] == [
        "黄岛区安置房建设项目",
        "黄岛区",
        "—",
        "4000.00",
        "1000.00",
        "25.00",
        "安置房用地征收未完成",
    ]

    reserve = tables["储备阶段/项目数"]
    assert [int(row[1]) for row in reserve[1:-1]] == list(data["reserve"]["by_stage"].values())
    assert reserve[-1][1] == str(data["reserve"]["count"])
    cards = tables["评价/本月"]
    assert [int(row[1]) for row in cards[1:-1]] == [
        data["cards"][key] for key in ("blue", "yellow", "red", "none")
    ]
    problems = tables["部门/未办结"]
    assert problems[1] == ["青岛市住房和城乡建设局", "1", "1", "0"]
    assert problems[-1][1:] == [str(data["problems"][k]) for k in ("open", "overdue", "resolved")]
    notices = tables["类型/已签发"]
    assert notices[-1][1] == str(data["notices"]["issued"])


def test_the_workbook_holds_every_table_with_numbers(bulletin_world: Any, tmp_path: Path) -> None:
    data = figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    workbook = openpyxl.load_workbook(written(tmp_path)["xlsx"])
    assert len(workbook.sheetnames) == 11
    regions = list(workbook["各区域进度及排名"].iter_rows(min_row=3, values_only=True))
    total = regions[-1]
    assert total[1] == "合计"
    assert total[2] == data["projects"]
    assert Decimal(str(total[3])) == Decimal(data["annual_plan"])
    assert Decimal(str(total[4])) == Decimal(data["ytd_completed"])
    assert Decimal(str(total[5])) == Decimal(data["completion_rate"])
    # Amounts and rates are numbers shown with two places; counts whole numbers.
    headline = {
        name.value: f"{value.value:.2f}" if value.number_format == "0.00" else str(value.value)
        for name, value, _unit in workbook["主要指标"].iter_rows(min_row=3)
    }
    assert headline == headline_expected(data)
    lagging = list(workbook["滞后于序时进度项目"].iter_rows(min_row=3, values_only=True))
    assert len(lagging) - 1 == data["lagging"]


def test_the_pdf_embeds_its_fonts_and_states_the_figures(
    bulletin_world: Any, tmp_path: Path
) -> None:
    data = figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF)
    pdf = written(tmp_path, "--issued", "--number", "7")["pdf"]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows)  # embedded, subset
    assert any("Noto-Serif-CJK-SC" in row for row in rows)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "通报〔2026〕7号" in text and "青岛市发展和改革委员会" in text
    flat = " ".join(text.split())
    assert f"总投资{yi(data['total_investment'])}亿元" in flat.replace(" ", "")
    assert f"完成投资{yi(data['ytd_completed'])}亿元" in flat.replace(" ", "")
    assert f"{data['completion_rate']}%" in flat
    assert "—1—" in flat.replace(" ", "")  # the page number in the footer


def test_a_region_scopes_the_bulletin(bulletin_world: Any, tmp_path: Path) -> None:
    data = figure_set(actor=WHOLE_SITE, year=2026, as_of=AS_OF, region="370211")
    document = Document(str(written(tmp_path, "--region", "370211")["docx"]))
    assert (tmp_path / "out" / "bulletin-2026-08-370211.docx").exists()
    headline = {row[0]: row[1] for row in cells(document.tables[0])[1:]}
    assert headline == headline_expected(data)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "2026-13"], "“2026-13”不是月份"),
        (["--month", "August"], "“August”不是月份"),
        (["--month", "2026-08", "--region", "999999"], "999999"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(
    bulletin_world: Any, tmp_path: Path, arguments: list[str], message: str
) -> None:
    out = tmp_path / "out"
    with pytest.raises(CommandError, match=message):
        call_command("bulletin", *arguments, "--out", str(out))
    assert not out.exists()


def test_the_workbook_keeps_text_as_text_and_amounts_as_numbers() -> None:
    """Plain values are written as they are; text that looks like a formula or an error code
    stays text, amounts keep two places."""
    row: list[Value] = [1, '=HYPERLINK("http://x")', "#N/A", "黄岛新港", None, Decimal("12.50")]
    table = Table("lagging", "滞后", ["序号", "a", "b", "c", "d", "e"], [row], [None] * 6)
    content = BulletinContent(
        year=2026, month=8, as_of=AS_OF, region="青岛市", issuing_body="委",
        title="通报", number="", recipients="", sections=[Section("lagging", "五", [], [table])],
        issued_on="", figures={},
    )  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.render(content))).worksheets[0]
    cells = sheet[3]
    assert [cell.value for cell in cells] == [
        1,
        '=HYPERLINK("http://x")',
        "#N/A",
        "黄岛新港",
        None,
        12.5,
    ]
    assert [cell.data_type for cell in cells[1:4]] == ["s", "s", "s"]
    assert cells[5].number_format == "0.00"


def test_numbers_sit_flush_right_in_the_tables(bulletin_world: Any, tmp_path: Path) -> None:
    """Counts, amounts and rates are right-aligned in the Word tables and the PDF's, as
    official tables set them; names stay left."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from tiaodu.documents import contents, pdf

    document = Document(str(written(tmp_path)["docx"]))
    numbers = names = 0
    for table in document.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                paragraph, value = cell.paragraphs[0], cell.text.strip()
                if re.fullmatch(r"-?[\d,]+(\.\d+)?", value):
                    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT, value
                    numbers += 1
                elif re.search(r"[\u4e00-\u9fff]", value):
                    assert paragraph.alignment != WD_ALIGN_PARAGRAPH.RIGHT, value
                    names += 1
    assert numbers > 20 and names > 5
    content = contents.build(actor=WHOLE_SITE, month=AS_OF.replace(day=1), number=1)
    page = pdf.html(content, issued=False)
    assert page.count('<td class="num">') > 20
    assert "td.num { text-align: right; }" in page
