"""The statistics figure set of DOMAIN.md §4: one year, one as-of date, one scope.

Everything is aggregated in the database, every figure a conditional aggregate, in two
scans: one GROUP BY (level, category, region) query, whose cells add up to the totals and
to the breakdowns by level, category and region (each entry falls in exactly one cell),
and one GROUP BY list query (an entry may be on several lists); a few more read the scope's
regions and lists. The
number of queries does not depend on the number of projects: the month's cards (`cards`)
are counted in the same scans, on each entry's card of the month joined, and so is the
special-bond spending (`bond_funds`), by a correlated subquery on the entries with bond funds
only. The conditions are those of
`tiaodu.projects.figure_conditions`, which the library's `figure` filter shares.

`compute` is cached per reader, scope, as-of date and language for
`TIAODU_FIGURES_CACHE_SECONDS` (`figure_cache`), under a stamp of its data: the newest row and latest change of
each table the set reads, and the newest audit event of a change — every service that changes
an input of the set audits the change (sign-ins and exports change nothing and are left out), so the next read after a change computes afresh. The
statistics page, the API, `manage.py stats`, the bulletin and the dashboard read one set.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.analytics import figure_cache
from tiaodu.core import clock, heavy_reads
from tiaodu.core.numbers import CENT, percent
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor, Grant
from tiaodu.problems.figures import problems_figures
from tiaodu.projects import figure_conditions as conditions
from tiaodu.projects import lists as key_lists
from tiaodu.projects.choices import AnnualPlanLevel, ProjectCategory, ReserveStage
from tiaodu.projects.filters import scope_region
from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership
from tiaodu.projects.selectors import plans_visible_to
from tiaodu.reporting.board import reporting_figures
from tiaodu.reporting.periods import last_closed_day
from tiaodu.scoring.choices import Colour
from tiaodu.supervision.notices.figures import notices_figures

COUNTS = frozenset(
    {
        "f_projects",
        "f_new_start_planned",
        "f_new_start_started",
        "f_due",
        "f_included",
        "f_new_included",
        "f_completed",
        "f_expected",
        "f_reserve",
        "f_should_start",
        "f_should_complete",
        "f_lagging",
        "f_bond_count",
        *(f"f_stage_{stage}" for stage in ReserveStage.values),
        *(f"f_card_{colour}" for colour in (*Colour.values, "none")),
    }
)
BREAKDOWNS = ("by_level", "by_region", "by_category", "by_list")


class ScopeError(ValueError):
    """A parameter of the figure set that names nothing or makes no sense; the message says which."""


class WholeSite:
    """The reader of `manage.py stats` without --actor: every plan entry of the site.

    A system read for the server's administrators, like other manage.py commands. It goes
    through the same `restrict` as everyone, with one grant that opens the whole region tree.
    """

    pk = None
    is_authenticated = True
    roles = frozenset({Role.DISPATCHER})

    def get_username(self) -> str:
        return ""

    def scope_grants(self) -> list[Grant]:
        return [Grant(role=Role.DISPATCHER, unit_path="/")]


WHOLE_SITE = WholeSite()


@dataclass(frozen=True)
class Scope:
    """What the figures are of: a plan year, an as-of date, a region subtree, a level, a list."""

    year: int
    as_of: dt.date
    region: OrgUnit | None
    level: str | None = None
    key_list: KeyProjectList | None = None


@dataclass
class Row:
    """One line of a breakdown: its key in the JSON form, its label, and its library filters
    (None for a level outside a scope of another level, whose counts are all 0)."""

    key: str
    label: str
    params: dict[str, str] | None
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class FigureSet:
    """The JSON form (`data`) and, for the page, each breakdown's rows with labels and filters."""

    scope: Scope
    data: dict[str, Any]
    params: dict[str, str]
    rows: dict[str, list[Row]]


def region_key(region: OrgUnit) -> str:
    """A region's key in `by_region`: its division code; a zone, which has none, by its name."""
    return region.region_code or region.name


