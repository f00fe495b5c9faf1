"""core.xlsx: its cells are written as openpyxl would read them back (that openpyxl is
imported with the first workbook, not as a process starts: test_start.py)."""

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import column_index_from_string, get_column_letter

from tiaodu.core import xlsx


def test_the_error_values_are_openpyxls():
    assert frozenset(ERROR_CODES) == xlsx.ERROR_CODES


def test_a_sheet_written_lazily_reads_back():
    workbook, sheet = xlsx.new_sheet(
        sheet_name="表", title="标题", columns=[("名称", 10), ("金额", 8)]
    )
    sheet.append([xlsx.cell(sheet, "=1+1"), xlsx.cell(sheet, Decimal("12.50"), bold=True)])
    sheet.append([xlsx.cell(sheet, "#N/A"), xlsx.cell(sheet, 3)])
    read = load_workbook(BytesIO(xlsx.to_bytes(workbook))).active
    assert read["A1"].value == "标题" and read["A2"].fill.fgColor.rgb.endswith("DCE6F1")
    assert read["A3"].value == "=1+1" and read["A3"].data_type == "s"
    assert read["B3"].value == 12.5 and read["B3"].number_format == "0.00" and read["B3"].font.b
    assert read["A4"].value == "#N/A" and read["A4"].data_type == "s" and read["B4"].value == 3


def test_column_letters_are_excels():
    for number in (*range(1, 800), 16384, 18278):
        letters = xlsx.column_letter(number)
        assert letters == get_column_letter(number)
        assert xlsx.column_number(letters) == column_index_from_string(letters) == number
