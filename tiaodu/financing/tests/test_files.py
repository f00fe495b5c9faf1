"""An edition as Word and as Excel: the files opened and read back, the needs the reader
may see with their totals and the changes since the previous edition."""

from io import BytesIO
from typing import Any

from docx import Document
from openpyxl import load_workbook

from tiaodu.financing.tests.conftest import Editions
from tiaodu.testing import download_name


def test_the_edition_as_word_and_excel(world: Any, editions: Editions) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.alice)
    base = f"/financing/{editions.sixth.pk}/list"

    response = client.get(f"{base}.xlsx")
    assert download_name(response) == "青岛市融资需求清单（2026年第6期）.xlsx"
    book = load_workbook(BytesIO(response.content))
    sheet = book["融资需求"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "青岛市融资需求清单（2026年第6期）"
    assert rows[1][:6] == [
        "序号",
        "项目名称",
        "所在区域",
        "项目单位",
        "融资方式",
        "融资需求（万元）",
    ]
    assert [row[1] for row in rows[2:5]] == [
        "黄岛港区集装箱码头三期", "崂山区污水处理厂扩建", "港湾物流园仓储中心"
    ]  # fmt: skip
    assert rows[5][1] == "合计：3 项需求" and rows[5][5] == 11000
    changes = [list(row) for row in book["与上期比较"].iter_rows(values_only=True)]
    assert changes[2:] == [
        ["已满足（有回应）", 1, 5000], ["已撤出", 1, 8000], ["延续", 1, 3000], ["新增", 1, 2000]
    ]  # fmt: skip

    response = client.get(f"{base}.docx")
    assert download_name(response) == "青岛市融资需求清单（2026年第6期）.docx"
    document = Document(BytesIO(response.content))
    assert document.paragraphs[0].text == "青岛市融资需求清单（2026年第6期）"
    needs, compared = document.tables
    assert [cell.text for cell in needs.rows[0].cells][:2] == ["序号", "项目名称"]
    assert [cell.text for cell in needs.rows[-1].cells][5] == "11,000.00"
    assert [[cell.text for cell in row.cells] for row in compared.rows[1:]] == [
        ["已满足（有回应）", "1", "5,000.00"], ["已撤出", "1", "8,000.00"],
        ["延续", "1", "3,000.00"], ["新增", "1", "2,000.00"],
    ]  # fmt: skip
    # The owner unit of A gets its own projects' needs only.
    client.force_login(world.rita)
    book = load_workbook(BytesIO(client.get(f"{base}.xlsx").content))
    names = [row[1] for row in book["融资需求"].iter_rows(min_row=3, values_only=True)]
    assert names[:-2] == ["黄岛港区集装箱码头三期", "港湾物流园仓储中心"]