def default_as_of(year: int) -> dt.date:
    """The date figures are of when none is asked for: the last day that ended reporting
    periods cover (`reporting.periods.last_closed_day`: with monthly reports, the end of
    the last month), held within the year — its last day for a past year, its first for a
    future one or while its first period is still open. Not today: the period in progress
    is not reported yet, and time progress follows this date."""
    closed = last_closed_day(clock.today())
    return min(max(closed, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def resolve_scope(
    *,
    actor: Actor,
    year: int,
    as_of: dt.date,
    region: OrgUnit | str | None = None,
    level: str | None = None,
    key_list: KeyProjectList | str | None = None,
) -> Scope:
    """Check and look up the parameters; a ScopeError names the wrong one and the fix."""
    if not 2000 <= year <= 2100:
        raise ScopeError(_("The year must be between 2000 and 2100."))
    if as_of.year != year:
        raise ScopeError(
            _("The as-of date %(date)s is not in %(year)s; give a date of that year.")
            % {"date": as_of.isoformat(), "year": year}
        )
    if isinstance(region, str):
        code = region.strip()
        found = OrgUnit.objects.regions().filter(Q(region_code=code) | Q(name=code)).first()
        if found is None:
            raise ScopeError(
                _("No region has the code “%(code)s”; give a six-digit division code of the site.")
                % {"code": code}
            )
        region = found
    if level is not None and level not in AnnualPlanLevel.values:
        raise ScopeError(
            _("Unknown level “%(level)s”; use one of %(levels)s.")
            % {"level": level, "levels": ", ".join(AnnualPlanLevel.values)}
        )
    if isinstance(key_list, str):
        found_list = KeyProjectList.objects.filter(year=year, name=key_list.strip()).first()
        if found_list is None:
            raise ScopeError(
                _("There is no list “%(name)s” in %(year)s.") % {"name": key_list, "year": year}
            )
        key_list = found_list
    if key_list is not None and key_list.year != year:
        raise ScopeError(
            _("The list “%(name)s” belongs to %(list_year)s, not to %(year)s.")
            % {"name": key_list.name, "list_year": key_list.year, "year": year}
        )
    return Scope(
        year=year,
        as_of=as_of,
        region=region if region is not None else scope_region(actor),
        level=level or None,
        key_list=key_list,
    )


def scoped_plans(actor: Actor, scope: Scope) -> QuerySet[AnnualPlan]:
    """The plan entries of the year in the scope, as the actor may see them."""
    plans = plans_visible_to(actor).select_related(None).prefetch_related(None).order_by()
    plans = plans.filter(year=scope.year)
    if scope.region is not None:
        plans = plans.filter(project__region__path__startswith=scope.region.path)
    if scope.level:
        plans = plans.filter(level=scope.level)
    if scope.key_list is not None:
        # Exists, not a join: the breakdown by list joins the memberships itself.
        # The list as it stood on the as-of date (a replacement since leaves this date alone).
        # Exists, not a join: the breakdown by list joins the memberships itself.
        on_list = ListMembership.objects.on(_list_day(scope)).filter(
            annual_plan=OuterRef("pk"), key_project_list=scope.key_list
        )
        plans = plans.filter(Exists(on_list))
    return plans


def _list_day(scope: Scope) -> dt.date:
    """The day the scope's lists are read on: its as-of date, within its year."""
    return key_lists.day_within(scope.year, scope.as_of)


def _by_list(scope: Scope, plans: QuerySet[AnnualPlan], aggregates: dict[str, Aggregate]) -> dict:
    """One GROUP BY query over the memberships that stood on the as-of date: the raw figures
    of each list (an entry on several lists counts in each)."""
    day = _list_day(scope)
    # One filter() call: the date conditions and the grouping share one join.
    on_day = plans.filter(
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=day),
        memberships__start__lte=day,
    )
    return _grouped(on_day, "memberships__key_project_list", aggregates)


def _aggregates(year: int, as_of: dt.date) -> dict[str, Aggregate]:
    """Every figure of one group as a conditional aggregate (names clear of model fields)."""
    started = conditions.started(as_of)
    completed = conditions.completed(year, as_of)
    expected = conditions.expected_completion(year, as_of)
    aggregates: dict[str, Aggregate] = {
        "f_projects": Count("id"),
        "f_total_investment": Sum("project__total_investment"),
        "f_annual_plan": Sum("planned_investment"),
        "f_ytd_completed": Sum(conditions.ytd_completed(as_of)),
        "f_new_start_planned": Count("id", filter=conditions.new_start()),
        "f_new_start_started": Count("id", filter=conditions.new_start() & started),
        "f_due": Count("id", filter=started),
        "f_included": Count("id", filter=conditions.in_statistics(as_of)),
        "f_new_included": Count("id", filter=conditions.new_in_statistics(as_of)),
        "f_completed": Count("id", filter=completed),
        "f_completed_investment": Sum("project__total_investment", filter=completed),
        "f_expected": Count("id", filter=expected),
        "f_expected_investment": Sum("project__total_investment", filter=expected),
        "f_reserve": Count("id", filter=conditions.reserve()),
        "f_should_start": Count("id", filter=conditions.should_start(as_of)),
        "f_should_complete": Count("id", filter=conditions.should_complete(as_of)),
        "f_lagging": Count("id", filter=conditions.lagging(as_of)),
        "f_bond_count": Count("id", filter=conditions.has_bond_funds()),
        "f_bond_allotted": Sum("bond_funds", filter=conditions.has_bond_funds()),
        "f_bond_spent": Sum(conditions.bond_funds_spent(as_of)),
    }
    for stage in ReserveStage.values:
        aggregates[f"f_stage_{stage}"] = Count(
            "id", filter=conditions.reserve() & Q(reserve_stage=stage)
        )
    aggregates.update(_card_aggregates())
    return aggregates


def card_month(as_of: dt.date) -> dt.date:
    """The month whose cards the figure set counts: the as-of date's (DOMAIN.md §6)."""
    return as_of.replace(day=1)


MONTH_CARD = "month_card"


def with_month_card(plans: QuerySet[AnnualPlan], month: dt.date) -> QuerySet[AnnualPlan]:
    """The entries with their card of the month joined (LEFT JOIN on the unique (plan,
    month) key: at most one card an entry, so no entry counts twice), which
    `_card_aggregates` reads."""
    return plans.annotate(
        **{MONTH_CARD: FilteredRelation("cards", condition=Q(cards__month=month))}
    )


def _card_aggregates() -> dict[str, Aggregate]:
    """Entries by the final colour of their card of the month (the revised colour after an
    appeal, else the computed one), and those without a card: reserve entries, and every
    entry of a month not computed yet. On the card joined by `with_month_card`: one join,
    not a correlated lookup per entry and colour."""
    revised = f"{MONTH_CARD}__revised_colour"
    computed = f"{MONTH_CARD}__colour"
    aggregates: dict[str, Aggregate] = {
        f"f_card_{colour}": Count(
            "id", filter=Q(**{revised: colour}) | Q(**{revised: "", computed: colour})
        )
        for colour in Colour.values
    }
    aggregates["f_card_none"] = Count("id", filter=Q(**{f"{MONTH_CARD}__id__isnull": True}))
    return aggregates


def card_figures(*, actor: Actor, scope: Scope) -> dict[str, Any]:
    """The figure set's `cards` of a scope alone (its entries by the colour of their card of
    the month, and those without), in one query: what `compute(...).data["cards"]` says,
    for a reader that needs nothing else (the bulletin's last month)."""
    month = card_month(scope.as_of)
    plans = with_month_card(scoped_plans(actor, scope), month)
    raw = plans.aggregate(**_card_aggregates())
    return {
        "month": f"{month:%Y-%m}",
        **{colour: int(raw[f"f_card_{colour}"] or 0) for colour in (*Colour.values, "none")},
    }


def _money(value: Decimal | int | None) -> str:
    return format(Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP), "f")


