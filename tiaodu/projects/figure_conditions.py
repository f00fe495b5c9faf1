"""The conditions behind the statistics figures (DOMAIN.md §4), written once.

The figure set (`tiaodu.analytics.figures`) counts plan entries with these conditions, and
the library's `figure` filter (`filters.AnnualPlanFilterSet`) lists the same entries, so
that every count on the statistics page leads to exactly the projects behind it. Each
condition is a `Q` on `AnnualPlan` for a plan year and an as-of date D; docs/statistics.md
states them in words.
"""

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core import checks
from django.db.models import BigIntegerField, Case, DecimalField, F, Q, Subquery, Value, When
from django.db.models.expressions import CombinedExpression, Expression
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import LessThan
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaodu.core import workdays
from tiaodu.projects.choices import AnnualPlanNature
from tiaodu.projects.models import MONEY_DIGITS

CENT = Decimal("0.01")

# The rules a site may change (DOMAIN.md: defaults are settings): how time progress is
# counted and by how many points a completion rate may trail it before the entry is lagging.
MONTHS = "month"
WORKING_DAYS = "working_days"
TIME_PROGRESS_RULES = (MONTHS, WORKING_DAYS)


def lagging_margin() -> int:
    """Points below time progress beyond which a started entry is lagging (default 10)."""
    return int(settings.TIAODU_LAGGING_MARGIN)


def progress_fraction(as_of: dt.date) -> tuple[int, int]:
    """Time progress on D as elapsed ÷ whole, by the site's rule (`TIAODU_TIME_PROGRESS`):
    by month (DOMAIN.md §1's default), month(D) ÷ 12; by working days, the working days of
    D's year up to and including D ÷ all the working days of that year."""
    if settings.TIAODU_TIME_PROGRESS == WORKING_DAYS:
        first = dt.date(as_of.year, 1, 1)
        # working_days_between(a, b) counts the working days after a up to b.
        before = first - dt.timedelta(days=1)
        whole = workdays.working_days_between(before, dt.date(as_of.year, 12, 31))
        return workdays.working_days_between(before, as_of), max(whole, 1)
    return as_of.month, 12


