"""One FilterSet for the library list, its export and the API (STYLE.md, after NetBox)."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.projects.choices import (
    AnnualPlanLevel,
    AnnualPlanNature,
    ProjectCategory,
    ReserveStage,
)
from tiaodu.projects.models import AnnualPlan, KeyProjectList


def regions_for(actor: Any) -> QuerySet[OrgUnit]:
    """The regions an actor can filter by: its grants' region subtrees (all regions if leader of assigned projects)."""
    paths = [g.unit_path for g in actor.scope_grants() if g.unit_path]
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    # Units above a reporter's own unit are not offered; only regions at or below the grants.
    return OrgUnit.objects.regions().filter(condition).order_by("path")


class AnnualPlanFilterSet(django_filters.FilterSet):
    """Filters of the project library: year, region, level, nature, list, category, text."""

    q = django_filters.CharFilter(method="filter_text", label=_("Name or code"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    region = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.none(),
        method="filter_region",
        label=_("Region"),
        empty_label=_("All"),
    )
    level = django_filters.ChoiceFilter(
        choices=AnnualPlanLevel.choices, label=_("Level"), empty_label=_("All")
    )
    nature = django_filters.ChoiceFilter(
        choices=AnnualPlanNature.choices, label=_("Nature"), empty_label=_("All")
    )
    reserve_stage = django_filters.ChoiceFilter(
        choices=ReserveStage.choices, label=_("Reserve stage"), empty_label=_("All")
    )
    category = django_filters.ChoiceFilter(
        field_name="project__category",
        choices=ProjectCategory.choices,
        label=_("Category"),
        empty_label=_("All"),
    )
    list = django_filters.ModelChoiceFilter(
        field_name="lists",
        queryset=KeyProjectList.objects.none(),
        label=_("Key-project list"),
        empty_label=_("All"),
    )

    class Meta:
        model = AnnualPlan
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = regions_for(actor)
        self.filters["list"].queryset = KeyProjectList.objects.filter(year=year).order_by("name")

    def filter_text(
        self, queryset: QuerySet[AnnualPlan], name: str, value: str
    ) -> QuerySet[AnnualPlan]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(project__name__icontains=value) | Q(project__code__icontains=value)
        )

    def filter_region(
        self, queryset: QuerySet[AnnualPlan], name: str, value: OrgUnit
    ) -> QuerySet[AnnualPlan]:
        return queryset.filter(project__region__path__startswith=value.path)
