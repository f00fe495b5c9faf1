"""Bounds on what a request may ask for (docs/errors.md, "Bounds"): the page sizes offered,
ids the database can hold, years near the plan's, text that is UTF-8 (names free of bidi
controls: `core.validators`). What is out of bounds is refused with a Chinese message (`BadRequest`, answered
400 by the error views, or a form's error), or falls back to the default where the list
offers a choice (the page size)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.utils.translation import gettext as _

PAGE_SIZES = (25, 50, 100)
PAGE_SIZE = PAGE_SIZES[0]

# The largest id the database's bigint keys hold.
MAX_ID = 2**63 - 1
# The most items an API page may ask for (`limit` of `api_support.CursorPages`; more answers
# 422 naming the field), and the largest `offset` of a page (`query_offset`).
API_MAX_LIMIT = 1000
API_MAX_OFFSET = 10**9
# The plan years a request may name.
MIN_YEAR, MAX_YEAR = 2000, 2100


def page_size(params: Mapping[str, Any], sizes: tuple[int, ...] = PAGE_SIZES) -> int:
    """The page size asked for (`per_page`) when it is one of the sizes offered, else the
    first of them."""
    try:
        asked = int(str(params.get("per_page", "")))
    except ValueError:
        return sizes[0]
    return asked if asked in sizes else sizes[0]


def paged_table(request: Any, table: Any, sizes: tuple[int, ...] = PAGE_SIZES) -> Any:
    """A django-tables2 table sorted as the request asks and paged with `page_size` (not
    with whatever `per_page` says); a page past the last shows the last."""
    # Imported here: this module is read as every process starts, the tables' package only
    # by the pages that show a table (settings.LIBRARY_PACKAGES).
    from django_tables2 import RequestConfig

    RequestConfig(request, paginate=False).configure(table)
    in_total_order(table)
    page = request.GET.get("page") or 1
    try:
        table.paginate(page=page, per_page=page_size(request.GET, sizes))
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table


def in_total_order(table: Any) -> None:
    """The table's rows in one order only, whatever they share: each page is read apart, and
    rows tied on the sort (a region's projects sorted by region, a level, two projects of
    one name) could come back in another order for the next page, which would repeat one
    row and skip another. So an order that does not end in an id (a column's own tie-break,
    such as the library's figures ending in the project's id) ends in the primary key: an
    order already ending in one keeps the plan the database had for it (the library's
    default order reads its index)."""
    data = getattr(table.data, "data", None)
    if not isinstance(data, QuerySet):
        return
    ordering = list(data.query.order_by) or list(data.model._meta.ordering)
    last = ordering[-1] if ordering else None
    if not (isinstance(last, str) and last.lstrip("-").split("__")[-1] in ("id", "pk")):
        table.data.data = data.order_by(*ordering, "pk")


def query_id(value: Any) -> int:
    """An id from a query string, refused (400) when it is not a whole number the database
    can hold."""
    try:
        number = int(str(value))
    except ValueError:
        raise BadRequest(_("The id in the address is not a number.")) from None
    if not 1 <= number <= MAX_ID:
        raise BadRequest(_("The id in the address is out of range.")) from None
    return number


def id_or_none(value: Any) -> int | None:
    """`query_id`, or None when the query string has none."""
    return None if value in (None, "") else query_id(value)


def query_offset(value: Any) -> int:
    """A list's starting position from a query string (`offset`): 0 when absent; refused
    (400) when it is not a whole number from 0 to `API_MAX_OFFSET`."""
    if value in (None, ""):
        return 0
    try:
        number = int(str(value))
    except ValueError:
        number = -1
    if not 0 <= number <= API_MAX_OFFSET:
        raise BadRequest(
            _("The position in the address must be a whole number from 0 to %(most)d.")
            % {"most": API_MAX_OFFSET}
        )
    return number


def filter_id(value: Any) -> int | None:
    """An id a list's filter names: None (no filter) when absent, not a number, or not one
    the database can hold; lists leave out what they cannot read."""
    try:
        return id_or_none(value)
    except BadRequest:
        return None


def year_in_bounds(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def year_message() -> str:
    return _("Choose a year from %(first)d to %(last)d.") % {"first": MIN_YEAR, "last": MAX_YEAR}


def encodable(text: str) -> bool:
    """Whether the text can be stored as UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def not_utf8_message() -> str:
    return _("The text contains characters that cannot be stored (not valid UTF-8).")
