"""The library's 合计 and year-to-date figures, apart from the table that shows them: the
review page and the background refresh read them too, and neither needs django-tables2
(settings.LIBRARY_PACKAGES)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import NullIf
from django.utils.translation import get_language

from tiaodu.core import stamps
from tiaodu.core.scoping import Actor
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects.models import AnnualPlan, ListMembership, Project
from tiaodu.projects.visibility import reader_key


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
    found["completion_rate"] = conditions.completion_rate(found["ytd"], found["planned_investment"])
    return found
