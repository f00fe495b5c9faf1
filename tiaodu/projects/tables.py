"""The library list as a django-tables2 table."""

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tiaodu.projects.models import AnnualPlan

NOWRAP = {"td": {"class": "text-nowrap"}, "th": {"class": "text-nowrap"}}
AMOUNT = {"td": {"class": "td-money"}, "th": {"class": "text-end"}}


class AnnualPlanTable(tables.Table):
    """One row per plan entry of the year; amounts in 万元."""

    name = tables.Column(
        accessor="project__name",
        verbose_name=_("Project name"),
        order_by=("project__name",),
        attrs={"td": {"class": "td-name"}},
    )
    region = tables.Column(
        accessor="project__region__name",
        verbose_name=_("Region"),
        order_by=("project__region__path",),
    )
    level = tables.Column(verbose_name=_("Level"), attrs=NOWRAP)
    nature = tables.Column(verbose_name=_("Nature"), attrs=NOWRAP)
    category = tables.Column(accessor="project__category", verbose_name=_("Category"), attrs=NOWRAP)
    total_investment = tables.Column(
        accessor="project__total_investment",
        verbose_name=_("Total investment (10k yuan)"),
        order_by=("project__total_investment", "project__id"),
        attrs=AMOUNT,
    )
    planned_investment = tables.Column(
        verbose_name=_("Annual plan (10k yuan)"),
        attrs=AMOUNT,
    )
    owner_unit = tables.Column(
        accessor="project__owner_unit__name", verbose_name=_("Owner unit"), orderable=False
    )
    lists = tables.Column(empty_values=(), verbose_name=_("Lists"), orderable=False)

    class Meta:
        model = AnnualPlan
        fields = (
            "name",
            "region",
            "level",
            "nature",
            "category",
            "total_investment",
            "planned_investment",
            "owner_unit",
            "lists",
        )
        order_by = ("-total_investment",)
        empty_text = _("No project matches these filters.")
        attrs = {"class": "table table-vcenter card-table table-hover"}

    def render_name(self, value: str, record: AnnualPlan) -> str:
        """The name links to the project; its code, when it has one, goes beneath."""
        url = reverse("projects:detail", args=[record.project_id])
        code = record.project.code
        if not code:
            return format_html('<a href="{}" class="fw-semibold">{}</a>', url, value)
        return format_html(
            '<a href="{}" class="fw-semibold">{}</a>'
            '<div class="text-secondary font-monospace small">{}</div>',
            url,
            value,
            code,
        )

    def render_level(self, record: AnnualPlan) -> str:
        return record.get_level_display()

    def render_nature(self, record: AnnualPlan) -> str:
        colours = {
            "new_start": "green",
            "continuing": "blue",
            "reserve": "secondary",
            "completing": "orange",
        }
        return format_html(
            '<span class="badge bg-{}-lt">{}</span>',
            colours.get(record.nature, "secondary"),
            record.get_nature_display(),
        )

    def render_category(self, record: AnnualPlan) -> str:
        return record.project.get_category_display()

    def _money(self, value: Decimal) -> str:
        return f"{value:,.2f}"

    def render_total_investment(self, value: Decimal) -> str:
        return self._money(value)

    def render_planned_investment(self, value: Decimal) -> str:
        return self._money(value)

    def render_lists(self, record: AnnualPlan) -> Any:
        return format_html_join(
            " ",
            '<span class="badge bg-azure-lt">{}</span>',
            ((item.name,) for item in record.current_lists),
        )
