"""The lists people work from, shown and exported from one definition (docs/exports.md).

A list page declares its `Listing`: where its rows come from (`source`, the same function
the page and its export call, so both see the reader's scope and filters) and the columns
of each of its tables (`Table`, a tuple of `Column`s). The page renders its cells from those
columns (`present`, the `includes/listing_*.html` partials); `export_view` writes the same
columns of every filtered row (all the pages of a paged list) to an xlsx file named for
what it is, and audits the export with the filters in words. The page and its file cannot
drift: there is one column list.

Each listing is registered (`register`) under the URL name of its page; the menu's pages
that are not lists say so (`not_a_list`), those with a file of their own layout say where
(`own_export`), and a test holds that every other page of the menu has a listing.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tiaodu.core import audit, clock, xlsx

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from tiaodu.core.audit import in_site_language
from tiaodu.core.downloads import XLSX, download
from tiaodu.core.models import AuditAction
from tiaodu.core.summaries import export_message, in_words

EMPTY = "—"
LIST_SEPARATOR = "、"
Label = str | Promise
# The chosen filters in words: (label, value) pairs, e.g. ("所在区域", "黄岛区").
Filters = list[tuple[str, str]]


class Kind(StrEnum):
    """How a column's values are shown on the page and written to the file."""

    TEXT = "text"
    COUNT = "count"  # an int
    NUMBER = "number"  # a Decimal shown with its own places (a score: "92.5", "540,000")
    MONEY = "money"  # Decimal 万元: "1,234.50" on the page, a number with two places in the file
    RATE = "rate"  # Decimal percentage: "77.45%" on the page, a number shown with % in the file
    DATE = "date"  # "2026-11-05"
    DATETIME = "datetime"  # "2026-11-05 09:30", local time


NUMBER_FORMATS = {
    Kind.MONEY: "#,##0.00",
    Kind.RATE: '0.00"%"',
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
}
RIGHT_ALIGNED = {Kind.COUNT, Kind.NUMBER, Kind.MONEY, Kind.RATE}


def _two_places(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _in_words(value: Any) -> bool:
    """Whether a number column's value is words in place of a number ("未举行")."""
    if not isinstance(value, str):
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return True
    return False


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _day(value: dt.date) -> dt.date:
    """The day of a date, or of a moment in local time."""
    return _local(value).date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class Column[Row]:
    """One column: its heading, its value for a row, how it is shown; on the page only, a
    link (`link(row)` → URL or ""), a badge class (`badge(row)` → "bg-red-lt" or ""), a
    class (`css`, or `css(row)`), the first `truncate` characters (the whole value as the
    cell's title), and `under`: shown as a second line of the previous column's cell (the
    project under a problem's title), after `lead` ("退回：") — in the file its own column."""

    label: Label
    value: Callable[[Row], Any]
    kind: Kind = Kind.TEXT
    width: int = 0
    link: Callable[[Row], str] | None = None
    badge: Callable[[Row], str] | None = None
    css: str | Callable[[Row], str] = ""
    testid: str = ""
    under: bool = False
    lead: Label = ""
    truncate: int = 0

    def text(self, value: Any) -> str:
        """The value as the page shows it (and as the file's cell reads)."""
        if value is None or value == "" or value == []:
            return EMPTY
        if self.kind in RIGHT_ALIGNED and _in_words(value):
            return value
        if isinstance(value, list | tuple):
            return LIST_SEPARATOR.join(str(item) for item in value)
        match self.kind:
            case Kind.MONEY:
                return f"{_two_places(value):,.2f}"
            case Kind.RATE:
                return f"{_two_places(value):.2f}%"
            case Kind.DATE:
                return _day(value).strftime("%Y-%m-%d")
            case Kind.DATETIME:
                return _local(value).strftime("%Y-%m-%d %H:%M")
            case Kind.NUMBER:
                return f"{Decimal(value):,}"
        return str(value)

    def cell(self, sheet: "WriteOnlyWorksheet", value: Any) -> Any:
        """The value as the file holds it: numbers and dates as such, formatted as shown."""
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, list | tuple):
            return xlsx.text_cell(sheet, self.text(value))
        if self.kind in RIGHT_ALIGNED and _in_words(value):
            return xlsx.cell(sheet, value)
        if self.kind in (Kind.MONEY, Kind.RATE):
            written = xlsx.value_cell(sheet, _two_places(value))
        elif self.kind == Kind.DATETIME:
            written = xlsx.value_cell(sheet, _local(value).replace(tzinfo=None))
        elif self.kind == Kind.DATE:
            written = xlsx.value_cell(sheet, _day(value))
        elif self.kind == Kind.COUNT:
            return value
        elif self.kind == Kind.NUMBER:
            places = max(0, -Decimal(value).as_tuple().exponent)  # type: ignore[operator]
            written = xlsx.value_cell(sheet, Decimal(value))
            written.number_format = "#,##0." + "0" * places if places else "#,##0"
            return written
        else:
            return xlsx.cell(sheet, str(value))
        written.number_format = NUMBER_FORMATS[self.kind]
        return written

    @property
    def file_width(self) -> int:
        return self.width or xlsx.width(str(self.label))


