"""The columns of the standard ledger (DOMAIN.md §5), in the order the export writes them.

Import accepts each column's header or one of its aliases, in any order. Headers are
compared after `normalise_header`: surrounding and inner spaces, full-width or half-width
brackets and the 万元 unit (with or without brackets) make no difference.

A header may state the date its figures are as of (`header_as_of`): the export writes
"本年累计完成投资(万元)" with "截至2026-11-30" under it, and an office's "1-8月完成投资" means
as of the end of August. The import takes that date unless the uploader gives one.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    IGNORED = "ignored"
    TEXT = "text"
    CODE = "code"
    AMOUNT = "amount"
    DATE = "date"
    LEVEL = "level"
    NATURE = "nature"
    RESERVE_STAGE = "reserve_stage"
    CATEGORY = "category"
    FUNDING_TYPE = "funding_type"
    LISTS = "lists"
    COORDINATE = "coordinate"


@dataclass(frozen=True)
class Column:
    id: str
    header: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("sequence", "序号", Kind.IGNORED, width=6),
    Column("code", "项目代码", Kind.CODE, width=26),
    Column("name", "项目名称", Kind.TEXT, required=True, width=40),
    Column("region", "所属区县", Kind.TEXT, ("区县", "所在地"), required=True, width=12),
    Column("level", "项目级别", Kind.LEVEL, ("级别",), required=True, width=10),
    Column("nature", "建设性质", Kind.NATURE, ("性质",), required=True, width=10),
    Column("reserve_stage", "储备阶段", Kind.RESERVE_STAGE, width=20),
    Column("category", "项目类别", Kind.CATEGORY, width=12),
    Column("industry", "所属行业", Kind.TEXT, width=14),
    Column("funding_type", "投资主体", Kind.FUNDING_TYPE, width=10),
    Column("construction_content", "建设内容及规模", Kind.TEXT, ("建设内容",), width=40),
    Column("total_investment", "总投资(万元)", Kind.AMOUNT, ("总投资",), required=True, width=14),
    Column(
        "planned_investment",
        "年度计划投资(万元)",
        Kind.AMOUNT,
        ("年度计划投资", "年度投资计划"),
        width=14,
    ),
    Column(
        "ytd_completed",
        "本年累计完成投资(万元)",
        Kind.AMOUNT,
        ("本年完成投资", "1-N月完成投资"),
        width=14,
    ),
    # The year's special-bond funds (专项债券资金) and what was spent of them, as of the same
    # date as 本年累计完成投资.
    Column("bond_funds", "专项债券资金(万元)", Kind.AMOUNT, ("专项债资金",), width=14),
    Column(
        "bond_funds_spent",
        "债券资金已支出(万元)",
        Kind.AMOUNT,
        ("专项债券资金已支出", "专项债支出"),
        width=14,
    ),
    Column("planned_start", "计划开工时间", Kind.DATE, width=12),
    Column("actual_start", "实际开工时间", Kind.DATE, width=12),
    Column("planned_completion", "计划竣工时间", Kind.DATE, width=12),
    Column("actual_completion", "实际竣工时间", Kind.DATE, width=12),
    Column("actual_production", "实际投产时间", Kind.DATE, width=12),
    Column("statistics_inclusion", "入统时间", Kind.DATE, width=12),
    Column("owner_unit", "项目单位", Kind.TEXT, width=28),
    Column("responsible_unit", "责任单位", Kind.TEXT, width=20),
    Column("municipal_leader", "市级责任领导", Kind.TEXT, width=12),
    Column("sponsoring_leader", "包保领导", Kind.TEXT, width=12),
    Column("service_officer", "首席服务员", Kind.TEXT, width=12),
    # The head of the project's task force (its first, when it has several).
    Column("task_force_head", "专班班长", Kind.TEXT, ("班长",), width=12),
    Column("contact_name", "联系人", Kind.TEXT, width=10),
    Column("contact_phone", "联系电话", Kind.TEXT, width=14),
    Column("lists", "所属清单", Kind.LISTS, width=24),
    Column("longitude", "经度", Kind.COORDINATE, width=12),
    Column("latitude", "纬度", Kind.COORDINATE, width=12),
    Column("remarks", "备注", Kind.TEXT, width=24),
)

BY_ID: dict[str, Column] = {column.id: column for column in COLUMNS}
REQUIRED: tuple[Column, ...] = tuple(column for column in COLUMNS if column.required)

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_UNIT = re.compile(r"\((?:单位[:：]?)?万元\)$|万元$")
_SPACES = re.compile(r"\s+")
# "1-8月完成投资", "1～8月累计完成投资": the year-to-date figure named by its months.
_MONTHS_TO_DATE = re.compile(r"^1[-~～—至到]\d{1,2}月(?:累计)?完成投资$")


# "截至2026-11-30", "(截止2026年11月30日)", "截至2026/11/30": the date a header states.
_AS_OF = re.compile(r"\(?(?:截至|截止)(\d{4})(?:[-/.年])(\d{1,2})(?:[-/.月])(\d{1,2})日?\)?$")
_MONTHS = re.compile(r"^1[-~～—至到](\d{1,2})月")
AS_OF_LABEL = "截至"


def _compact(text: object) -> str:
    value = _SPACES.sub("", str(text or "")).translate(_BRACKETS)
    return value.replace("\u3000", "")


def normalise_header(text: object) -> str:
    """A header as compared: no spaces, half-width brackets, no 万元 unit, no stated date."""
    value = _AS_OF.sub("", _compact(text))
    return _UNIT.sub("", value)


@dataclass(frozen=True)
class StatedDate:
    """The date a header states: a day ("截至2026-11-30"), or the end of a month of the
    plan year ("1-8月完成投资": `month` 8, the year is the import's)."""

    day: dt.date | None = None
    month: int | None = None
    wrong: str = ""  # the text of a date that is not one of the calendar ("截至2026-02-30")

    def in_year(self, year: int) -> dt.date:
        if self.day is not None:
            return self.day
        assert self.month is not None
        return dt.date(year, self.month, calendar.monthrange(year, self.month)[1])


def header_as_of(text: object) -> StatedDate | None:
    """The date a header states its figures as of, or None when it states none."""
    compact = _compact(text)
    if match := _AS_OF.search(compact):
        try:
            return StatedDate(day=dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return StatedDate(wrong=match[0].strip("()"))
    if (match := _MONTHS.match(compact)) and 1 <= int(match[1]) <= 12:
        return StatedDate(month=int(match[1]))
    return None


def dated_header(column: Column, as_of: dt.date) -> str:
    """The header the export writes for a column of figures as of a day."""
    return f"{column.header}\n{AS_OF_LABEL}{as_of.isoformat()}"


def _index() -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            index[normalise_header(name)] = column
    return index


_INDEX = _index()


def match_header(text: object) -> Column | None:
    """The column a header names, or None for a header the template does not know."""
    key = normalise_header(text)
    if not key:
        return None
    column = _INDEX.get(key)
    if column is None and _MONTHS_TO_DATE.match(key):
        return BY_ID["ytd_completed"]
    return column
