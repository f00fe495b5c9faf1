"""The filters of the notice list (kind, status, overdue, year, free text).

Overdue is computed against the day (issued, unanswered, past the response deadline),
so the list annotates it (`with_overdue`) and the filter reads the same condition.
"""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from tiaodu.core import clock
from tiaodu.supervision.notices.choices import NoticeKind, NoticeStatus
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
        value = value.strip()
        if not value:
            return queryset
        matches = Q(subject__icontains=value) | Q(recipient_unit__name__icontains=value)
        matches |= Q(pk__in=Notice.objects.filter(projects__name__icontains=value).values("pk"))
        if value.isdigit():
            matches |= Q(number=int(value))
        return queryset.filter(matches)


def notice_years(queryset: QuerySet[Notice]) -> list[int]:
    """The years of the notices, newest first, with this year always offered."""
    years = set(queryset.order_by().values_list("year", flat=True).distinct())
    years.add(clock.today().year)
    return sorted(years, reverse=True)