@dataclass(frozen=True)
class Cell:
    """A cell as the page shows it: `index` is its column's; `full` the whole text when
    the page shows it cut short; `lines` the second lines (`Column.under`) beneath it."""

    text: str
    link: str = ""
    badge: str = ""
    css: str = ""
    testid: str = ""
    index: int = 0
    full: str = ""
    lead: str = ""
    lines: tuple["Line", ...] = ()

    @property
    def empty(self) -> bool:
        return self.text == EMPTY

    @property
    def html(self) -> SafeString:
        """The cell's value marked with its column (`data-col`): a table's cells with second
        lines, a card's fields, a value inside a sentence."""
        inner: SafeString = format_html("{}", self.text)
        if self.badge:
            inner = format_html('<span class="badge {}">{}</span>', self.badge, inner)
        testid = format_html(' data-testid="{}"', self.testid) if self.testid else ""
        if self.link:
            inner = format_html('<a href="{}"{}>{}</a>', self.link, testid, inner)
            testid = ""
        title = format_html(' title="{}"', self.full) if self.full else ""
        css = format_html(' class="{}"', self.css) if self.css else ""
        return format_html(
            '<span data-col="{}"{}{}{}>{}</span>', self.index, css, title, testid, inner
        )


@dataclass(frozen=True)
class Line:
    """A second line of a page's cell: the cells of consecutive `under` columns of one class,
    the empty ones left out."""

    css: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ShownRow[Row]:
    """A row of the page: the object (for the page's own extra cells) and its cells, every
    column's (`cells`, for a card that places them itself) and the table's (`tds`: those
    that are not a second line, each with its lines)."""

    item: Row
    cells: list[Cell]
    tds: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class Table[Row]:
    """One table of a list page (and one sheet of its file): its columns and which of the
    source's row sets it shows (`rows(found)`; by default `found.rows`)."""

    key: str
    columns: tuple[Column[Row], ...]
    caption: Label = ""
    rows: Callable[["Found"], Iterable[Row]] | None = None
    footer: Callable[["Found"], Iterable[Row]] | None = None

    def rows_of(self, found: "Found") -> Iterable[Row]:
        return found.rows if self.rows is None else self.rows(found)

    def footer_of(self, found: "Found") -> Iterable[Row]:
        """The rows after the body (a total), on the page in the table's foot."""
        return () if self.footer is None else self.footer(found)

    def _cell(self, column: Column[Row], row: Row, index: int) -> Cell:
        css = column.css(row) if callable(column.css) else column.css
        if not css and column.under:
            css = "text-secondary"
        elif not css and column.kind in RIGHT_ALIGNED:
            css = "td-money"
        if column.kind in (Kind.DATE, Kind.DATETIME):
            css = f"{css} text-nowrap".strip()
        text, full = column.text(column.value(row)), ""
        if column.truncate and len(text) > column.truncate:
            text, full = text[: column.truncate - 1] + "…", text
        return Cell(
            text,
            link=column.link(row) if column.link else "",
            badge=column.badge(row) if column.badge else "",
            css=css,
            testid=column.testid,
            index=index,
            full=full,
            lead=str(column.lead),
        )

    def present(self, rows: Iterable[Row]) -> list[ShownRow[Row]]:
        """The rows as the page shows them, cell by cell from the columns."""
        shown = []
        for row in rows:
            cells = [self._cell(column, row, i) for i, column in enumerate(self.columns)]
            tds: list[Cell] = []
            for column, cell in zip(self.columns, cells, strict=True):
                if not column.under or not tds:
                    tds.append(cell)
                    continue
                if cell.empty:
                    continue
                owner, css = tds[-1], cell.css
                lines = list(owner.lines)
                if lines and lines[-1].css == css:
                    lines[-1] = Line(css, (*lines[-1].cells, cell))
                else:
                    lines.append(Line(css, (cell,)))
                tds[-1] = replace(owner, lines=tuple(lines))
            shown.append(ShownRow(row, cells, tds))
        return shown

    @property
    def headings(self) -> list[tuple[str, str, int]]:
        """The headings with their cells' alignment class and column (a second line has
        none)."""
        return [
            (str(column.label), "text-end" if column.kind in RIGHT_ALIGNED else "", index)
            for index, column in enumerate(self.columns)
            if not column.under
        ]


@dataclass
class Found:
    """What a list's source read for a request: the rows (every filtered row, not a page),
    the chosen filters in words (a function: the audit writes them in the site's language,
    the page in the reader's), what the list is of (a period, a round: "2026年11月") and the
    page's other data (other tables' rows, totals)."""

    rows: Any
    filters: Callable[[], Filters] = list
    subject: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    """A list page and its export: `source(request, **url kwargs)` reads what the page
    shows (404 for a reader who may not open the page); `tables` say how it is shown."""

    key: str
    page: str
    export: str
    name: Label
    fallback: str
    tables: tuple[Table[Any], ...]
    source: Callable[..., Found]

    def table(self, key: str = "") -> Table[Any]:
        return next(t for t in self.tables if t.key == key) if key else self.tables[0]


