"""The accounts workbook (账号导入表): its two sheets and their columns, the template an
administrator downloads, and the reading of an uploaded copy (docs/administration.md).

Sheet 组织机构 lists departments, owner units and functional zones under their region; sheet
用户 lists accounts with their unit and roles. Row 1 holds the headers (in any order, a
trailing `*` marks the required ones); row 2 of the template is an example, skipped when it
is left as it is. A third sheet, 填写说明, says what each column allows.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.core.media import office
from tiaodu.core.media.signatures import XLSX
from tiaodu.core.roles import Role
from tiaodu.core.xlsx import to_bytes

UNITS_SHEET = "组织机构"
USERS_SHEET = "用户"
NOTES_SHEET = "填写说明"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    note: str
    example: str


UNIT_COLUMNS = [
    Column("name", "单位名称", True, "单位全称，如“青岛市市南区发展和改革局”。", "市南区发展和改革局"),
    Column("kind", "单位类型", True, "部门、项目单位 或 功能区。", "部门"),
    Column("region", "所属区域", True, "区划代码（6位）或区域名称，须是本站已有的市、区县或功能区。", "370202"),
    Column("department", "上级部门", False, "项目单位隶属某部门时填写该部门名称（同一区域下）；否则留空。", ""),
    Column("credit_code", "统一社会信用代码", False, "18位，可空。", ""),
    Column("phone", "联系电话", False, "可空。", "0532-82000000"),
]  # fmt: skip

USER_COLUMNS = [
    Column("username", "用户名", True, "登录名，字母、数字和 @.+-_，不可与已有账号重复。", "zhang.san"),
    Column("display_name", "姓名", True, "本人姓名。", "张三"),
    Column("region", "所属区域", True, "区划代码（6位）或区域名称。", "370202"),
    Column("unit", "所属单位", False, "所属区域下的部门或项目单位名称（本表或系统中已有）；留空表示属于区域本级。", "市南区发展和改革局"),
    Column("roles", "角色", False, "调度员、领导、部门经办、首席服务员、项目填报员，多个用“；”分隔。管理员角色不能导入。", "调度员"),
    Column("assigned_only", "仅看分管项目", False, "领导只看分管的项目时填“是”，否则留空。", ""),
    Column("phone", "手机号码", False, "可空。", "13800000000"),
    Column("email", "电子邮箱", False, "可空。", ""),
]  # fmt: skip

KIND_NAMES = {
    "部门": OrgUnitKind.DEPARTMENT,
    "项目单位": OrgUnitKind.OWNER_UNIT,
    "业主单位": OrgUnitKind.OWNER_UNIT,
    "功能区": OrgUnitKind.ZONE,
}
ROLE_NAMES = {
    "调度员": Role.DISPATCHER,
    "领导": Role.LEADER,
    "部门经办": Role.DEPARTMENT_HANDLER,
    "首席服务员": Role.SERVICE_OFFICER,
    "项目填报员": Role.REPORTER,
    "填报员": Role.REPORTER,
}
ADMINISTRATOR_NAMES = {"系统管理员", "安全管理员", "审计员"}
YES = {"是", "Y", "y", "yes", "Yes", "1", "√"}
NO = {"", "否", "N", "n", "no", "No", "0"}

NOTES = [
    "账号导入表：两张表，“组织机构”和“用户”。第1行是表头，不要改动；第2行是示例，原样保留时导入会跳过它。",
    "导入是全有或全无：任何一行有错，什么都不写入，预览页列出每个错误（表、行、列、原因）。",
    "组织机构按“所属区域 + 上级部门 + 类型 + 名称”匹配：已有的单位（包括导入台账时自动建立的项目单位）不会重复建立。",
    "用户：已有的用户名不会改动。新账号的一次性密码只在导入后下载一次，首次登录时必须修改。",
    "分工（三权分立）：系统管理员导入组织机构和账号；安全管理员再导入同一文件，授予其中的角色。",
    "数据范围：调度员、领导为所属区域；部门经办为所属单位（须是部门）；项目填报员为所属单位（须是项目单位）；首席服务员为分管的项目。",
]


class WorkbookError(ValueError):
    """The file cannot be read as an accounts workbook; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    """One filled row: its Excel row number and its cells by column key (as text)."""

    number: int
    cells: dict[str, str]


