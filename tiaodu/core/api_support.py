"""What every operation of the API shares (docs/api.md): refusals, cursor pages, ETags on
reads, rate limits per token, and a list's FilterSet as query parameters.

- `Refusal` / `RefusalOut` / `REFUSALS`: a refused request and its body, `{detail, messages,
  fields}`, the messages in the caller's language.
- `CursorPages`: `@paginate(CursorPages)` pages a list with `?cursor=…&limit=…` and answers
  `{items, next_cursor}`. The cursor is signed (it cannot be forged or carried to another
  list) and names the last item's place in a stable ordering (the queryset's, then the
  primary key), so rows added while a client walks the pages are neither skipped nor
  repeated. A plain list (computed, not a queryset) is paged by position.
- `with_etag`: a read's answer gets a weak ETag from its body; a request whose
  `If-None-Match` names it is answered 304 without a body.
- `TokenRate` / `SessionRate`: the rate limits of `settings.TIAODU_API_RATES`, counted per
  API token, or per user for a signed-in page's session; over the limit, 429 with
  `Retry-After`.
- `filter_query` / `filtered`: a FilterSet's filters as an operation's query parameters, and
  its queryset, refused (422, naming the fields) when a value names nothing.
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import django_filters
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase
from ninja.throttling import SimpleRateThrottle
from pydantic import create_model

from tiaodu.core.bounds import API_MAX_LIMIT
from tiaodu.core.error_messages import forbidden_message, not_found_message

# ---------------------------------------------------------------------------- refusals


class Refusal(HttpError):
    """A refused request: `detail` is every message in one sentence, `messages` each one,
    `fields` those that belong to a field (by its name)."""

    def __init__(
        self, status_code: int, messages: list[str], fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(status_code, " ".join(messages))
        self.messages = messages
        self.fields = fields or {}

    def body(self) -> dict[str, Any]:
        return {"detail": str(self), "messages": self.messages, "fields": self.fields}


class RefusalOut(Schema):
    """The body of a refusal (400, 401, 403, 404, 422, 429): in the caller's language."""

    detail: str
    messages: list[str]
    fields: dict[str, list[str]]


REFUSALS: dict[int | str, Any] = {403: RefusalOut, 404: RefusalOut, 422: RefusalOut}