_listings: dict[str, Listing] = {}
_not_lists: dict[str, Label] = {}
_own_exports: dict[str, str] = {}


def register(listing: Listing) -> Listing:
    """Add a list page and its export to the registry (by its key)."""
    _listings[listing.key] = listing
    return listing


def not_a_list(url_name: str, why: Label) -> None:
    """Say that a page of the menu is not a list to export (a form, a chart, a map)."""
    _not_lists[url_name] = why


def own_export(url_name: str, export: str) -> None:
    """Say that a list page has an export of its own layout (the library's standard ledger,
    the problem ledger, the audit log, the statistics workbook, the cards and rankings);
    `export` names its URL, or the page's own with `?export=xlsx`."""
    _own_exports[url_name] = export


def own_exports() -> dict[str, str]:
    return dict(_own_exports)


def listings() -> list[Listing]:
    return sorted(_listings.values(), key=lambda listing: listing.key)


def listing_for_page(url_name: str) -> Listing | None:
    return next((item for item in _listings.values() if item.page == url_name), None)


def not_lists() -> dict[str, Label]:
    return dict(_not_lists)


def _stamp() -> str:
    return timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M")


def title_of(listing: Listing, found: Found) -> str:
    """The list's title: its name, what it is of, and when it was read."""
    name = str(listing.name)
    if found.subject:
        name = f"{name} · {found.subject}"
    return _("%(name)s (as of %(moment)s)") % {"name": name, "moment": _stamp()}


def filters_line(found: Found) -> str:
    return in_words(found.filters()) or _("No filter: everything in scope")


def page_context(request: HttpRequest, listing: Listing, found: Found, **kwargs: Any) -> dict:
    """What the list's partials need: the export link with the page's filters, the printed
    title and filters. `kwargs` are the page's URL arguments (the export takes the same)."""
    query = request.GET.copy()
    query.pop("page", None)
    export_url = reverse(listing.export, kwargs=kwargs or None)
    if query:
        export_url = f"{export_url}?{query.urlencode()}"
    return {
        "listing": listing,
        "export_url": export_url,
        "print_title": title_of(listing, found),
        "print_filters": filters_line(found),
    }


def write_xlsx(listing: Listing, found: Found) -> tuple[bytes, int]:
    """Every table of the list as a sheet, every row the source found; and how many rows."""
    title = title_of(listing, found)
    notes = [_("Filters: %(filters)s") % {"filters": filters_line(found)}]
    workbook = xlsx.new_workbook()
    count = 0
    for table in listing.tables:
        sheet_name = str(table.caption or listing.name)
        columns = [(str(column.label), column.file_width) for column in table.columns]
        sheet = xlsx.add_sheet(
            workbook, sheet_name=sheet_name, title=title, columns=columns, notes=notes
        )
        for row in table.rows_of(found):
            sheet.append([column.cell(sheet, column.value(row)) for column in table.columns])
            if table is listing.tables[0]:
                count += 1
        for row in table.footer_of(found):
            sheet.append([column.cell(sheet, column.value(row)) for column in table.columns])
    return xlsx.to_bytes(workbook), count


def export_view(listing: Listing) -> Callable[..., HttpResponse]:
    """The list's export: the same rows as the page (all of them), audited, named for what
    it is (催报名单-2026年11月.xlsx), with an ASCII name for old clients."""

    @login_required
    def export(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        found = listing.source(request, **kwargs)
        if not isinstance(found.rows, list):
            found.rows = list(found.rows)
        limit = settings.TIAODU_EXPORT_MAX_ROWS
        if len(found.rows) > limit:
            messages.error(
                request,
                _(
                    "%(count)d rows match; at most %(limit)d can be exported at once. "
                    "Narrow the filters and export again."
                )
                % {"count": len(found.rows), "limit": limit},
            )
            back = reverse(listing.page, kwargs=kwargs or None)
            return redirect(f"{back}?{request.GET.urlencode()}" if request.GET else back)
        content, count = write_xlsx(listing, found)
        with in_site_language():
            summary = filters_line(found)
            label = str(listing.name)
        if found.subject:
            label = f"{label} · {found.subject}"
        audit.record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_label=label[:200],
            message=export_message(count, summary),
        )
        today = clock.today().isoformat()
        name = f"{listing.name}-{found.subject or today}.xlsx"
        return download(
            content, content_type=XLSX, name=name, fallback=f"{listing.fallback}-{today}.xlsx"
        )

    export.__name__ = f"{listing.key.replace('.', '_')}_export"
    export.__doc__ = f"The xlsx export of {listing.key}."
    return export


def query_of(params: dict[str, Any]) -> str:
    """A query string of the non-empty parameters."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def shown_columns(table: Table[Any]) -> Sequence[str]:
    return [str(column.label) for column in table.columns]
