"""The filters of the meeting list (kind, year, free text)."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tiaodu.core import clock
from tiaodu.core.scoping import Someone
from tiaodu.problems.selectors import problems_visible_to
from tiaodu.supervision.meetings.choices import MeetingKind
from tiaodu.supervision.meetings.models import Meeting


class MeetingFilterSet(django_filters.FilterSet):
    """Kind of meeting, year and a search over title, place and the agenda problems the
    reader may open (a meeting is not found by a problem outside the reader's scope)."""

    kind = django_filters.ChoiceFilter(
        choices=MeetingKind.choices, label=_("Kind of meeting"), empty_label=_("All kinds")
    )
    year = django_filters.ChoiceFilter(
        choices=[], field_name="date__year", label=_("Year"), empty_label=_("All years")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Meeting
        fields: list[str] = []

    def __init__(self, *args: Any, years: list[int], actor: Someone, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    @property
    def qs(self) -> Any:
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs

    def filter_text(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        value = value.strip()
        if not value:
            return queryset
        matching = problems_visible_to(self.actor).filter(
            Q(title__icontains=value) | Q(project__name__icontains=value)
        )
        on_agenda = Meeting.objects.filter(agenda__in=matching.values("pk")).values("pk")
        return queryset.filter(
            Q(title__icontains=value) | Q(place__icontains=value) | Q(pk__in=on_agenda)
        )


def meeting_years(queryset: QuerySet[Meeting]) -> list[int]:
    """The years of the meetings, newest first, with this year always offered."""
    years = {day.year for day in queryset.order_by().values_list("date", flat=True)}
    years.add(clock.today().year)
    return sorted(years, reverse=True)
