"""One FilterSet for the library list, its export and the API (STYLE.md, after NetBox)."""

import builtins
import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.projects import figure_conditions
from tiaodu.projects import lists as key_lists
from tiaodu.projects.choices import (
    AnnualPlanLevel,
    AnnualPlanNature,
    ProjectCategory,
    ReserveStage,
)
from tiaodu.projects.models import AnnualPlan, KeyProjectList

# Grants that open a region subtree; the others open projects wherever they are.
REGION_ROLES = frozenset({Role.DISPATCHER, Role.LEADER})
OTHER_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.SERVICE_OFFICER, Role.REPORTER})


def _region_paths(actor: Actor) -> tuple[list[str], bool]:
    """The region-subtree paths of the actor's grants, and whether any grant reaches elsewhere."""
    paths: list[str] = []
    elsewhere = False
    for grant in actor.scope_grants():
        if grant.role in REGION_ROLES and grant.unit_path and not grant.assigned_only:
            paths.append(grant.unit_path)
        elif grant.role in OTHER_ROLES or (grant.role == Role.LEADER and grant.assigned_only):
            elsewhere = True
    return paths, elsewhere


def site_region() -> OrgUnit | None:
    """The top of the site's region tree (the city or province that `setup_site` made)."""
    return OrgUnit.objects.regions().order_by("depth", "path").first()


def scope_region(actor: Actor) -> OrgUnit | None:
    """The region an actor's figures are broken down under.

    The deepest region containing every region subtree the actor's grants open; the site's
    top region when a grant reaches projects wherever they are (a reporter's unit, a
    department, assigned projects), since those can lie anywhere.
    """
    paths, elsewhere = _region_paths(actor)
    if elsewhere or not paths:
        return site_region()
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: common.rstrip("/").rfind("/") + 1]
    region = OrgUnit.objects.regions().filter(path__in=_prefixes(common)).order_by("-depth").first()
    return region or site_region()


def _prefixes(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def regions_for(actor: Actor) -> QuerySet[OrgUnit]:
    """The regions an actor can filter by: its grants' region subtrees.

    An actor whose grants reach projects wherever they are (a reporter, a department
    handler, a service officer, a leader of assigned projects) may filter by any region of
    the site: region names are not business data, and the filter only narrows its scope.
    """
    paths, elsewhere = _region_paths(actor)
    if elsewhere:
        top = site_region()
        paths = [top.path] if top is not None else paths
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.regions().filter(condition).order_by("path")


def project_text_condition(words: str, prefix: str = "") -> Q:
    """The words in a project's name or code, or in its owner or responsible unit's name:
    the library's text filter and the global search find the same projects."""
    return (
        Q(**{f"{prefix}name__icontains": words})
        | Q(**{f"{prefix}code__icontains": words})
        | Q(**{f"{prefix}owner_unit__name__icontains": words})
        | Q(**{f"{prefix}responsible_unit__name__icontains": words})
    )


class AnnualPlanFilterSet(django_filters.FilterSet):
    """Filters of the project library: year, region, level, nature, list, category, text."""

    q = django_filters.CharFilter(method="filter_text", label=_("Name, code or unit"))
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
        method="filter_list",
        queryset=KeyProjectList.objects.none(),
        label=_("Key-project list"),
        empty_label=_("All"),
    )
    # The statistics page's links: a second list (its scope list and a row's list), and a
    # figure of DOMAIN.md §4 as of a date, with the conditions the figure set counts with.
    region_itself = django_filters.ModelChoiceFilter(
        field_name="project__region",
        queryset=OrgUnit.objects.none(),
        label=_("In the region itself (not below it)"),
        empty_label=_("All"),
    )
    also_list = django_filters.ModelChoiceFilter(
        method="filter_list",
        queryset=KeyProjectList.objects.none(),
        label=_("Also on list"),
        empty_label=_("All"),
    )
    figure = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _condition) in figure_conditions.FIGURES.items()],
        method="filter_figure",
        label=_("Figure"),
        empty_label=_("All"),
    )
    as_of = django_filters.DateFilter(
        method="filter_as_of",
        label=_("As of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AnnualPlan
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Actor, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = regions_for(actor)
        self.filters["region"].queryset = regions
        self.filters["region_itself"].queryset = regions
        lists = KeyProjectList.objects.filter(year=year).order_by("name")
        self.filters["list"].queryset = lists
        self.filters["also_list"].queryset = lists
        self.year = year

    def filter_text(
        self, queryset: QuerySet[AnnualPlan], name: str, value: str
    ) -> QuerySet[AnnualPlan]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(project_text_condition(value, prefix="project__"))

    def filter_region(
        self, queryset: QuerySet[AnnualPlan], name: str, value: OrgUnit
    ) -> QuerySet[AnnualPlan]:
        return queryset.filter(project__region__path__startswith=value.path)

    def as_of_date(self) -> dt.date:
        """The as-of date of the figure filter: the `as_of` given, else today."""
        data = getattr(self.form, "cleaned_data", {})
        return data.get("as_of") or clock.today()

    def filter_as_of(
        self, queryset: QuerySet[AnnualPlan], name: str, value: dt.date
    ) -> QuerySet[AnnualPlan]:
        # The date only qualifies `figure`; alone it narrows nothing.
        return queryset

    def filter_list(
        self, queryset: QuerySet[AnnualPlan], name: str, value: KeyProjectList
    ) -> QuerySet[AnnualPlan]:
        # The list as it stood on the figure's date (today without one), in the list's year.
        day = key_lists.day_within(value.year, self.as_of_date())
        return queryset.filter(pk__in=key_lists.plan_ids_on(day, [value.pk]))

    def filter_figure(
        self, queryset: QuerySet[AnnualPlan], name: str, value: str
    ) -> QuerySet[AnnualPlan]:
        condition = figure_conditions.figure_condition(
            value, year=self.year, as_of=self.as_of_date()
        )
        return queryset.filter(condition)

    # Filters that only the statistics page's links set: the list page's form carries them.
    CARRIED = ("figure", "as_of", "also_list", "region_itself")

    def carried_params(self) -> "builtins.list[tuple[str, str]]":  # `list` is a filter here
        """The link-only filters of this query, to keep while the user changes the others."""
        data = self.data or {}
        return [(name, str(data[name])) for name in self.CARRIED if data.get(name)]

    def figure_label(self) -> str:
        """The active figure and its date, for the note above the list ("" when none)."""
        data = getattr(self.form, "cleaned_data", {})
        if not data.get("figure"):
            return ""
        label = figure_conditions.FIGURES[data["figure"]][0]
        return gettext("%(figure)s as of %(date)s") % {
            "figure": label,
            "date": self.as_of_date().isoformat(),
        }
