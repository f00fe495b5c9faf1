"""The bulletin's tables as an Excel workbook: one sheet per table, every row (the documents
show the first rows of a long list, the workbook all of them), then the totals row.

Amounts and rates are numbers (two places), counts whole numbers, "none" an empty cell;
text that could be read as a formula goes through `core.xlsx.text_cell`, so a project name
is never a formula.
"""

from openpyxl import Workbook

from tiaodu.core.xlsx import add_sheet, cell, to_bytes, width
from tiaodu.documents.contents import BulletinContent


def render(content: BulletinContent) -> bytes:
    workbook = Workbook(write_only=True)
    for table in content.tables():
        columns = [(heading, width(heading)) for heading in table.columns]
        sheet = add_sheet(
            workbook,
            sheet_name=table.title,
            title=f"{content.title} · {table.title}",
            columns=columns,
        )
        for row in table.rows:
            sheet.append([cell(sheet, value) for value in row])
        if table.total is not None:
            sheet.append([cell(sheet, value, bold=True) for value in table.total])
    return to_bytes(workbook)