@contextmanager
def refused_as(not_found: str = "") -> Iterator[None]:
    """Turn what selectors and services refuse into a `Refusal` with their messages: 404
    (`not_found`, else the general message), 403, 422 with the fields named."""
    try:
        yield
    except Http404 as error:
        raise Refusal(404, [not_found or not_found_message()]) from error
    except PermissionDenied as error:
        raise Refusal(403, [str(error) or forbidden_message()]) from error
    except ValidationError as error:
        fields = (
            {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
            if hasattr(error, "error_dict")
            else {}
        )
        raise Refusal(422, [str(m) for m in error.messages], fields) from error


def form_refusal(form: Any, sent: Any = None) -> Refusal:
    """422 with a page's form's errors (the fields `sent`, when named, and the form's own),
    in the caller's language: the API parses a body as the page parses its form."""
    fields = {
        name: [str(message) for message in messages]
        for name, messages in form.errors.items()
        if sent is None or name in sent or name == "__all__"
    }
    messages = [message for errors in fields.values() for message in errors]
    fields.pop("__all__", None)
    return Refusal(422, messages or [_("The request was refused; check the fields.")], fields)


# ---------------------------------------------------------------------------- cursor pages


def _bad_cursor() -> Refusal:
    return Refusal(
        400,
        [_("The cursor is not one this list gave; start again without it.")],
        {"cursor": [_("Send the next_cursor of the previous page as it was.")]},
    )


class CursorPages(PaginationBase):
    """Pages of `limit` items (100 unless asked, at most 1000) with an opaque `next_cursor`
    (None on the last page). `ordering` fixes the order (field names, `-` for descending);
    by default the queryset's own, then the primary key. Empty values sort last."""

    class Input(Schema):
        cursor: str | None = Field(None, max_length=2000)
        limit: int = Field(100, ge=1, le=API_MAX_LIMIT)

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None

    items_attribute = "items"

    def __init__(self, *, ordering: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.ordering = ordering
        super().__init__(**kwargs)

    # A cursor is valid for the list (the address) that gave it, and no other.
    @staticmethod
    def _salt(request: HttpRequest) -> str:
        return f"tiaodu.api.cursor:{request.path}"

    def _encode(self, request: HttpRequest, payload: dict[str, Any]) -> str:
        text = json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"))
        return signing.dumps(text, salt=self._salt(request), compress=True)

    def _decode(self, request: HttpRequest, cursor: str | None) -> dict[str, Any] | None:
        if not cursor:
            return None
        try:
            payload = json.loads(signing.loads(cursor, salt=self._salt(request)))
        except (signing.BadSignature, ValueError, TypeError):
            raise _bad_cursor() from None
        if not isinstance(payload, dict):
            raise _bad_cursor()
        return payload

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        cursor = self._decode(request, pagination.cursor)
        limit = pagination.limit
        if isinstance(queryset, QuerySet):
            return self._keyset(queryset, cursor, limit, request)
        # A computed list (or anything sliced lazily, one query a slice) by position.
        start: Any = 0 if cursor is None else cursor.get("o")
        if not isinstance(start, int) or start < 0:
            raise _bad_cursor()
        rows = list(queryset[start : start + limit + 1])
        page, more = rows[:limit], len(rows) > limit
        return {
            "items": page,
            "next_cursor": self._encode(request, {"o": start + limit}) if more else None,
        }

    def _fields(self, queryset: QuerySet[Any]) -> list[str]:
        ordering = list(
            self.ordering or queryset.query.order_by or queryset.model._meta.ordering or ()
        )
        names = [str(item) for item in ordering]
        if not any(name.lstrip("-") in ("pk", "id") for name in names):
            names.append("pk")
        return names

    def _keyset(
        self, queryset: QuerySet[Any], cursor: dict[str, Any] | None, limit: int, request: Any
    ) -> dict[str, Any]:
        names = self._fields(queryset)
        fields = [name.lstrip("-") for name in names]
        order = [
            F(field).desc(nulls_last=True)
            if name.startswith("-")
            else F(field).asc(nulls_last=True)
            for name, field in zip(names, fields, strict=True)
        ]
        queryset = queryset.order_by(*order)
        if cursor is not None:
            values = cursor.get("k")
            if cursor.get("f") != names or not isinstance(values, list):
                raise _bad_cursor()
            queryset = queryset.filter(_after(names, values))
        rows = list(queryset[: limit + 1])
        page, more = rows[:limit], len(rows) > limit
        next_cursor = None
        if more:
            last: Model = page[-1]
            # From the list's own queryset: an ordering may name its annotations.
            key = queryset.filter(pk=last.pk).values_list(*fields).first()
            next_cursor = self._encode(request, {"f": names, "k": list(key or ())})
        return {"items": page, "next_cursor": next_cursor}


def _after(names: list[str], values: list[Any]) -> Q:
    """The rows after the row whose ordering values are `values`, empty values last."""
    if len(values) != len(names):
        raise _bad_cursor()
    condition = Q(pk__in=[])
    equal = Q()
    for name, value in zip(names, values, strict=True):
        field = name.lstrip("-")
        if value is not None:
            lookup = "lt" if name.startswith("-") else "gt"
            condition |= equal & (
                Q(**{f"{field}__{lookup}": value}) | Q(**{f"{field}__isnull": True})
            )
            equal &= Q(**{field: value})
        else:
            equal &= Q(**{f"{field}__isnull": True})
    return condition


# ---------------------------------------------------------------------------- ETags


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 8.8.3.2) of `If-None-Match` with the answer's ETag."""
    if header.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(item.strip().removeprefix("W/") == opaque for item in header.split(","))


def with_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A read's 200 with a weak ETag of its body; 304 without a body when the request's
    `If-None-Match` names it. The site's answers of business data say `no-store`
    (`core.middleware`): a client keeps the ETag and the body itself, as a hub's nightly
    pull does, and asks with the ETag."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = 'W/"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    if _etag_matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    response["ETag"] = etag
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


NOT_MODIFIED = "Not modified: the answer is the one the If-None-Match ETag names."


# ---------------------------------------------------------------------------- rate limits


def _bearer(request: HttpRequest) -> str:
    kind, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if kind.lower() == "bearer" else ""


class _Rate(SimpleRateThrottle):
    """A limit of `settings.TIAODU_API_RATES[scope]` ("300/min"), read on each request so
    that a changed setting applies at once."""

    scope = ""
    THROTTLE_RATES: dict[str, str | None] = {}

    def __init__(self) -> None:
        self.rate = None
        self.num_requests, self.duration = None, None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.TIAODU_API_RATES.get(self.scope)
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class TokenRate(_Rate):
    """Requests per API token (its digest keys the count)."""

    scope = "token"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = _bearer(request)
        if not token:
            return None
        ident = hashlib.sha256(token.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SessionRate(_Rate):
    """Requests per user signed in on the site (no token)."""

    scope = "session"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _bearer(request) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


# ---------------------------------------------------------------------------- filters


def filter_query(filterset_class: type[django_filters.FilterSet], name: str) -> type[Schema]:
    """The FilterSet's filters as optional query parameters (text; the FilterSet reads them
    as the page does), each described by its label."""
    declared = filterset_class.base_filters
    fields: dict[str, Any] = {
        key: (str | None, Field(None, max_length=200, description=str(item.label or key)))
        for key, item in declared.items()
    }
    return create_model(name, __base__=Schema, **fields)


def filtered(filterset: django_filters.FilterSet) -> QuerySet[Any]:
    """The FilterSet's queryset; 422 naming each filter whose value names nothing (a region
    outside the caller's reach, a list that does not exist, a word where a date belongs)."""
    if not filterset.is_valid():
        fields = {
            name: [str(message) for message in messages]
            for name, messages in filterset.form.errors.items()
        }
        messages = [message for errors in fields.values() for message in errors]
        raise Refusal(422, messages, fields)
    return filterset.qs


def query_data(params: Schema) -> dict[str, str]:
    """The filters given (an empty value is no filter)."""
    return {key: value for key, value in params.model_dump().items() if value not in (None, "")}
