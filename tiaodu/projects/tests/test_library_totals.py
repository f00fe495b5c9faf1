"""The library's 合计 row, kept under a stamp of what it sums (`totals.kept_totals`)."""

import datetime as dt

import pytest

from tiaodu.core import audit
from tiaodu.core.models import AuditAction
from tiaodu.projects import totals
from tiaodu.projects.models import AnnualPlan
from tiaodu.projects.selectors import plans_visible_to

AS_OF = dt.date(2026, 9, 30)


@pytest.fixture
def counted(monkeypatch):
    """How many times the totals were computed."""
    calls = []
    summed = totals.totals

    def counting(plans, as_of):
        calls.append(as_of)
        return summed(plans, as_of)

    monkeypatch.setattr(totals, "totals", counting)
    return calls


def _one_more_planned(world, plan):
    """The entry's plan raised by 1 and the change audited, as a service does."""
    AnnualPlan.objects.filter(pk=plan.pk).update(planned_investment=plan.planned_investment + 1)
    audit.record(
        actor=world.alice,
        action=AuditAction.UPDATE,
        instance=plan,
        changes={"planned_investment": ["", "1"]},
    )


def test_the_kept_totals_are_the_totals_until_something_changes(world, counted, settings):
    settings.TIAODU_FIGURES_CACHE_SECONDS = 300
    plans = plans_visible_to(world.alice).filter(year=2026)
    first = totals.kept_totals(world.alice, plans, AS_OF)
    assert first == totals.totals(totals.with_progress(plans, AS_OF), AS_OF)
    assert first["count"] == plans.count() > 0
    assert totals.kept_totals(world.alice, plans, AS_OF) == first
    assert len(counted) == 2  # the kept one, and the comparison's
    # Another filter, another reader, another day: each summed apart.
    totals.kept_totals(world.alice, plans.filter(nature="new_start"), AS_OF)
    totals.kept_totals(world.dora, plans_visible_to(world.dora).filter(year=2026), AS_OF)
    totals.kept_totals(world.alice, plans, dt.date(2026, 10, 31))
    assert len(counted) == 5
    # A change through a service (audited) moves the stamp: summed afresh.
    plan = plans.first()
    assert plan is not None
    _one_more_planned(world, plan)
    again = totals.kept_totals(world.alice, plans, AS_OF)
    assert len(counted) == 6
    assert again["planned_investment"] == first["planned_investment"] + 1


def test_not_kept_when_the_cache_time_is_zero(world, counted, settings):
    settings.TIAODU_FIGURES_CACHE_SECONDS = 0
    plans = plans_visible_to(world.alice).filter(year=2026)
    totals.kept_totals(world.alice, plans, AS_OF)
    totals.kept_totals(world.alice, plans, AS_OF)
    assert len(counted) == 2


def test_after_a_change_the_page_shows_the_kept_totals_while_a_worker_sums_again(
    world, client, settings, django_capture_on_commit_callbacks
):
    """The library's page passes its query: after a change it shows the kept 合计, says
    when it is of, and the refresh (the same filters rebuilt from the query, as a worker
    does) sums the new one, which the next load shows."""
    from django.urls import reverse

    from tiaodu.testing import PASSWORD

    settings.TIAODU_FIGURES_CACHE_SECONDS = 300
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.login(username=world.alice.username, password=PASSWORD)
    address = reverse("projects:list") + "?year=2026&nature=new_start"
    first = client.get(address).context["table"].totals
    plan = AnnualPlan.objects.filter(year=2026, nature="new_start").first()
    assert plan is not None
    _one_more_planned(world, plan)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        kept = client.get(address)
    assert kept.context["table"].totals == first
    assert "本页部分数字截至" in kept.content.decode()
    assert queued == []  # summed by this process once the page was sent (memory cache)
    again = client.get(address)
    assert again.context["table"].totals["planned_investment"] == first["planned_investment"] + 1
    assert "本页部分数字截至" not in again.content.decode()
