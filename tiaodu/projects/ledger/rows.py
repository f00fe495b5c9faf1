"""One ledger row parsed cell by cell; every wrong cell becomes a `LedgerError`."""

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tiaodu.core.validators import bidi_message, has_bidi_controls
from tiaodu.projects.codes import normalise_project_code, validate_project_code
from tiaodu.projects.ledger import cells
from tiaodu.projects.ledger.columns import BY_ID, Kind
from tiaodu.projects.ledger.reader import Row, Sheet
from tiaodu.projects.models import Project

# The longest text each column takes (the model's field, or the name of what it refers to).
MAX_LENGTHS: dict[str, int] = {
    "name": 200,
    "region": 100,
    "industry": 100,
    "owner_unit": 100,
    "responsible_unit": 100,
    "municipal_leader": 50,
    "sponsoring_leader": 50,
    "service_officer": 50,
    "task_force_head": 50,
    "contact_name": 50,
    "contact_phone": 32,
}
# The cells that name something (a project, a unit, a person, a list): a name may not hold
# the invisible controls that reorder text (`core.validators`), which the models refuse too
# but the import writes without `full_clean`.
NAMES = frozenset(
    {
        "name",
        "region",
        "owner_unit",
        "responsible_unit",
        "municipal_leader",
        "sponsoring_leader",
        "service_officer",
        "task_force_head",
        "contact_name",
        "lists",
    }
)
assert all(
    Project._meta.get_field(name).max_length == MAX_LENGTHS[name]  # type: ignore[union-attr]
    for name in ("name", "industry", "contact_name", "contact_phone")
)


# The cell types whose parsed value is remembered (`RowParser.remembered`): the types
# calamine and the csv reader give, no two of which compare equal (True == 1 would).
_REMEMBERED = frozenset({str, dt.datetime, dt.date})
_UNSEEN = object()
_TEXT = cells.parse_text


@dataclass(frozen=True)
class LedgerError:
    """One wrong place of the ledger: where, what it holds, and how to fix it."""

    sheet: str
    row: int | None
    column: str  # the column letter, "" when the error is not about one cell
    header: str
    value: str
    fix: str
    # What kind of error it is, where a page answers it otherwise than by a corrected file.
    code: str = ""

    def place(self) -> str:
        if self.row is None and not self.column:
            return _("sheet “%(sheet)s”") % {"sheet": self.sheet} if self.sheet else ""
        if self.row is None:
            return _("sheet “%(sheet)s”, column %(column)s (%(header)s)") % {
                "sheet": self.sheet,
                "column": self.column,
                "header": self.header,
            }
        if not self.column:
            return _("sheet “%(sheet)s”, row %(row)s (%(header)s)") % {
                "sheet": self.sheet,
                "row": self.row,
                "header": self.header,
            }
        return _("sheet “%(sheet)s”, row %(row)s, column %(column)s (%(header)s)") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
        }

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row}" if self.column and self.row else ""


def shown(value: Any) -> str:
    """A cell value as the person typed it, for the error report."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class ParsedRow:
    """A row's values by column id (only the sheet's columns), and the errors found."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[LedgerError] = field(default_factory=list)


