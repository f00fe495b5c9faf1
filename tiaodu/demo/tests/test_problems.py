"""The demo's problem ledger and supervision notices (`load_demo`'s problems and notices
parts): every state, a timeline that reads in order, numbers without gaps, work waiting for
the demo's reporter and handler, and the figure set counting them."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tiaodu.accounts.models import User
from tiaodu.analytics.figures import figure_set
from tiaodu.core.models import AuditEvent
from tiaodu.problems.choices import OPEN_STATUSES, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.problems.selectors import handler_inbox
from tiaodu.supervision.notices.choices import NoticeKind, NoticeStatus
from tiaodu.supervision.notices.models import Notice
from tiaodu.supervision.notices.selectors import notices_visible_to
from tiaodu.testing import rolled_back

AS_OF = dt.date(2026, 11, 22)


# The tests only read the demo: one load serves them all, in one test process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-problems")]


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo without its reports, loaded once for the module and rolled back after it."""
    out = StringIO()
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), rolled_back(), override_settings(MEDIA_ROOT=media):
        with translation.override("en"):
            call_command(
                "load_demo", "--projects", "40", "--year", "2026", "--as-of", AS_OF.isoformat(),
                "--without", "reports", stdout=out,
            )  # fmt: skip
        yield out.getvalue()


def test_problems_in_every_state_with_their_timeline(demo: str) -> None:
    problems = Problem.objects.all()
    assert set(problems.values_list("status", flat=True)) == set(ProblemStatus.values)
    assert "Problem ledger:" in demo
    today_end = dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    for problem in problems:
        events = list(
            AuditEvent.objects.filter(
                object_type="problems.problem", object_id=str(problem.pk)
            ).order_by("at", "id")
        )
        assert events[0].action == "create"
        assert events[0].at == problem.raised_at
        assert all(event.at < today_end for event in events)
        # The last status in the log is the problem's status.
        statuses = [e.changes["status"][1] for e in events if "status" in e.changes]
        assert statuses[-1] == problem.get_status_display()
        if problem.status != ProblemStatus.REPORTED:
            assert problem.assigned_department is not None and problem.deadline is not None
            assert problem.assigned_at is not None and problem.assigned_at >= problem.raised_at
        if problem.status == ProblemStatus.CLOSED:
            assert problem.resolved_at is not None and problem.closed_at is not None
            assert problem.raised_at <= problem.resolved_at <= problem.closed_at


def test_some_open_problems_are_overdue_and_the_handler_has_work(demo: str) -> None:
    overdue = Problem.objects.filter(status__in=OPEN_STATUSES, deadline__lt=AS_OF)
    assert overdue.exists()
    handler = User.objects.get(username="handler")
    assert handler_inbox(handler, AS_OF).exists()


def test_notices_of_every_kind_numbered_without_gaps(demo: str) -> None:
    notices = Notice.objects.all()
    assert set(notices.values_list("kind", flat=True)) == set(NoticeKind.values)
    assert set(notices.values_list("status", flat=True)) == set(NoticeStatus.values)
    numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for notice in notices.order_by("issued_at"):
        numbers[(notice.kind, notice.year)].append(notice.number)
        assert notice.projects.exists()
        if notice.status == NoticeStatus.ANSWERED:
            assert notice.responses.exists()
    for issued in numbers.values():
        assert issued == list(range(1, len(issued) + 1))
    for notice in notices.filter(kind=NoticeKind.WARNING_LETTER):
        assert notice.sponsoring_leader is not None


def test_the_reporter_has_a_notice_to_answer(demo: str) -> None:
    reporter = User.objects.get(username="reporter")
    waiting = notices_visible_to(reporter).filter(status=NoticeStatus.ISSUED)
    assert waiting.exists()


def test_the_figure_set_counts_the_demo(demo: str) -> None:
    dispatcher = User.objects.get(username="dispatcher")
    data = figure_set(actor=dispatcher, year=2026, as_of=AS_OF)
    # Open: neither resolved nor closed (the ledger's "open"), as the ledger counts today.
    still_open = Problem.objects.filter(status__in=OPEN_STATUSES)
    assert data["problems"]["open"] == still_open.count()
    assert data["notices"]["issued"] == Notice.objects.filter(year=2026).count()
    assert sum(data["notices"]["by_kind"].values()) == data["notices"]["issued"]
    kinds = Counter(Notice.objects.values_list("kind", flat=True))
    assert data["notices"]["by_kind"] == {kind: kinds[kind] for kind in NoticeKind.values}


def test_a_round_of_inspections_under_way(demo: str) -> None:
    from tiaodu.problems.choices import ProblemSource
    from tiaodu.supervision.rounds.choices import RoundKind, RoundStatus
    from tiaodu.supervision.rounds.models import FieldRound, SiteVisit

    field_round = FieldRound.objects.get()
    assert (field_round.kind, field_round.status) == (RoundKind.INSPECTION, RoundStatus.UNDER_WAY)
    assert field_round.groups.count() == 3
    visits = SiteVisit.objects.filter(round=field_round)
    assert visits.exists()
    assert all(visit.score is not None and visit.photos.exists() for visit in visits)
    raised = Problem.objects.filter(source=ProblemSource.FIELD_ROUND)
    assert "Field round:" in demo
    assert f"{raised.count()} findings raised as problems" in demo


def test_a_consultation_and_a_joint_meeting_decided_on_open_problems(demo: str) -> None:
    from tiaodu.supervision.meetings.choices import MeetingKind
    from tiaodu.supervision.meetings.models import Meeting, MeetingDecision

    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert kinds == set(MeetingKind.values)
    decisions = MeetingDecision.objects.select_related("problem")
    assert decisions.exists()
    assert all(d.problem.assigned_department is not None for d in decisions)
