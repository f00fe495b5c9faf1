"""The 入统 chase (应统尽统, issue 11 part 5): started plan entries not yet in the statistics.

For an as-of date D, the plan entries of D's year the reader may see whose project started
on or before D and has no statistics-inclusion date on or before D
(`projects.selectors.plans_not_in_statistics`), with the months since the start counted as
the cards count them (whole calendar months, `scoring.rules.months_between`: started in
D's month is 0). Filterable by region (a subtree) and by at least so many months; sortable
by every column but the units; the same rows as an xlsx file.
"""

import datetime as dt
from typing import Any

import django_tables2 as tables
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import xlsx
from tiaodu.core.scoping import Actor
from tiaodu.projects.filters import regions_for
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_not_in_statistics
from tiaodu.scoring.rules import months_between

# The units give way on a phone, so that the months stay in sight.
WIDE_ONLY = {"td": {"class": "d-none d-md-table-cell"}, "th": {"class": "d-none d-md-table-cell"}}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The card's inclusion dimension (DOMAIN.md §6): 1 month yellow, 2 or more red.
YELLOW_MONTHS, RED_MONTHS = 1, 2


def month_start_back(as_of: dt.date, months: int) -> dt.date:
    """The first day of the month `months` whole months before D's month."""
    index = as_of.year * 12 + (as_of.month - 1) - months
    return dt.date(index // 12, index % 12 + 1, 1)


class InclusionForm(forms.Form):
    """The page's query: the as-of date, a region, at least so many months since the start."""

    as_of = forms.DateField(label=gettext_lazy("As of"), widget=DATE, required=False)
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    min_months = forms.IntegerField(
        label=gettext_lazy("Months since start, at least"),
        min_value=0,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": "0"}),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(actor)  # type: ignore[attr-defined]


def chase(
    actor: Actor, as_of: dt.date, region: OrgUnit | None = None, min_months: int | None = None
) -> QuerySet[AnnualPlan]:
    """The entries to chase as of D, narrowed to a region subtree and to at least
    `min_months` whole months since the start (started in or before that month)."""
    plans = plans_not_in_statistics(actor, as_of)
    if region is not None:
        plans = plans.filter(project__region__path__startswith=region.path)
    if min_months:
        plans = plans.filter(project__actual_start__lt=month_start_back(as_of, min_months - 1))
    return plans


def months_since_start(plan: AnnualPlan, as_of: dt.date) -> int:
    start = plan.project.actual_start
    return months_between(as_of, start) if start is not None else 0


def urgency(months: int) -> str:
    """The colour the card's inclusion dimension gives so many months (DOMAIN.md §6)."""
    if months >= RED_MONTHS:
        return "red"
    return "yellow" if months >= YELLOW_MONTHS else "blue"


class InclusionTable(tables.Table):
    """One row per entry to chase. Sorting by the months sorts by the start, reversed."""

    name = tables.Column(
        accessor="project__name",
        verbose_name=gettext_lazy("Project name"),
        order_by=("project__name", "pk"),
    )
    region = tables.Column(
        accessor="project__region__name",
        verbose_name=gettext_lazy("Region"),
        order_by=("project__region__path", "project__name"),
    )
    responsible_unit = tables.Column(
        accessor="project__responsible_unit__name",
        verbose_name=gettext_lazy("Responsible unit"),
        orderable=False,
        default="—",
        attrs=WIDE_ONLY,
    )
    owner_unit = tables.Column(
        accessor="project__owner_unit__name",
        verbose_name=gettext_lazy("Owner unit"),
        orderable=False,
        default="—",
        attrs=WIDE_ONLY,
    )
    actual_start = tables.Column(
        accessor="project__actual_start",
        verbose_name=gettext_lazy("Actual start"),
        order_by=("project__actual_start", "project__name"),
        attrs={
            "td": {"class": "text-nowrap d-none d-sm-table-cell"},
            "th": {"class": "d-none d-sm-table-cell"},
        },
    )
    months = tables.Column(
        accessor="project__actual_start",
        empty_values=(),
        verbose_name=gettext_lazy("Months since start"),
        order_by=("-project__actual_start", "project__name"),
        attrs={"td": {"class": "td-money text-nowrap"}, "th": {"class": "text-end text-nowrap"}},
    )

    class Meta:
        order_by = ("-months",)
        empty_text = gettext_lazy("Every started project in scope is in the statistics.")
        attrs = {"class": "table table-vcenter card-table table-hover", "data-testid": "chase"}
        row_attrs = {"data-project": lambda record: record.project.name}

    def __init__(self, *args: Any, as_of: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.as_of = as_of

    def render_name(self, value: str, record: AnnualPlan) -> str:
        url = reverse("projects:detail", args=[record.project_id])
        return format_html('<a href="{}" class="fw-semibold">{}</a>', url, value)

    def render_actual_start(self, value: dt.date) -> str:
        return value.isoformat()

    def render_months(self, record: AnnualPlan) -> str:
        months = months_since_start(record, self.as_of)
        colour = urgency(months)
        if colour == "blue":
            return format_html('<span data-months="{}">{}</span>', months, months)
        return format_html(
            '<span class="badge bg-{}-lt fw-bold" data-months="{}">{}</span>',
            colour,
            months,
            months,
        )


def write_chase(plans: QuerySet[AnnualPlan], *, as_of: dt.date, title: str) -> bytes:
    """The rows of the page, in its order, as one sheet."""
    columns = [
        (_("Project name"), 40),
        (_("Project code"), 26),
        (_("Region"), 14),
        (_("Responsible unit"), 28),
        (_("Owner unit"), 28),
        (_("Actual start"), 12),
        (_("Months since start"), 10),
    ]
    workbook, sheet = xlsx.new_sheet(
        sheet_name=_("Not yet in the statistics"), title=title, columns=columns
    )
    for plan in plans.select_related("project__owner_unit", "project__region"):
        project = plan.project
        sheet.append(
            [
                xlsx.text_cell(sheet, project.name),
                xlsx.text_cell(sheet, project.code or ""),
                xlsx.text_cell(sheet, project.region.name),
                xlsx.text_cell(
                    sheet, project.responsible_unit.name if project.responsible_unit else ""
                ),
                xlsx.text_cell(sheet, project.owner_unit.name if project.owner_unit else ""),
                project.actual_start,
                months_since_start(plan, as_of),
            ]
        )
    return xlsx.to_bytes(workbook)
