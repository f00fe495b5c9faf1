"""The figure set's `notices` key (DOMAIN.md §4), as of a date.

Over the notices of year Y issued by the end of the as-of day D about a project in scope
that the actor may see: issued; answered = with a response by then; overdue = neither
answered nor closed by then, past the response deadline; and the issued ones by kind.
Two queries, whatever the number of notices.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tiaodu.core.scoping import Actor
from tiaodu.problems.selectors import day_end
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.models import Notice, NoticeResponse
from tiaodu.supervision.notices.selectors import notices_visible_to


def notices_figures(
    actor: Actor, plans: QuerySet[Any], year: int, as_of: dt.date
) -> dict[str, Any]:
    """`plans` is the scope's plan entries; a notice counts when one of its projects has one.

    Over the notices' project links, each checked by a correlated EXISTS on the plan
    entry's (project, year) key: the cost follows the notices, not the projects in scope."""
    end = day_end(as_of)
    links = Notice.projects.through.objects.filter(
        Exists(plans.filter(project=OuterRef("project")))
    )
    in_scope = links.values("notice")
    answered = Exists(NoticeResponse.objects.filter(notice=OuterRef("pk"), responded_at__lt=end))
    base = (
        notices_visible_to(actor)
        .filter(pk__in=in_scope, year=year, issued_at__lt=end)
        .annotate(answered=answered)
    )
    still_open = Q(answered=False) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    totals = base.aggregate(
        issued=Count("pk"),
        answered_count=Count("pk", filter=Q(answered=True)),
        overdue=Count("pk", filter=still_open & Q(response_deadline__lt=as_of)),
    )
    kinds = dict(base.values_list("kind").annotate(n=Count("pk")).order_by())
    return {
        "issued": totals["issued"],
        "answered": totals["answered_count"],
        "overdue": totals["overdue"],
        "by_kind": {kind.value: int(kinds.get(kind.value, 0)) for kind in NoticeKind},
    }
