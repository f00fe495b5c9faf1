"""Where the figure set and the dashboard are kept (docs/statistics.md, "Cache"): per
reader, scope, language and the site's rules, under a stamp of the tables they read
(`core.stamps`), so that the next read after a change computes afresh."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import get_language

from tiaodu.core import stamps
from tiaodu.core.scoping import Actor
from tiaodu.problems.models import Problem
from tiaodu.projects.models import AnnualPlan, ListMembership, Project
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
        stamps.reader_key(actor),
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


def kept[T](kind: str, actor: Actor, scope: "Scope", seconds: int, compute: Callable[[], T]) -> T:
    """`compute()` for the reader and scope, kept `seconds` (0: not kept) under the stamp."""
    return stamps.cached(kind, scope_parts(actor, scope), STAMPED, seconds, compute)