def time_progress(as_of: dt.date) -> Decimal:
    """The share of the year elapsed on D, in percent with two places (`progress_fraction`)."""
    elapsed, whole = progress_fraction(as_of)
    return (Decimal(elapsed) * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def completion_rate(ytd: Decimal | None, plan: Decimal | None) -> Decimal | None:
    """Year-to-date completed ÷ annual plan × 100, two places, half up; None without a plan."""
    if not plan:
        return None
    return (Decimal(ytd or 0) * 100 / plan).quantize(CENT, rounding=ROUND_HALF_UP)


def lags(ytd: Decimal, plan: Decimal, as_of: dt.date) -> bool:
    """Whether amounts of a started entry lag on D: rate < progress − margin, exactly as
    `lagging` tests it in the database (no rounded rate)."""
    elapsed, whole = progress_fraction(as_of)
    factor = 100 * elapsed - lagging_margin() * whole
    if plan <= 0 or factor <= 0:
        return False
    return ytd * 100 * whole < plan * factor


# The investment of approved reports after the year-to-date figure's date, as known on D:
# an expression on AnnualPlan that the reporting app registers (a higher app; this one
# cannot import it). None until it does, and then reports add nothing.
_reported: Callable[[dt.date], Expression] | None = None


def register_reported_investment(expression: Callable[[dt.date], Expression]) -> None:
    global _reported
    _reported = expression


def ytd_completed(as_of: dt.date) -> Expression:
    """An entry's year-to-date completed investment as known on D: the ledger's figure (0 if
    stated after D) plus the approved reports of periods after its date, up to D."""
    money = DecimalField(max_digits=MONEY_DIGITS, decimal_places=2)
    ledger = Case(
        When(ytd_as_of__lte=as_of, then=F("ytd_completed")),
        default=Value(Decimal(0)),
        output_field=money,
    )
    if _reported is None:
        return ledger
    return CombinedExpression(ledger, "+", _reported(as_of), output_field=money)


# The special-bond spending the latest counting report states by D, as the reporting app
# registers it: an expression on AnnualPlan, NULL when no such report says it.
_reported_bond_spending: Callable[[dt.date], Subquery] | None = None


def register_reported_bond_funds_spent(expression: Callable[[dt.date], Subquery]) -> None:
    global _reported_bond_spending
    _reported_bond_spending = expression


def has_bond_funds() -> Q:
    """The entry has special-bond funds (专项债券资金) allotted this year."""
    return Q(bond_funds__gt=0)


def bond_funds_spent(as_of: dt.date) -> Expression:
    """An entry's special-bond funds spent in the year as known on D: the latest figure
    stated on or before D — an approved report's for a period ending by D, or the ledger's
    (as of `ytd_as_of`), whichever is later (the ledger's on the same day); 0 when neither
    states one, and 0 for an entry without bond funds (whose reports are not read)."""
    money = DecimalField(max_digits=MONEY_DIGITS, decimal_places=2)
    stated: Expression = Case(
        When(ytd_as_of__lte=as_of, then=F("bond_funds_spent")),
        default=Value(Decimal(0)),
        output_field=money,
    )
    if _reported_bond_spending is not None:
        stated = Coalesce(_reported_bond_spending(as_of), stated, output_field=money)
    return Case(When(has_bond_funds(), then=stated), default=Value(Decimal(0)), output_field=money)


def bond_funds_unspent(as_of: dt.date) -> Q:
    """Entries with special-bond funds of which less than all is spent by D (compared on
    whole cents, as `lagging` is)."""
    below = LessThan(_cents(bond_funds_spent(as_of)), _cents(F("bond_funds")))
    return has_bond_funds() & Q(below)


def new_start() -> Q:
    return Q(nature=AnnualPlanNature.NEW_START)


def reserve() -> Q:
    return Q(nature=AnnualPlanNature.RESERVE)


def started(as_of: dt.date) -> Q:
    """The project's actual start is on or before D."""
    return Q(project__actual_start__lte=as_of)


def in_statistics(as_of: dt.date) -> Q:
    """Started by D and included in the statistics on or before D."""
    return started(as_of) & Q(project__statistics_inclusion__lte=as_of)


def new_in_statistics(as_of: dt.date) -> Q:
    """Newly in the statistics in D's month: in the statistics by D (`in_statistics`) with
    an inclusion date on or after the first day of D's month."""
    return in_statistics(as_of) & Q(project__statistics_inclusion__gte=as_of.replace(day=1))


def not_in_statistics(as_of: dt.date) -> Q:
    """Started by D and not in the statistics on D: no inclusion date, or one after D."""
    return started(as_of) & (
        Q(project__statistics_inclusion__isnull=True) | Q(project__statistics_inclusion__gt=as_of)
    )


def completed_by(as_of: dt.date) -> Q:
    return Q(project__actual_completion__lte=as_of)


def completed(year: int, as_of: dt.date) -> Q:
    """Actually completed in the plan year, on or before D."""
    return Q(project__actual_completion__gte=dt.date(year, 1, 1)) & completed_by(as_of)


def expected_completion(year: int, as_of: dt.date) -> Q:
    """Planned to complete in the plan year and not completed by D."""
    return Q(planned_completion__year=year) & ~completed_by(as_of)


def should_start(as_of: dt.date) -> Q:
    """A new start whose planned start is on or before D and that has not started by D."""
    return new_start() & Q(planned_start__lte=as_of) & ~started(as_of)


def should_complete(as_of: dt.date) -> Q:
    """Planned completion on or before D and no actual completion on or before D."""
    return Q(planned_completion__lte=as_of) & ~completed_by(as_of)


def _cents(amount: Expression | F) -> Expression:
    """An amount in 万元 as a whole number of cents (a fraction of 1 万元 / 100).

    SQLite keeps decimals as floating point, so `ytd × 100w < plan × factor` on the
    amounts themselves can tip either way when the two sides are equal (a rate of exactly
    time progress − 10); on whole cents the comparison is exact on every database.
    """
    hundred = CombinedExpression(amount, "*", Value(100), output_field=DecimalField())
    return Cast(Round(hundred), BigIntegerField())


def lagging(as_of: dt.date) -> Q:
    """Started entries whose completion rate is below time progress by more than the
    margin (10 points by default).

    With time progress e ÷ w (`progress_fraction`) and margin m, rate < 100e/w − m is tested
    as ytd × 100w < (100e − mw) × plan, exactly (no rounded rate; both amounts in whole
    cents), and only where the annual plan is positive (else there is no rate).
    """
    elapsed, whole_span = progress_fraction(as_of)
    factor = 100 * elapsed - lagging_margin() * whole_span
    if factor <= 0:
        return Q(pk__in=[])
    whole = BigIntegerField()
    ytd_side = Value(100 * whole_span)
    below = LessThan(
        CombinedExpression(_cents(ytd_completed(as_of)), "*", ytd_side, output_field=whole),
        CombinedExpression(_cents(F("planned_investment")), "*", Value(factor), output_field=whole),
    )
    return started(as_of) & Q(planned_investment__gt=0) & Q(below)


# The counts that the library's `figure` filter can list, by name, with their labels.
FIGURES: dict[str, tuple[Promise, Callable[[int, dt.date], Q]]] = {
    "started": (_("Started"), lambda year, as_of: started(as_of)),
    "in_statistics": (_("In the statistics"), lambda year, as_of: in_statistics(as_of)),
    "new_in_statistics": (
        _("Newly in the statistics this month"),
        lambda year, as_of: new_in_statistics(as_of),
    ),
    "not_in_statistics": (
        _("Started, not in the statistics"),
        lambda year, as_of: not_in_statistics(as_of),
    ),
    "completed": (_("Completed"), completed),
    "expected_completion": (_("Expected to complete"), expected_completion),
    "should_start": (_("Should have started"), lambda year, as_of: should_start(as_of)),
    "should_complete": (_("Should have completed"), lambda year, as_of: should_complete(as_of)),
    "lagging": (_("Lagging behind time progress"), lambda year, as_of: lagging(as_of)),
    "bond_funds": (_("With special-bond funds"), lambda year, as_of: has_bond_funds()),
    "bond_funds_unspent": (
        _("Special-bond funds not all spent"),
        lambda year, as_of: bond_funds_unspent(as_of),
    ),
}


def figure_condition(name: str, *, year: int, as_of: dt.date) -> Q:
    """The condition of one named figure (a key of FIGURES)."""
    return FIGURES[name][1](year, as_of)


def check_rules(**kwargs: object) -> list[checks.CheckMessage]:
    """A system check: the statistics' rule settings name a rule and a sensible margin."""
    errors: list[checks.CheckMessage] = []
    if settings.TIAODU_TIME_PROGRESS not in TIME_PROGRESS_RULES:
        errors.append(
            checks.Error(
                f"TIAODU_TIME_PROGRESS is {settings.TIAODU_TIME_PROGRESS!r}.",
                hint=f"Set it to one of {', '.join(TIME_PROGRESS_RULES)}.",
                id="tiaodu.E101",
            )
        )
    if not 0 <= settings.TIAODU_LAGGING_MARGIN < 100:
        errors.append(
            checks.Error(
                f"TIAODU_LAGGING_MARGIN is {settings.TIAODU_LAGGING_MARGIN}.",
                hint="Set it to a number of points from 0 to 99 (10 by default).",
                id="tiaodu.E102",
            )
        )
    return errors
