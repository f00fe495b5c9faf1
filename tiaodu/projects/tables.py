"""The library list as a django-tables2 table, with the 合计 row of the filtered set
(`totals`)."""

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRows

from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.totals import totals

NOWRAP = {"td": {"class": "text-nowrap"}, "th": {"class": "text-nowrap"}}
AMOUNT = {"td": {"class": "td-money"}, "th": {"class": "text-end"}}
TOTAL = {**AMOUNT, "tf": {"class": "td-money fw-bold"}}


class _Counted(Paginator):
    """A paginator told how many entries there are."""

    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count  # in place of the cached property's query


class AnnualPlanTable(tables.Table):
    """One row per plan entry of the year; amounts in 万元."""

    name = tables.Column(
        accessor="project__name",
        verbose_name=_("Project name"),
        order_by=("project__name",),
        attrs={"td": {"class": "td-name"}, "tf": {"data-testid": "total-label"}},
        footer=lambda table: _("Total of %(count)s projects") % {"count": table.totals["count"]},
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
        attrs=TOTAL,
        footer=lambda table: _money(table.totals["total_investment"]),
    )
    planned_investment = tables.Column(
        verbose_name=_("Annual plan (10k yuan)"),
        attrs=TOTAL,
        footer=lambda table: _money(table.totals["planned_investment"]),
    )
    ytd = tables.Column(
        verbose_name=_("Completed this year (10k yuan)"),
        attrs=TOTAL,
        order_by=("ytd", "project__id"),
        footer=lambda table: _money(table.totals["ytd"]),
    )
    completion_rate = tables.Column(
        empty_values=(),
        verbose_name=_("Completion rate"),
        attrs=TOTAL,
        order_by=("completion", "project__id"),
        footer=lambda table: _percent(table.totals["completion_rate"]),
    )
    owner_unit = tables.Column(
        accessor="project__owner_unit__name",
        verbose_name=_("Owner unit"),
        orderable=False,
        attrs={"td": {"class": "td-unit"}},
    )
    # On a wide screen only: below it the lists are on the project's page and the filters.
    lists = tables.Column(
        empty_values=(),
        verbose_name=_("Lists"),
        orderable=False,
        attrs={
            "td": {"class": "d-none d-xxl-table-cell"},
            "th": {"class": "d-none d-xxl-table-cell"},
            "tf": {"class": "d-none d-xxl-table-cell"},
        },
    )

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
            "ytd",
            "completion_rate",
            "owner_unit",
            "lists",
        )
        order_by = ("-total_investment",)
        empty_text = _("No project matches these filters.")
        attrs = {"class": "table table-vcenter card-table table-hover"}

    def __init__(
        self,
        data: QuerySet[AnnualPlan],
        *,
        as_of: dt.date,
        sums: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """`data` as `with_progress` annotates it; the 合计 row sums the whole filtered set,
        not the page (`sums`, given when kept: `kept_totals`)."""
        self.as_of = as_of
        self.progress = conditions.time_progress(as_of)
        super().__init__(data, **kwargs)
        self.totals = sums if sums is not None else totals(data, as_of)
        self.show_footer = True

    def paginate(self, *args: Any, **kwargs: Any) -> "AnnualPlanTable":
        """The page as the list sorts it, read in two queries: the page's ids with the
        filters and the order alone, then those entries with their year-to-date figures and
        related rows. In one query the database worked out every entry of the year's
        figures and joins before sorting them to keep a page (0.16 s of 0.3 s at 100,000
        projects on SQLite). An order by a figure (the year-to-date, the rate) still computes
        that figure for every entry: the order needs it. The number of entries is the 合计's
        count, not counted again."""
        known = self.totals.get("count")
        if isinstance(known, int) and not args and "paginator_class" not in kwargs:
            # The 合计 counted the filtered set already (kept: `kept_totals`): the pages
            # need not count it again (0.1 s on PostgreSQL at 100,000 projects).
            kwargs["paginator_class"] = partial(_Counted, count=known)
        super().paginate(*args, **kwargs)
        rows = self.page.object_list
        page = rows.data
        if isinstance(page, QuerySet):
            ids = list(page.values_list("pk", flat=True))
            found = self.data.data.order_by().in_bulk(ids)
            self.page.object_list = BoundRows(
                data=[found[pk] for pk in ids if pk in found],
                table=self,
                pinned_data=rows.pinned_data,
            )
        return self

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

    def render_ytd(self, value: Decimal) -> str:
        return self._money(value)

    def render_completion_rate(self, record: AnnualPlan) -> str:
        """The rate, and how far it stands from time progress (points), red when lagging."""
        rate = _rate(record.ytd, record.planned_investment)  # type: ignore[attr-defined]
        if rate is None:
            return "—"
        gap = rate - self.progress
        lagging = (
            record.project.actual_start is not None
            and record.project.actual_start <= self.as_of
            and conditions.lags(record.ytd, record.planned_investment, self.as_of)  # type: ignore[attr-defined]
        )
        return format_html(
            '{}%<div class="small {}" title="{}">{}{}</div>',
            rate,
            "text-danger fw-bold" if lagging else "text-secondary",
            _("Points against time progress %(progress)s%%") % {"progress": self.progress},
            "+" if gap > 0 else "",
            gap,
        )

    def render_lists(self, record: AnnualPlan) -> Any:
        return format_html_join(
            " ",
            '<span class="badge bg-azure-lt">{}</span>',
            ((item.name,) for item in record.current_lists),
        )


def _money(value: Decimal | None) -> str:
    return f"{Decimal(value or 0):,.2f}"


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _rate(ytd: Decimal | None, plan: Decimal | None) -> Decimal | None:
    return conditions.completion_rate(ytd, plan)
