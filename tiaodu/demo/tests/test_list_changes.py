"""The list changes of the demo's running 百日会战 (`load_demo`'s list_changes part): a
replacement the leader approved, one the leader refused and a promotion, made through the
services at their moments; the lists change from the approval on, the figures of the days
before keep the outgoing entry, and the campaign's recorded days read the lists of their
day."""

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from tiaodu.analytics.figures import WHOLE_SITE, figure_set
from tiaodu.campaigns import candidates
from tiaodu.campaigns.attainment import campaign_plans, target_plans, value_of
from tiaodu.campaigns.models import Campaign, ListChange
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.core.workdays import is_working_day
from tiaodu.demo.list_changes import PROMOTED_AT, REFUSED_AT, REPLACED_AT, moment
from tiaodu.projects import lists as key_lists
from tiaodu.projects.models import AnnualPlan, KeyProjectList, ListMembership
from tiaodu.testing import rolled_back

AS_OF = dt.date(2026, 12, 6)

# The tests only read the demo: one load serves them all, in one test process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-list-changes")]


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo without its reports, loaded once for the module and rolled back after it:
    a hundred projects, so that the late starts have candidates of comparable investment
    (the neighbours' forty leave too few new starts off the list)."""
    out = StringIO()
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), rolled_back(), override_settings(MEDIA_ROOT=media):
        with translation.override("en"):
            call_command(
                "load_demo", "--projects", "100", "--year", "2026", "--as-of", AS_OF.isoformat(),
                "--without", "reports", stdout=out,
            )  # fmt: skip
        yield out.getvalue()


def test_the_changes_fall_on_working_days_within_the_campaign_before_the_demos_date() -> None:
    campaign = Campaign(start=dt.date(2026, 9, 2), end=dt.date(2026, 12, 10))
    rng = random.Random(1)
    moments = [moment(rng, campaign, AS_OF, at) for at in (REPLACED_AT, REFUSED_AT, PROMOTED_AT)]
    days = [day for when in moments for day in (when.proposed, when.decided)]
    assert days == sorted(set(days))
    assert campaign.start < days[0] and days[-1] < AS_OF
    assert all(is_working_day(day) for day in days)


def the_list(name: str) -> KeyProjectList:
    return KeyProjectList.objects.get(year=2026, name=name)


def on_list(name: str, day: dt.date) -> set[int]:
    ids = key_lists.plan_ids_on(day, [the_list(name).pk])
    return set(ids.values_list("annual_plan_id", flat=True))


def local_day(moment: dt.datetime | None) -> dt.date:
    assert moment is not None
    return timezone.localdate(moment)


def the_changes() -> tuple[ListChange, ListChange, ListChange]:
    approved, refused, promoted = ListChange.objects.order_by("created_at").select_related(
        "outgoing__project", "incoming__project", "proposed_by", "decided_by", "campaign"
    )
    return approved, refused, promoted


def test_two_replacements_and_a_promotion_in_this_years_campaign(demo: str) -> None:
    approved, refused, promoted = the_changes()
    campaign = Campaign.objects.get(year=2026)
    assert [(c.kind, c.status) for c in (approved, refused, promoted)] == [
        ("replace", "approved"), ("replace", "refused"), ("promote", "approved"),
    ]  # fmt: skip
    assert [c.proposed_by.username for c in (approved, refused, promoted)] == [
        "dispatcher", "district", "dispatcher",
    ]  # fmt: skip
    for change in (approved, refused, promoted):
        assert change.campaign == campaign
        assert change.decided_by is not None and change.decided_by.username == "leader"
        assert change.reason and change.decision_note
        # Proposed, then decided a working day or two later, within the campaign, before today.
        proposed, decided = local_day(change.created_at), local_day(change.decided_at)
        assert campaign.start <= proposed < decided < AS_OF <= campaign.end
        assert (decided - proposed).days <= 4
        # Both projects' history shows the proposal and the decision, at their moments.
        events = AuditEvent.objects.filter(
            object_type="campaigns.listchange", object_id=str(change.pk)
        )
        assert sorted({event.at for event in events}) == [change.created_at, change.decided_at]
    assert approved.effective == local_day(approved.decided_at)
    assert promoted.effective == local_day(promoted.decided_at)
    assert refused.effective is None
    assert refused.outgoing.project.region.name == "黄岛区"
    assert refused.incoming is not None and refused.incoming.project.region.name == "黄岛区"
    assert approved.incoming is not None
    line = next(text for text in demo.splitlines() if text.startswith("List changes in "))
    assert line == (
        f"List changes in {campaign.name}: "
        f"{approved.incoming.project.name} in place of {approved.outgoing.project.name} "
        f"on “市重点项目”, approved on {approved.effective}；"
        f"{refused.incoming.project.name} in place of {refused.outgoing.project.name} "
        f"on “市重点项目”, refused on {local_day(refused.decided_at)}；"
        f"{promoted.outgoing.project.name} from “市重点项目” onto “省重点项目”, "
        f"approved on {promoted.effective}"
    )


