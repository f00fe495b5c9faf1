"""Where the figure set and the dashboard are kept (docs/statistics.md, "Cache"): per
reader, scope, language and the site's rules, under a stamp of the tables they read
(`core.stamps`), so that the next read after a change computes afresh — or, for a page
(`stale_ok`), shows the kept figures with their time while the new ones are computed."""

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from tiaodu.core import clock, stamps
from tiaodu.core.scoping import Actor
from tiaodu.problems.models import Problem
from tiaodu.projects.models import AnnualPlan, ListMembership, Project
from tiaodu.projects.visibility import reader_key
from tiaodu.reporting.models import Report
from tiaodu.scoring.models import Card
from tiaodu.supervision.notices.models import Notice

if TYPE_CHECKING:
    from tiaodu.analytics.figures import Scope

# What the figure set reads, besides the audit log (`core.stamps`): each input table's
# newest row and, where rows change in place, its latest change.
STAMPED: stamps.Stamped = (
    *(
        (model, field)
        for model in (Project, AnnualPlan, Report, Problem, Notice, Card)
        for field in ("pk", "updated_at")
    ),
    (ListMembership, "pk"),
)


def data_stamp() -> tuple[str, ...]:
    """The stamp the figure set and the dashboard are kept under."""
    return stamps.stamp(STAMPED)


def scope_parts(actor: Actor, scope: "Scope") -> tuple[object, ...]:
    """The reader, the scope, the language (labels are translated when made) and the site's
    rules for time progress, lagging and the default reporting cycle (a restart may change
    them under a cache that outlives it)."""
    return (
        reader_key(actor),
        scope.year,
        scope.as_of,
        scope.region.pk if scope.region else None,
        scope.level,
        scope.key_list.pk if scope.key_list else None,
        get_language(),
        settings.TIAODU_TIME_PROGRESS,
        settings.TIAODU_LAGGING_MARGIN,
        settings.TIAODU_DEFAULT_CYCLE,
    )


def kept[T](
    kind: str,
    actor: Actor,
    scope: "Scope",
    seconds: int,
    compute: Callable[[], T],
    *,
    stale_ok: bool = False,
) -> T:
    """`compute()` for the reader and scope, kept `seconds` (0: not kept) under the stamp;
    with `stale_ok` (a page), the kept value from before a change while the new one is
    computed (`core.stamps`). `kind` is "figures" or "dashboard" (each has its refresher below)."""
    if seconds <= 0:
        return compute()  # nor is the reader's key asked for
    refresh = None
    if stale_ok and getattr(actor, "pk", None) is not None:
        refresh = stamps.Refresh(f"analytics.{kind}", _arguments(actor, scope))
    return stamps.cached(
        kind, scope_parts(actor, scope), STAMPED, seconds, compute, refresh=refresh
    )


def _arguments(actor: Actor, scope: "Scope") -> dict[str, Any]:
    """The reader and the scope as a task's JSON arguments."""
    return {
        "actor": actor.pk,
        "year": scope.year,
        "as_of": scope.as_of.isoformat(),
        "region": scope.region.pk if scope.region is not None else None,
        "level": scope.level,
        "key_list": scope.key_list.pk if scope.key_list is not None else None,
        "language": get_language(),
    }


def _restored(arguments: dict[str, Any]) -> tuple[Any, "Scope"]:
    from tiaodu.accounts.models import OrgUnit, User
    from tiaodu.analytics.figures import Scope
    from tiaodu.projects.models import KeyProjectList

    region, key_list = arguments["region"], arguments["key_list"]
    scope = Scope(
        year=arguments["year"],
        as_of=dt.date.fromisoformat(arguments["as_of"]),
        region=OrgUnit.objects.get(pk=region) if region is not None else None,
        level=arguments["level"],
        key_list=KeyProjectList.objects.get(pk=key_list) if key_list is not None else None,
    )
    return User.objects.get(pk=arguments["actor"]), scope


def _for_day(arguments: dict[str, Any], read_on: dt.date, day: dt.date) -> dict[str, Any]:
    """What a reader asks for on `day` (the warm round, `stamps.warm`): the pages' own date
    (`default_as_of`, the last day ended periods cover) moves on with the day; a date the
    reader chose stays."""
    from tiaodu.analytics.figures import default_as_of

    year = arguments["year"]
    with clock.frozen(read_on):
        was_default = default_as_of(year).isoformat()
    if arguments["as_of"] != was_default:
        return arguments
    with clock.frozen(day):
        return {**arguments, "as_of": default_as_of(year).isoformat()}


@stamps.refresher("analytics.figures", for_day=_for_day)
def _refresh_figures(**arguments: Any) -> None:
    from tiaodu.analytics.figures import compute

    actor, scope = _restored(arguments)
    with translation.override(arguments["language"]):
        compute(actor=actor, scope=scope)


@stamps.refresher("analytics.dashboard", for_day=_for_day)
def _refresh_dashboard(**arguments: Any) -> None:
    from tiaodu.analytics.dashboard import charts

    actor, scope = _restored(arguments)
    with translation.override(arguments["language"]):
        charts(actor, scope)
