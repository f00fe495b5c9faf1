"""The library list as a django-tables2 table, with the 合计 row of the filtered set."""

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

import django_tables2 as tables
from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import NullIf
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRows

from tiaodu.core import stamps
from tiaodu.core.scoping import Actor
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects.models import AnnualPlan, ListMembership, Project
from tiaodu.projects.visibility import reader_key

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


def with_progress(plans: QuerySet[AnnualPlan], as_of: dt.date) -> QuerySet[AnnualPlan]:
    """The entries with `ytd` (the figure set's year-to-date completed investment on D) and
    `completion` (ytd ÷ plan, for sorting)."""
    annotated = plans.annotate(ytd=conditions.ytd_completed(as_of))
    ratio = ExpressionWrapper(
        F("ytd") / NullIf(F("planned_investment"), Value(Decimal(0))),
        output_field=DecimalField(max_digits=20, decimal_places=6),
    )
    return annotated.annotate(completion=ratio)


def _stamped() -> stamps.Stamped:
    """The tables the 合计 sums (projects, their entries, the reports of the year-to-date
    figure, the lists a filter reads)."""
    report = apps.get_model("reporting", "Report")
    return (
        *(
            (model, field)
            for model in (Project, AnnualPlan, report)
            for field in ("pk", "updated_at")
        ),
        (ListMembership, "pk"),
    )


def kept_totals(
    actor: Actor,
    plans: QuerySet[AnnualPlan],
    as_of: dt.date,
    *,
    page: tuple[str, int] | None = None,
) -> dict[str, Any]:
    """`totals`, kept as the figure set is (TIAODU_FIGURES_CACHE_SECONDS) for the reader and
    the very query (its SQL and parameters: the scope and every filter), under a stamp of
    the tables it sums (`core.stamps`): at a province's scale the 合计 sums every entry's
    reports on each page of the list. `page`, the library's query string and year, lets the
    page show the kept 合计 after a change while a worker sums again (`library_filterset`
    makes the same query of them)."""
    sql, params = plans.order_by().query.sql_with_params()
    parts = (reader_key(actor), sql, repr(params), as_of, get_language())
    refresh = None
    if page is not None and getattr(actor, "pk", None) is not None:
        query, year = page
        arguments = {
            "actor": actor.pk,
            "query": query,
            "year": year,
            "as_of": as_of.isoformat(),
            "language": get_language(),
        }
        refresh = stamps.Refresh("projects.library_totals", arguments)
    return stamps.cached(
        "library-totals",
        parts,
        _stamped(),
        settings.TIAODU_FIGURES_CACHE_SECONDS,
        lambda: totals(plans, as_of),
        refresh=refresh,
    )


@stamps.refresher("projects.library_totals", for_day=stamps.as_of_moves_on)
def _refresh_totals(*, actor: int, query: str, year: int, as_of: str, language: str) -> None:
    from django.http import QueryDict
    from django.utils import translation

    from tiaodu.accounts.models import User
    from tiaodu.projects.exports import library_filterset

    user = User.objects.get(pk=actor)
    with translation.override(language):
        plans = library_filterset(user, QueryDict(query), year).qs
        kept_totals(user, plans, dt.date.fromisoformat(as_of), page=(query, year))


def totals(plans: QuerySet[AnnualPlan], as_of: dt.date) -> dict[str, Any]:
    """The 合计 of the filtered set: its count and sums (the year-to-date figure summed as
    the figure set sums it), and the rate of the sums."""
    found = plans.order_by().aggregate(
        count=Count("id"),
        total_investment=Sum("project__total_investment"),
        planned_investment=Sum("planned_investment"),
        ytd_total=Sum(conditions.ytd_completed(as_of)),
    )
    found["ytd"] = found.pop("ytd_total")
    found["completion_rate"] = _rate(found["ytd"], found["planned_investment"])
    return found
