"""What approved reports add to an entry's year-to-date investment (DOMAIN.md §3, §4).

The ledger states an entry's year-to-date figure as of a date; reports of the periods that
end after that date add to it. The approving service keeps a snapshot on the entry
(`AnnualPlan.reported_*`), so that the figures for today read one column per entry; for a
date before the snapshot's last period, or when the ledger's date moved since the snapshot
was taken, the sum is read from the reports themselves.

Special-bond spending is cumulative, not summed: the latest figure stated wins, a report's
or the ledger's (`reported_bond_funds_spent`, read by `figure_conditions.bond_funds_spent`).
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce

from tiaodu.projects.models import MONEY_DIGITS
from tiaodu.reporting.models import Report

MONEY = DecimalField(max_digits=MONEY_DIGITS, decimal_places=2)


def counting_reports() -> Q:
    """The reports that count for their entry: the current approved ones of periods that end
    in the entry's year, after its ledger figure's date (every period when it has none)."""
    return (
        Q(is_current=True)
        & Q(period__end__year=F("plan__year"))
        & (Q(plan__ytd_as_of__isnull=True) | Q(period__end__gt=F("plan__ytd_as_of")))
    )


def reported_bond_funds_spent(as_of: dt.date) -> Subquery:
    """An expression on AnnualPlan: the special-bond spending stated by the latest current
    approved report of the entry's year for a period ending by `as_of`, when that period
    ends after the ledger's figure date (or the ledger's figure is dated after `as_of`, so
    that it is not known yet); NULL otherwise (the ledger's figure then stands). One
    correlated subquery on the (plan, is_current) index."""
    latest = (
        Report.objects.filter(
            plan=OuterRef("pk"),
            is_current=True,
            bond_funds_spent__isnull=False,
            period__end__year=F("plan__year"),
            period__end__lte=as_of,
        )
        .filter(
            Q(plan__ytd_as_of__isnull=True)
            | Q(plan__ytd_as_of__gt=as_of)
            | Q(period__end__gt=F("plan__ytd_as_of"))
        )
        .order_by("-period__end")
        .values("bond_funds_spent")[:1]
    )
    return Subquery(latest, output_field=MONEY)


def reported_investment(as_of: dt.date) -> Expression:
    """An expression on AnnualPlan: the investment its counting reports add by `as_of`."""
    summed = (
        Report.objects.filter(counting_reports(), plan=OuterRef("pk"), period__end__lte=as_of)
        .order_by()
        .values("plan")
        .annotate(total=Sum("investment"))
        .values("total")
    )
    snapshot_fresh = Q(reported_since=F("ytd_as_of")) | Q(
        reported_since__isnull=True, ytd_as_of__isnull=True
    )
    return Case(
        When(reported_through__isnull=True, then=Value(Decimal(0))),
        When(snapshot_fresh & Q(reported_through__lte=as_of), then=F("reported_investment")),
        default=Coalesce(Subquery(summed, output_field=MONEY), Value(Decimal(0))),
        output_field=MONEY,
    )
