"""Accounts workbooks written for the tests, as an administrator fills in the template."""

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from tiaodu.accounts.account_import.workbook import (
    UNIT_COLUMNS,
    UNITS_SHEET,
    USER_COLUMNS,
    USERS_SHEET,
)

UNIT_HEADERS = [column.header for column in UNIT_COLUMNS]
USER_HEADERS = [column.header for column in USER_COLUMNS]


def accounts_workbook(
    path: Path, units: Sequence[Sequence[object]], users: Sequence[Sequence[object]]
) -> Path:
    """Rows in the template's column order (short rows are padded with empty cells)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = UNITS_SHEET
    sheet.append(UNIT_HEADERS)
    for row in units:
        sheet.append(row)
    sheet = workbook.create_sheet(USERS_SHEET)
    sheet.append(USER_HEADERS)
    for row in users:
        sheet.append(row)
    workbook.save(path)
    return path
