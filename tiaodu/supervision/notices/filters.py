"""The filters of the notice list (kind, status, overdue, year, free text).

Overdue is computed against the day (issued, unanswered, past the response deadline),
so the list annotates it (`with_overdue`) and the filter reads the same condition.
"""

import datetime as dt
import re
from typing import Any

import django_filters
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from tiaodu.core import clock
from tiaodu.supervision.notices.choices import NoticeKind, NoticeStatus, notice_prefix
from tiaodu.supervision.notices.models import Notice


def overdue_condition(today: dt.date) -> Q:
    return Q(status=NoticeStatus.ISSUED, response_deadline__lt=today)


def with_overdue(queryset: QuerySet[Notice], today: dt.date) -> QuerySet[Notice]:
    """The notices with `overdue`: issued, unanswered and past the deadline on `today`."""
    flag = Case(
        When(overdue_condition(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return queryset.annotate(overdue=flag)


# A document number as written (督办〔2026〕7号) or begun (督办〔2026〕, 〔2026〕7), with
# square or round brackets for the hexagonal ones.
NUMBER = re.compile(
    r"^(?P<prefix>[^\d〔\[（(]*)[〔\[（(](?P<year>\d{4})[〕\]）)](?P<number>\d*)号?$"
)


def _kinds_of(prefix: str) -> list[str]:
    return [kind for kind in NoticeKind.values if notice_prefix(kind) == prefix]


def text_condition(text: str) -> Q:
    """The words in a notice's subject, its recipient's or a project's name; a number
    (7), a document number (督办〔2026〕7号, or its beginning) or a number's word (督办)
    finds the notices so numbered. The notice list's search and the global search."""
    value = "".join(text.split()) if NUMBER.match("".join(text.split())) else text.strip()
    matches = Q(subject__icontains=value) | Q(recipient_unit__name__icontains=value)
    matches |= Q(pk__in=Notice.objects.filter(projects__name__icontains=value).values("pk"))
    if value.isdigit() and len(value) <= 9:
        matches |= Q(number=int(value))
    if kinds := _kinds_of(value):
        matches |= Q(kind__in=kinds)
    if found := NUMBER.match(value):
        numbered = Q(year=int(found["year"]))
        if found["prefix"]:
            numbered &= Q(kind__in=_kinds_of(found["prefix"]))
        if found["number"]:
            numbered &= Q(number=int(found["number"]))
        matches |= numbered
    return matches


class NoticeFilterSet(django_filters.FilterSet):
    """Kind, status, overdue, year of issue and a search over number, subject and names."""

    kind = django_filters.ChoiceFilter(
        choices=NoticeKind.choices, label=_("Kind of notice"), empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        choices=NoticeStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("Overdue only")), ("no", _("Not overdue"))],
        method="filter_overdue",
        label=_("Overdue"),
        empty_label=_("All"),
    )
    year = django_filters.ChoiceFilter(choices=[], label=_("Year"), empty_label=_("All years"))
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Notice
        fields: list[str] = []

    def __init__(self, *args: Any, years: list[int], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    @property
    def qs(self) -> Any:
        # A value the form refuses (a kind that does not exist, a year without notices)
        # lists nothing, beside the form's error, rather than every notice.
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs

    def filter_overdue(self, queryset: QuerySet[Notice], name: str, value: str) -> QuerySet[Notice]:
        condition = overdue_condition(self.today)
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)

    def filter_text(self, queryset: QuerySet[Notice], name: str, value: str) -> QuerySet[Notice]:
        if not value.strip():
            return queryset
        return queryset.filter(text_condition(value))


def notice_years(queryset: QuerySet[Notice]) -> list[int]:
    """The years of the notices, newest first, with this year always offered."""
    years = set(queryset.order_by().values_list("year", flat=True).distinct())
    years.add(clock.today().year)
    return sorted(years, reverse=True)