def _header_row(sheet: Any, columns: Sequence[Column]) -> None:
    fill = PatternFill("solid", fgColor="DCE6F1")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(
            row=1, column=index, value=column.header + ("*" if column.required else "")
        )
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) * 3)
        example = sheet.cell(row=2, column=index, value=column.example or None)
        example.font = Font(italic=True, color="808080")
        example.number_format = "@"
    sheet.freeze_panes = "A2"


def template() -> bytes:
    """The template: the two sheets with their headers and an example row, and the notes."""
    workbook = Workbook()
    units = workbook.active
    units.title = UNITS_SHEET
    _header_row(units, UNIT_COLUMNS)
    _header_row(workbook.create_sheet(USERS_SHEET), USER_COLUMNS)
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 12
    notes.column_dimensions["C"].width = 90
    for line in NOTES:
        notes.append(["", "", line])
    notes.append([])
    notes.append(["表", "列", "可填写的内容"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for sheet_name, columns in [(UNITS_SHEET, UNIT_COLUMNS), (USERS_SHEET, USER_COLUMNS)]:
        for column in columns:
            required = "（必填）" if column.required else ""
            notes.append([sheet_name, column.header, column.note + required])
    return to_bytes(workbook)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def _rows(raw: list[list[Any]], columns: Sequence[Column], sheet: str) -> list[SheetRow]:
    if not raw:
        return []
    headers = [_text(value).rstrip("*").strip() for value in raw[0]]
    positions: dict[str, int] = {}
    for column in columns:
        if column.header in headers:
            positions[column.key] = headers.index(column.header)
        elif column.required:
            raise WorkbookError(
                _(
                    "Sheet “%(sheet)s” has no column “%(header)s” in its first row. Start from "
                    "the template and keep its headers."
                )
                % {"sheet": sheet, "header": column.header}
            )
    example = {column.key: column.example for column in columns}
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = {
            key: _text(values[index]) if index < len(values) else ""
            for key, index in positions.items()
        }
        if not any(cells.values()):
            continue
        if number == 2 and all(cells[key] == example[key] for key in cells):
            continue
        rows.append(SheetRow(number=number, cells=cells))
    return rows


@dataclass(frozen=True)
class AccountsWorkbook:
    units: list[SheetRow]
    users: list[SheetRow]


def read(handle: IO[bytes]) -> AccountsWorkbook:
    """The filled rows of both sheets; WorkbookError when the file is no accounts workbook."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    if size > MAX_BYTES:
        raise WorkbookError(
            _("The file is larger than %(limit)d MB: split it into several workbooks.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    try:
        if office.check_package(handle) != XLSX:
            raise WorkbookError(
                _("This is not an Excel workbook: upload the filled-in template (.xlsx).")
            )
    except office.PackageRefused as refused:
        raise WorkbookError(refused.message) from refused
    try:
        workbook = CalamineWorkbook.from_filelike(handle)
        sheets = {}
        for name in (UNITS_SHEET, USERS_SHEET):
            if name not in workbook.sheet_names:
                raise WorkbookError(
                    _(
                        "The workbook has no sheet “%(sheet)s”. Download the template and fill "
                        "in its sheets “组织机构” and “用户”."
                    )
                    % {"sheet": name}
                )
            sheets[name] = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except CalamineError as error:
        raise WorkbookError(
            _("The workbook cannot be read (%(error)s). Save it again as .xlsx.") % {"error": error}
        ) from error
    if len(sheets[UNITS_SHEET]) + len(sheets[USERS_SHEET]) > MAX_ROWS:
        raise WorkbookError(
            _("The workbook has more than %(limit)d rows: split it into several workbooks.")
            % {"limit": MAX_ROWS}
        )
    return AccountsWorkbook(
        units=_rows(sheets[UNITS_SHEET], UNIT_COLUMNS, UNITS_SHEET),
        users=_rows(sheets[USERS_SHEET], USER_COLUMNS, USERS_SHEET),
    )