class RowParser:
    """Parses the rows of one sheet; knows where each column is to name the places."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.present = {h.column.id for h in sheet.headers if h.column is not None}
        # Per column: how a cell is parsed, what a blank cell parses to, and the checks.
        self.columns: dict[str, tuple[Any, Any, bool, int | None, bool]] = {}
        for column_id in self.present:
            column = BY_ID[column_id]
            if column.kind is Kind.IGNORED:
                continue
            parse = self._parser(column.kind)
            self.columns[column_id] = (
                parse,
                parse(None),
                column.required,
                MAX_LENGTHS.get(column_id),
                column_id in NAMES,
            )
        # A vocabulary or a date column holds a few distinct cells many times over: each
        # distinct text or date is parsed once (a cell that does not parse, every time).
        self.remembered: dict[str, dict[Any, Any]] = {
            column_id: {}
            for column_id in self.columns
            if BY_ID[column_id].kind in cells.VOCABULARIES or BY_ID[column_id].kind is Kind.DATE
        }
        self._layout: tuple[tuple[int, str], ...] | None = None
        self._plan: list[tuple[Any, ...]] = []

    def error(self, row: Row, column_id: str, fix: str, *, value: Any = None) -> LedgerError:
        header = self.sheet.header_of(column_id)
        column = BY_ID[column_id]
        raw = row.values.get(column_id) if value is None else value
        return LedgerError(
            sheet=self.sheet.name,
            row=row.number,
            column=header.letter if header else "",
            header=header.text if header else column.header,
            value=shown(raw),
            fix=fix,
        )

    def _cells(self, used: tuple[tuple[int, str], ...]) -> list[tuple[Any, ...]]:
        """For the row layout `used`: each parsed column's place, id, parser, blank value,
        checks and remembered values (made once per layout; a sheet has one)."""
        if self._layout is not used:
            self._layout = used
            self._plan = [
                (index, column_id, *self.columns[column_id], self.remembered.get(column_id))
                for index, column_id in used
                if column_id in self.columns
            ]
        return self._plan

    def parse(self, row: Row) -> ParsedRow:
        parsed = ParsedRow(number=row.number)
        values = parsed.values
        cells_ = row.cells
        width = len(cells_)
        for index, column_id, parse, blank, required, limit, name, memo in self._cells(row.used):
            raw = cells_[index] if index < width else None
            kind = type(raw)
            if raw is None or (kind is str and (not raw or raw.isspace())):
                # A blank cell: nothing to parse or to check but its presence.
                if required:
                    parsed.errors.append(self._required(row, column_id))
                    continue
                values[column_id] = [] if type(blank) is list else blank
                continue
            if kind is str and parse is _TEXT:
                value = raw.strip()  # what parse_text makes of a text, quicker
            elif memo is not None and kind in _REMEMBERED:
                value = memo.get(raw, _UNSEEN)
            else:
                value = _UNSEEN
            if value is _UNSEEN:
                try:
                    value = parse(raw)
                except cells.CellError as error:
                    parsed.errors.append(self.error(row, column_id, error.fix))
                    continue
                if memo is not None and kind in _REMEMBERED:
                    memo[raw] = value
            if limit and type(value) is str and len(value) > limit:
                parsed.errors.append(
                    self.error(
                        row,
                        column_id,
                        _("At most %(limit)s characters; shorten it.") % {"limit": limit},
                    )
                )
                continue
            if name and has_bidi_controls(
                value
                if type(value) is str
                else "".join(value)
                if isinstance(value, list)
                else str(value or "")
            ):
                parsed.errors.append(self.error(row, column_id, bidi_message()))
                continue
            values[column_id] = value
        if "code" in values:
            self._check_code(row, parsed)
        self._check_rules(row, parsed)
        return parsed

    def _required(self, row: Row, column_id: str) -> LedgerError:
        return self.error(
            row,
            column_id,
            _("“%(header)s” is required: fill it in.") % {"header": BY_ID[column_id].header},
        )

    @staticmethod
    def _parser(kind: Kind) -> Any:
        if kind is Kind.AMOUNT:
            return cells.parse_amount
        if kind is Kind.DATE:
            return cells.parse_date
        if kind is Kind.COORDINATE:
            return cells.parse_coordinate
        if kind is Kind.LISTS:
            return cells.parse_lists
        if kind in cells.VOCABULARIES:
            return functools.partial(cells.parse_choice, kind)
        return cells.parse_text

    def _check_code(self, row: Row, parsed: ParsedRow) -> None:
        if "code" not in parsed.values:
            return
        code = normalise_project_code(parsed.values["code"])
        parsed.values["code"] = code
        if code is None:
            return
        try:
            validate_project_code(code)
        except ValidationError as error:
            parsed.errors.append(self.error(row, "code", " ".join(error.messages)))
            del parsed.values["code"]

    def _check_rules(self, row: Row, parsed: ParsedRow) -> None:
        values = parsed.values
        nature, stage = values.get("nature"), values.get("reserve_stage")
        if stage and nature and nature != "reserve":
            parsed.errors.append(
                self.error(
                    row,
                    "reserve_stage",
                    _(
                        "Only a reserve (储备) project has a reserve stage: clear this cell, or "
                        "set 建设性质 to 储备（前期）."
                    ),
                )
            )
        pairs = (
            ("actual_start", "actual_completion", _actual_order),
            ("planned_start", "planned_completion", _planned_order),
        )
        for column_id, low, high in (("longitude", 73, 136), ("latitude", 3, 54)):
            number = values.get(column_id)
            if number is not None and not low <= number <= high:
                parsed.errors.append(
                    self.error(
                        row,
                        column_id,
                        _("Write a value between %(low)s and %(high)s (decimal degrees in China).")
                        % {"low": low, "high": high},
                    )
                )
                del values[column_id]
        for start, end, fix in pairs:
            begin, finish = values.get(start), values.get(end)
            if begin and finish and finish < begin:
                parsed.errors.append(self.error(row, end, fix()))


def _actual_order() -> str:
    return _("The actual completion is before the actual start: correct one of the two dates.")


def _planned_order() -> str:
    return _("The planned completion is before the planned start: correct one of the two dates.")


def amount_or_zero(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0.00")
