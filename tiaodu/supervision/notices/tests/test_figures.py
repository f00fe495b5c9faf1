"""The figure set's `notices` key (DOMAIN.md §4): issued, answered, overdue and by kind, for
the year up to the as-of date, as the actor may see them."""

import datetime as dt
from typing import Any

import pytest
import time_machine

from tiaodu.analytics.figures import figure_set
from tiaodu.supervision.notices import services
from tiaodu.supervision.notices.choices import NoticeKind
from tiaodu.supervision.notices.tests.conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(world: Any) -> Any:
    """On 5 November alice issues a supervision order (answer due 12 November) and a reminder
    (due 19 November) to unit A about p1 and p6, and a reminder to unit B about p3; unit A
    answers the order on 6 November."""
    world.order = issue(world)
    world.reminder = issue(world, kind=NoticeKind.REMINDER)
    world.reminder_b = issue(
        world,
        kind=NoticeKind.REMINDER,
        recipient_unit=world.unit_b,
        projects=[world.projects["p3"]],
    )
    with time_machine.travel(dt.datetime(2026, 11, 6, 2, tzinfo=dt.UTC), tick=False):
        services.respond(
            actor=world.rita, notice=world.order, text="已收到。", rectification_plan="月底前整改。"
        )
    return world


def notices_as_of(actor: Any, day: dt.date, **scope: Any) -> dict[str, Any]:
    return figure_set(actor=actor, year=2026, as_of=day, **scope)["notices"]


def test_the_city_at_the_end_of_november(notices: Any) -> None:
    assert notices_as_of(notices.alice, dt.date(2026, 11, 30)) == {
        "issued": 3,
        "answered": 1,
        "overdue": 2,
        "by_kind": {
            "reminder": 2,
            "supervision_order": 1,
            "warning_letter": 0,
            "interview": 0,
        },
    }


def test_on_the_day_of_issue_nothing_is_answered_or_overdue(notices: Any) -> None:
    data = notices_as_of(notices.alice, dt.date(2026, 11, 5))
    assert (data["issued"], data["answered"], data["overdue"]) == (3, 0, 0)


def test_before_the_first_notice_everything_is_zero(notices: Any) -> None:
    data = notices_as_of(notices.alice, dt.date(2026, 11, 4))
    assert (data["issued"], data["answered"], data["overdue"]) == (0, 0, 0)
    assert set(data["by_kind"].values()) == {0}


def test_a_closed_notice_is_not_overdue(notices: Any) -> None:
    services.close_notice(actor=notices.alice, notice=notices.reminder)
    data = notices_as_of(notices.alice, dt.date(2026, 11, 30))
    assert (data["issued"], data["overdue"]) == (3, 1)


def test_a_notice_about_two_projects_counts_once_and_scopes_apply(notices: Any) -> None:
    # Unit A sees the two notices addressed to it; the 崂山区 scope holds only p3's reminder.
    assert notices_as_of(notices.rita, dt.date(2026, 11, 30))["issued"] == 2
    laoshan = notices_as_of(notices.alice, dt.date(2026, 11, 30), region="370212")
    assert (laoshan["issued"], laoshan["overdue"]) == (1, 1)
