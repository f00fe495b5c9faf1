"""The whole demo agrees with itself: the demo accounts open the site to unread
notifications, the ledger's year-to-date figure is what the approved reports up to its date
add up to, and no report says a procedure is pending on a project whose checklist is done."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from tiaodu.accounts.models import User
from tiaodu.campaigns.attainment import attainment
from tiaodu.campaigns.choices import Indicator
from tiaodu.campaigns.models import Campaign
from tiaodu.core.notifications import unread_count
from tiaodu.demo.reports.texts import PROCEDURE_TEXTS
from tiaodu.demo.tests.conftest import DECEMBER, demo_loaded
from tiaodu.projects.choices import ProcedureStatus
from tiaodu.projects.models import AnnualPlan, Procedure
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.models import Report
from tiaodu.supervision.instructions.choices import InstructionStatus
from tiaodu.supervision.instructions.models import Instruction

AS_OF = dt.date(2026, 12, 6)

# It only reads the demo: the load the evaluation's and the targets' tests read too
# (conftest.py).
pytestmark = pytest.mark.xdist_group("demo-december")


@pytest.mark.django_db
def test_the_whole_demo_agrees_with_itself(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every check over all of one load (the group's, conftest.py)."""
    with demo_loaded(tmp_path_factory, *DECEMBER):
        the_demo_accounts_have_unread_notifications()
        the_ledger_figure_is_what_the_approved_reports_add_up_to()
        no_report_says_a_procedure_is_pending_on_a_project_whose_checklist_is_done()
        the_special_bond_spending_follows_one_course()
        the_running_campaigns_funds_target_is_partly_met()
        the_leaders_instructions_stand_in_each_state()


def the_demo_accounts_have_unread_notifications() -> None:
    for username in ("reporter", "handler", "district"):
        assert unread_count(User.objects.get(username=username)) > 0, username


def the_ledger_figure_is_what_the_approved_reports_add_up_to() -> None:
    checked = 0
    for plan in AnnualPlan.objects.exclude(ytd_as_of=None):
        assert plan.ytd_as_of is not None
        covered = Report.objects.filter(
            plan=plan, period__end__lte=plan.ytd_as_of, period__end__year=plan.year
        )
        if not covered.exists():
            continue  # a figure of the ledger alone: no report claims it
        checked += 1
        # Every report up to the ledger's date was approved, and they add up to its figure.
        assert not covered.filter(is_current=True).exclude(status=ReportStatus.APPROVED).exists()
        current = covered.filter(is_current=True)
        total = current.aggregate(total=Sum("investment"))["total"] or Decimal(0)
        assert total == plan.ytd_completed, (plan.pk, plan.year)
    assert checked > 0


def no_report_says_a_procedure_is_pending_on_a_project_whose_checklist_is_done() -> None:
    pending = Procedure.objects.filter(
        status__in=(ProcedureStatus.PENDING, ProcedureStatus.IN_PROGRESS)
    ).values("project_id")
    done = Report.objects.exclude(project__in=pending)
    assert done.exists()
    saying = Q()
    for text in PROCEDURE_TEXTS:
        stem = text.split("{")[0]
        saying |= (
            Q(physical_progress__contains=stem)
            | Q(next_plan__contains=stem)
            | Q(new_problems__contains=stem)
        )
    assert not done.filter(saying).exists()
    assert Report.objects.filter(project__in=pending).filter(saying).exists()


def the_special_bond_spending_follows_one_course() -> None:
    """An entry with special-bond funds states its spending in every report, never less than
    before, within the funds, and up to the ledger's date no more than the ledger says; an
    entry without funds states none."""
    assert not Report.objects.filter(plan__bond_funds=0).exclude(bond_funds_spent=None).exists()
    bonded = AnnualPlan.objects.filter(bond_funds__gt=0)
    assert bonded.exists()
    for plan in bonded:
        stated = list(
            Report.objects.filter(plan=plan, is_current=True)
            .order_by("period__end")
            .values_list("period__end", "bond_funds_spent")
        )
        amounts = [spent for _end, spent in stated if spent is not None]
        assert len(amounts) == len(stated), plan.pk
        assert amounts == sorted(amounts) and all(a <= plan.bond_funds for a in amounts)
        if plan.ytd_as_of is not None:
            covered = [spent for end, spent in stated if end <= plan.ytd_as_of]
            assert all(spent is not None and spent <= plan.bond_funds_spent for spent in covered)


def the_running_campaigns_funds_target_is_partly_met() -> None:
    campaign = Campaign.objects.get(year=AS_OF.year)
    found = attainment(campaign, AS_OF)
    (funds,) = [t for t in found.targets if t.target.indicator == Indicator.FUNDS_SPENT_RATE]
    assert funds.overall.value is not None and not funds.overall.met
    assert 0 < Decimal(funds.overall.value) < 100


def the_leaders_instructions_stand_in_each_state() -> None:
    """Written through the services at past moments: closed, answered, waiting, overdue."""
    statuses = set(Instruction.objects.values_list("status", flat=True))
    assert statuses == set(InstructionStatus.values)
    overdue = [i for i in Instruction.objects.all() if i.is_overdue(AS_OF)]
    assert len(overdue) >= 1
    sent_back = Instruction.objects.filter(entries__kind="send_back")
    assert sent_back.filter(status=InstructionStatus.ANSWERED).exists()
    assert Instruction.objects.filter(leader__username="leader").exists()