def _merge(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if key.startswith("f_"):
            total[key] = (total.get(key) or 0) + (value or 0)


def _figures(raw: dict[str, Any], time_progress: Decimal, month: dt.date) -> dict[str, Any]:
    """The figures of one group in the order and form of DOMAIN.md §4 (and §6's cards)."""
    count = {key: int(value or 0) for key, value in raw.items() if key in COUNTS}
    ytd = raw.get("f_ytd_completed") or 0
    plan = raw.get("f_annual_plan") or 0
    return {
        "projects": count.get("f_projects", 0),
        "total_investment": _money(raw.get("f_total_investment")),
        "annual_plan": _money(plan),
        "ytd_completed": _money(ytd),
        "completion_rate": percent(ytd, plan),
        "time_progress": format(time_progress, "f"),
        "new_start": {
            "planned": count.get("f_new_start_planned", 0),
            "started": count.get("f_new_start_started", 0),
            "rate": percent(count.get("f_new_start_started"), count.get("f_new_start_planned")),
        },
        "in_statistics": {
            "due": count.get("f_due", 0),
            "included": count.get("f_included", 0),
            "rate": percent(count.get("f_included"), count.get("f_due")),
            "new_in_period": count.get("f_new_included", 0),
        },
        "completed": {
            "count": count.get("f_completed", 0),
            "total_investment": _money(raw.get("f_completed_investment")),
        },
        "expected_completion": {
            "count": count.get("f_expected", 0),
            "total_investment": _money(raw.get("f_expected_investment")),
        },
        "reserve": {
            "count": count.get("f_reserve", 0),
            "by_stage": {stage: count.get(f"f_stage_{stage}", 0) for stage in ReserveStage.values},
        },
        "should_start": count.get("f_should_start", 0),
        "should_complete": count.get("f_should_complete", 0),
        "lagging": count.get("f_lagging", 0),
        "cards": {
            "month": f"{month:%Y-%m}",
            **{colour: count.get(f"f_card_{colour}", 0) for colour in (*Colour.values, "none")},
        },
        "bond_funds": {
            "count": count.get("f_bond_count", 0),
            "allotted": _money(raw.get("f_bond_allotted")),
            "spent": _money(raw.get("f_bond_spent")),
            "spent_rate": percent(raw.get("f_bond_spent"), raw.get("f_bond_allotted")),
        },
    }


def _grouped(plans: QuerySet[AnnualPlan], by: str, aggregates: dict[str, Aggregate]) -> dict:
    """One GROUP BY query: the raw figures of each value of `by`."""
    return {row.pop(by): row for row in plans.values(by).annotate(**aggregates).order_by()}


# The finest grouping that every breakdown but the list one rolls up from: a plan entry has
# one level, one category and one region, so each entry falls in exactly one cell.
CELL = ("level", "project__category", "project__region")


def _cells(plans: QuerySet[AnnualPlan], aggregates: dict[str, Aggregate]) -> list[dict[str, Any]]:
    """One GROUP BY query: the raw figures of each (level, category, region) cell."""
    return list(plans.values(*CELL).annotate(**aggregates).order_by())


def _rolled_up(cells: list[dict[str, Any]], by: str | None) -> dict[Any, dict[str, Any]]:
    """The cells summed by one of their keys (None: all of them, under the key None)."""
    groups: dict[Any, dict[str, Any]] = {}
    for cell in cells:
        _merge(groups.setdefault(cell[by] if by else None, {}), cell)
    return groups


def _scope_params(scope: Scope) -> dict[str, str]:
    """The library's filters for the whole scope (the links of the headline figures)."""
    params = {"year": str(scope.year), "as_of": scope.as_of.isoformat()}
    if scope.region is not None:
        params["region"] = str(scope.region.pk)
    if scope.level:
        params["level"] = scope.level
    if scope.key_list is not None:
        params["list"] = str(scope.key_list.pk)
    return params


def _level_params(scope: Scope, base: dict[str, str], level: str) -> dict[str, str] | None:
    if scope.level and scope.level != level:
        return None
    return {**base, "level": level}


def _region_rows(
    by_region: dict[int, dict[str, Any]], scope: Scope, base: dict
) -> list[tuple[Row, dict[str, Any]]]:
    """The scope region's direct children (zeros included), and the region itself when
    entries sit on it directly (a city's own projects, 市本级)."""
    if scope.region is None:
        return []
    top = scope.region
    # Divisions by their code, as the national table lists them; then zones by name.
    children = sorted(
        OrgUnit.objects.regions().filter(parent=top),
        key=lambda unit: (unit.region_code is None, unit.region_code or "", unit.name),
    )
    by_id: dict[int, tuple[Row, dict[str, Any]]] = {}
    own_params = {**base, "region": str(top.pk), "region_itself": str(top.pk)}
    own: tuple[Row, dict[str, Any]] = (Row(region_key(top), top.name, own_params), {})
    for child in children:
        by_id[child.pk] = (
            Row(region_key(child), child.name, {**base, "region": str(child.pk)}),
            {},
        )
    paths = dict(
        OrgUnit.objects.filter(pk__in=[pk for pk in by_region if pk is not None]).values_list(
            "pk", "path"
        )
    )
    for region_id, raw in by_region.items():
        if region_id == top.pk:
            _merge(own[1], raw)
            continue
        # The child of the scope region on the way down to this region: its id in the path.
        ids = paths[region_id].strip("/").split("/")
        child_id = int(ids[top.depth + 1]) if len(ids) > top.depth + 1 else None
        if child_id in by_id:
            _merge(by_id[child_id][1], raw)
    rows = [own] if own[1].get("f_projects") else []
    return rows + [by_id[child.pk] for child in children]


def compute(*, actor: Actor, scope: Scope, stale_ok: bool = False) -> FigureSet:
    """The figure set of a resolved scope, as the actor may see it (kept: `figure_cache`;
    `stale_ok` for a page, which may show the set from before a change while it is
    computed again)."""
    return figure_cache.kept(
        "figures",
        actor,
        scope,
        int(settings.TIAODU_FIGURES_CACHE_SECONDS),
        lambda: _compute(actor=actor, scope=scope),
        stale_ok=stale_ok,
    )


def _compute(*, actor: Actor, scope: Scope) -> FigureSet:
    """The figure set of a resolved scope, as the actor may see it, read from the database
    (its grouped queries with room to sort: `core.heavy_reads`)."""
    with heavy_reads.roomy(AnnualPlan):
        return _read(actor=actor, scope=scope)


def _read(*, actor: Actor, scope: Scope) -> FigureSet:
    plans = scoped_plans(actor, scope)
    aggregates = _aggregates(scope.year, scope.as_of)
    progress = conditions.time_progress(scope.as_of)
    month = card_month(scope.as_of)
    base = _scope_params(scope)

    carded = with_month_card(plans, month)
    cells = _cells(carded, aggregates)
    totals = _rolled_up(cells, None).get(None, {})
    by_level = _rolled_up(cells, "level")
    by_category = _rolled_up(cells, "project__category")
    # A plan entry may be on several lists: the list breakdown is a query of its own.
    by_list = _by_list(scope, carded, aggregates)
    year_lists = list(KeyProjectList.objects.filter(year=scope.year).order_by("name"))
    list_param = "also_list" if scope.key_list is not None else "list"

    pairs: dict[str, list[tuple[Row, dict[str, Any]]]] = {
        "by_level": [
            (
                Row(level.value, str(level.label), _level_params(scope, base, level.value)),
                by_level.get(level.value, {}),
            )
            for level in AnnualPlanLevel
        ],
        "by_region": _region_rows(_rolled_up(cells, "project__region"), scope, base),
        "by_category": [
            (
                Row(category.value, str(category.label), {**base, "category": category.value}),
                by_category.get(category.value, {}),
            )
            for category in ProjectCategory
        ],
        "by_list": [
            (
                Row(item.name, item.name, {**base, list_param: str(item.pk)}),
                by_list.get(item.pk, {}),
            )
            for item in year_lists
        ],
    }
    rows: dict[str, list[Row]] = {}
    for name, items in pairs.items():
        for row, raw in items:
            row.figures = _figures(raw, progress, month)
        rows[name] = [row for row, _raw in items]

    region = scope.region
    data: dict[str, Any] = {
        "year": scope.year,
        "as_of": scope.as_of.isoformat(),
        "scope": {
            "region": region_key(region) if region is not None else None,
            "level": scope.level,
            "list": scope.key_list.name if scope.key_list is not None else None,
        },
        **_figures(totals, progress, month),
    }
    for name in BREAKDOWNS:
        data[name] = {row.key: row.figures for row in rows[name]}
    data["reporting"] = reporting_figures(plans, scope.year, scope.as_of)
    data["problems"] = problems_figures(actor, plans, scope.year, scope.as_of)
    data["notices"] = notices_figures(actor, plans, scope.year, scope.as_of)
    return FigureSet(scope=scope, data=data, params=base, rows=rows)


def figure_set(
    *,
    actor: Actor,
    year: int,
    as_of: dt.date,
    region: OrgUnit | str | None = None,
    level: str | None = None,
    key_list: KeyProjectList | str | None = None,
) -> dict[str, Any]:
    """Exactly the JSON form of DOMAIN.md §4 for the scope, as the actor may see it.

    `region` is a division code (or a zone's name) or an org unit; without it, the scope is
    the actor's region (`projects.filters.scope_region`). `key_list` is a list's name or the
    list. Raises ScopeError on a parameter that names nothing.
    """
    scope = resolve_scope(
        actor=actor, year=year, as_of=as_of, region=region, level=level, key_list=key_list
    )
    return compute(actor=actor, scope=scope).data