def test_the_approved_replacement_took_a_late_start_off_for_the_readiest_candidate(
    demo: str,
) -> None:
    approved, _refused, _promoted = the_changes()
    outgoing, incoming, day = approved.outgoing, approved.incoming, approved.effective
    assert incoming is not None and day is not None
    proposed = local_day(approved.created_at)
    # A new start that should have started by the proposal and had not: it held back the
    # start rate of the campaign.
    assert outgoing.nature == "new_start" and outgoing.level == "municipal"
    assert outgoing.planned_start is not None and outgoing.planned_start <= proposed
    assert outgoing.project.actual_start is None or outgoing.project.actual_start > proposed
    with clock.frozen(proposed):
        offered = candidates.candidates(approved.proposed_by, outgoing, the_list("市重点项目"))
    assert offered[0].plan == incoming
    # Off the list from the day of the approval, the incoming entry on.
    out = ListMembership.objects.get(annual_plan=outgoing, key_project_list__name="市重点项目")
    assert (out.start, out.end) == (dt.date(2026, 1, 1), day)
    new = ListMembership.objects.get(annual_plan=incoming, key_project_list__name="市重点项目")
    assert (new.start, new.end) == (day, None)
    before = day - dt.timedelta(days=1)
    assert outgoing.pk in on_list("市重点项目", before) - on_list("市重点项目", day)
    assert incoming.pk in on_list("市重点项目", day) - on_list("市重点项目", before)


def test_the_figures_of_the_day_before_the_approval_count_the_outgoing_entry(demo: str) -> None:
    approved, _refused, _promoted = the_changes()
    outgoing, incoming, day = approved.outgoing, approved.incoming, approved.effective
    assert incoming is not None and day is not None
    before = day - dt.timedelta(days=1)

    def figures(as_of: dt.date) -> dict[str, Any]:
        return figure_set(actor=WHOLE_SITE, year=2026, as_of=as_of, key_list="市重点项目")

    then, now = figures(before), figures(day)
    assert then["projects"] == now["projects"] == len(on_list("市重点项目", before))
    assert Decimal(then["total_investment"]) - Decimal(now["total_investment"]) == (
        outgoing.project.total_investment - incoming.project.total_investment
    )
    incoming_new_start = int(incoming.nature == "new_start")
    assert then["new_start"]["planned"] - now["new_start"]["planned"] == 1 - incoming_new_start
    # The campaign covered the outgoing entry until the approval, the incoming one since.
    campaign = Campaign.objects.get(year=2026)
    assert outgoing in campaign_plans(campaign, before)
    assert outgoing not in campaign_plans(campaign, day)
    assert incoming in campaign_plans(campaign, day)
    assert incoming not in campaign_plans(campaign, before)


def test_the_campaigns_recorded_days_read_the_lists_of_their_day(demo: str) -> None:
    campaign = Campaign.objects.get(year=2026)
    approved, _refused, _promoted = the_changes()
    assert approved.effective is not None
    days = list(campaign.days.order_by("day"))
    assert any(record.day >= approved.effective for record in days)
    targets = list(campaign.targets.select_related("subset_list"))
    for record in days:
        plans = campaign_plans(campaign, record.day)
        expected = {
            str(target.pk): value_of(
                target.indicator, target_plans(target, plans, record.day), 2026, record.day
            )
            for target in targets
        }
        assert record.values == expected, record.day


def test_the_refused_replacement_and_the_promotion_leave_the_lists_as_decided(
    demo: str,
) -> None:
    _approved, refused, promoted = the_changes()
    assert refused.incoming is not None and promoted.effective is not None
    # Refused: the lists as they were.
    assert refused.outgoing.pk in on_list("市重点项目", AS_OF)
    assert refused.incoming.pk not in on_list("市重点项目", AS_OF)
    # Promoted: a municipal key project, on the provincial list from the approval on.
    day, before = promoted.effective, promoted.effective - dt.timedelta(days=1)
    assert promoted.to_list == the_list("省重点项目")
    plan = AnnualPlan.objects.get(pk=promoted.outgoing.pk)
    assert plan.level == "municipal"
    assert [item.name for item in plan.current_lists if "重点" in item.name] == ["省重点项目"]
    assert plan.pk in on_list("市重点项目", before) - on_list("省重点项目", before)
    assert plan.pk in on_list("省重点项目", day) - on_list("市重点项目", day)
