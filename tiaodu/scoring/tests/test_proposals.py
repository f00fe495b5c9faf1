"""The supervision ladder (DOMAIN.md §7): what the cards and the day's facts propose, and a
dispatcher issuing a proposal through the notice form or dismissing it. Nothing is issued
without a person; a proposal is made once a month."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tiaodu.accounts.models import Person
from tiaodu.core import audit, clock
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.workdays import add_working_days
from tiaodu.problems.choices import ProblemStatus
from tiaodu.projects.models import Project
from tiaodu.scoring import proposals
from tiaodu.scoring.choices import ProposalStatus
from tiaodu.scoring.models import Card, Proposal, RuleSet
from tiaodu.supervision.notices import services as notice_services
from tiaodu.supervision.notices.models import Notice
from tiaodu.testing import PERSONAS, assert_nothing_written, problem_in

NOV = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 12, 14)


def card(world: Any, key: str, month: dt.date, colour: str, revised: str = "") -> Card:
    return Card.objects.create(
        plan=world.plans[key],
        project=world.projects[key],
        month=month,
        rule_set=RuleSet.objects.get(version=1),
        colour=colour,
        revised_colour=revised,
        score=Decimal("40.0"),
        computed_at=clock.aware(month),
    )


def months(*numbers: int) -> list[dt.date]:
    return [dt.date(2026, number, 1) for number in numbers]


def warning_letter(world: Any, key: str, on: dt.date) -> Notice:
    with clock.frozen(on):
        return notice_services.issue_notice(
            actor=world.alice,
            kind="warning_letter",
            recipient_unit=world.housing_bureau,
            projects=[world.projects[key]],
            subject="进度滞后",
            body="连续红牌。",
            sponsoring_leader=Person.objects.get(user=world.leo),
        )


def test_the_monthly_ladder_follows_runs_of_red_cards(world: Any) -> None:
    for month in months(9, 10, 11):
        card(world, "p1", month, "red")  # three in a row: a warning letter
        card(world, "p4", month, "red")  # three, after a warning letter: an interview
    card(world, "p2", NOV, "red")  # the first: a reminder
    for month in months(10, 11):
        card(world, "p3", month, "red")  # two in a row: a supervision order
    card(world, "p5", dt.date(2026, 9, 1), "red")  # red, then not: nothing
    card(world, "p5", NOV, "blue")
    card(world, "p6", NOV, "red", revised="yellow")  # revised on appeal: nothing
    # The letter went to 市住建局, here in charge of p4 (a notice names only projects
    # within its recipient's reach).
    Project.objects.filter(pk=world.projects["p4"].pk).update(responsible_unit=world.housing_bureau)
    warning_letter(world, "p4", dt.date(2026, 10, 20))
    with clock.frozen(TODAY):
        made = proposals.propose_for_month(NOV)
    kinds = {proposal.project_id: proposal.kind for proposal in made}
    names = {project.pk: key for key, project in world.projects.items()}
    assert {names[pk]: kind for pk, kind in kinds.items()} == {
        "p1": "warning_letter",
        "p2": "reminder",
        "p3": "supervision_order",
        "p4": "interview",
    }
    p1 = next(p for p in made if p.project_id == world.projects["p1"].pk)
    assert "3" in p1.reason and p1.basis == {"red_months": ["2026-09", "2026-10", "2026-11"]}
    assert all(p.status == ProposalStatus.OPEN and p.notice is None for p in made)
    # Made once a month: proposing again adds nothing.
    with clock.frozen(TODAY), assert_nothing_written(Proposal):
        assert proposals.propose_for_month(NOV) == []


def test_the_ladders_rows_are_what_its_instances_would_write(world: Any) -> None:
    """The monthly ladder makes its proposals without a project instance each and their
    audit events as values: each proposal reads back valid, addressed as `_recipient` says,
    and its event is what `audit.build_event` makes of the proposal and its project."""
    for month in months(9, 10, 11):
        card(world, "p1", month, "red")
    card(world, "p2", NOV, "red")
    for month in months(10, 11):
        card(world, "p3", month, "red")
    Project.objects.filter(pk=world.projects["p2"].pk).update(responsible_unit=world.unit_b)
    with clock.frozen(TODAY):
        made = proposals.propose_for_month(NOV)
    assert len(made) == 3
    for proposal in made:
        saved = Proposal.objects.select_related("project").get(pk=proposal.pk)
        saved.full_clean(exclude=["project", "recipient_unit", "notice"])
        assert saved.recipient_unit == proposals._recipient(saved.project)
        assert (saved.kind, saved.reason, saved.basis) == (
            proposal.kind,
            proposal.reason,
            proposal.basis,
        )
        event = AuditEvent.objects.get(object_type="scoring.proposal", object_id=str(saved.pk))
        with clock.frozen(TODAY):
            expected = audit.build_event(
                actor=None,
                action=AuditAction.CREATE,
                instance=saved,
                parent=saved.project,
                changes={"reason": ["", saved.reason]},
            )
        names = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname != "id"]
        assert {n: getattr(event, n) for n in names} == {n: getattr(expected, n) for n in names}
    assert Proposal.objects.get(project=world.projects["p2"]).recipient_unit == world.unit_b


def test_each_distinct_proposal_is_checked_as_full_clean_checks_it(world: Any) -> None:
    project = world.projects["p1"]

    def proposal(kind: str, reason: str) -> Proposal:
        return Proposal(
            month=NOV, kind=kind, project=project, reason=reason, basis={"red_months": ["2026-11"]}
        )

    proposals._check([proposal("reminder", "首次红牌"), proposal("reminder", "首次红牌")])
    with pytest.raises(ValidationError) as refused:
        proposals._check([proposal("reminder", "首次红牌"), proposal("reminder", "")])
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        proposals._check([proposal("reminder", "首次红牌"), proposal("telegram", "首次红牌")])
    assert "kind" in refused.value.message_dict


def test_daily_proposals_from_overdue_problems(world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED, today=dt.date(2026, 11, 2))
    assert problem.deadline is not None
    nine = add_working_days(problem.deadline, 9)
    with clock.frozen(nine), assert_nothing_written(Proposal):
        assert proposals.propose_for_day(nine) == []
    ten = add_working_days(problem.deadline, 10)
    with clock.frozen(ten):
        (made,) = proposals.propose_for_day(ten)
        assert proposals.propose_for_day(ten) == []
    assert made.kind == "supervision_order" and made.project == world.projects["p1"]
    assert made.recipient_unit == world.housing_bureau and made.basis == {"problem": problem.pk}


def test_a_proposal_from_an_overdue_problem_issues_to_its_department(world: Any) -> None:
    """The proposal's project is its recipient's by construction: p1 is within 市住建局's
    reach through the problem assigned to it, so the notice names it."""
    problem_in(world, ProblemStatus.ASSIGNED, today=dt.date(2026, 11, 2))
    day = dt.date(2026, 11, 30)
    with clock.frozen(day):
        (proposal,) = proposals.propose_for_day(day)
        assert proposal.recipient_unit == world.housing_bureau
        notice = proposals.issue_from_proposal(
            actor=world.dora,
            proposal=proposal,
            **{
                **proposals.notice_initial(proposal),
                "recipient_unit": proposal.recipient_unit,
                "projects": [proposal.project],
                "sponsoring_leader": None,
                "response_deadline": dt.date(2026, 12, 7),
            },
        )
    assert list(notice.projects.all()) == [world.projects["p1"]]
    assert notice.recipient_unit == world.housing_bureau
    assert Proposal.objects.get().notice == notice


def test_daily_proposals_from_unanswered_notices(world: Any) -> None:
    with clock.frozen(dt.date(2026, 11, 2)):
        reminder = notice_services.issue_notice(
            actor=world.alice,
            kind="reminder",
            recipient_unit=world.unit_a,
            projects=[world.projects["p6"]],
            subject="报送滞后",
            body="请按期报送。",
            response_deadline=dt.date(2026, 11, 9),
        )
    with clock.frozen(dt.date(2026, 11, 9)):
        assert proposals.propose_for_day(dt.date(2026, 11, 9)) == []
    with clock.frozen(dt.date(2026, 11, 10)):
        (made,) = proposals.propose_for_day(dt.date(2026, 11, 10))
    assert (made.kind, made.recipient_unit, made.basis) == (
        "supervision_order",
        world.unit_a,
        {"notice": reminder.pk},
    )


def test_a_dispatcher_issues_a_proposal_through_the_notice_form(world: Any) -> None:
    card(world, "p1", NOV, "red")
    with clock.frozen(TODAY):
        (proposal,) = proposals.propose_for_month(NOV)
    client = Client()
    client.force_login(world.dora)
    with clock.frozen(TODAY):
        page = client.get(reverse("scoring:proposal_issue", args=[proposal.pk]))
        assert page.status_code == 200
        form = page.context["form"]
        assert form.initial["kind"] == "reminder"
        assert form.initial["projects"] == [world.projects["p1"].pk]
        assert form.initial["recipient_unit"] == world.unit_a.pk
        assert proposal.reason in page.content.decode()
        fields = {
            "kind": "reminder",
            "recipient_unit": world.unit_a.pk,
            "projects": [world.projects["p1"].pk],
            "subject": world.projects["p1"].name,
            "body": proposal.reason,
            "requirements": "",
            "response_deadline": "2026-12-21",
        }
        url = reverse("scoring:proposal_issue", args=[proposal.pk])
        # 签发 shows the notice as it will be issued, and writes nothing.
        with assert_nothing_written(Proposal, Notice):
            preview = client.post(url, fields)
        assert preview.status_code == 200
        assert 'data-testid="notice-preview"' in preview.content.decode()
        assert proposal.reason in preview.context["document"]
        # 返回修改 goes back to the form, as filled in.
        with assert_nothing_written(Proposal, Notice):
            back = client.post(url, {**fields, "edit": "1"})
        assert back.templates[0].name == "scoring/proposal_issue.html"
        assert back.context["form"]["subject"].value() == world.projects["p1"].name
        response = client.post(url, {**fields, "confirm": "1"})
    proposal.refresh_from_db()
    assert response.status_code == 302
    assert proposal.status == ProposalStatus.ISSUED and proposal.decided_by == world.dora
    assert proposal.notice is not None and proposal.notice.kind == "reminder"
    assert list(proposal.notice.projects.all()) == [world.projects["p1"]]
    # The notice's page says which proposal it was issued from.
    notice_page = client.get(reverse("supervision:notice", args=[proposal.notice.pk]))
    assert "首次红牌" in notice_page.content.decode()
    assert notice_page.context["origins"][0].text.startswith("2026-11 · 首次红牌")
    # Decided: it cannot be issued twice.
    assert client.get(reverse("scoring:proposal_issue", args=[proposal.pk])).status_code == 404


def test_dismissing_needs_a_reason(world: Any) -> None:
    card(world, "p1", NOV, "red")
    with clock.frozen(TODAY):
        (proposal,) = proposals.propose_for_month(NOV)
        with assert_nothing_written(Proposal), pytest.raises(ValidationError):
            proposals.dismiss_proposal(actor=world.alice, proposal=proposal, reason="  ")
        with pytest.raises(PermissionDenied):
            proposals.dismiss_proposal(actor=world.lena, proposal=proposal, reason="已整改")
        proposals.dismiss_proposal(actor=world.alice, proposal=proposal, reason="已整改到位")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    assert proposal.dismissal_reason == "已整改到位" and proposal.notice is None
    with pytest.raises(ValidationError):
        proposals.dismiss_proposal(actor=world.alice, proposal=proposal, reason="再次")


def test_the_queue_is_the_dispatchers_of_the_projects_region(world: Any) -> None:
    card(world, "p1", NOV, "red")  # 黄岛区
    card(world, "p3", NOV, "red")  # 崂山区
    with clock.frozen(TODAY):
        made = {p.project_id: p for p in proposals.propose_for_month(NOV)}
    laoshan = made[world.projects["p3"].pk]
    for name in PERSONAS:
        client = Client()
        client.force_login(world.users[name])
        listing = client.get(reverse("scoring:proposals"))
        issue = client.get(reverse("scoring:proposal_issue", args=[laoshan.pk]))
        if name == "alice":
            assert listing.status_code == 200 and issue.status_code == 200
            assert len(listing.context["page"].object_list) == 2
        elif name == "dora":
            assert listing.status_code == 200 and issue.status_code == 404
            assert [p.project for p in listing.context["page"].object_list] == [
                world.projects["p1"]
            ]
        else:
            assert listing.status_code == 404 and issue.status_code == 404, name
        dismissed = client.post(
            reverse("scoring:proposal_dismiss", args=[laoshan.pk]), {"reason": "不予督办"}
        )
        if name != "alice":
            assert dismissed.status_code == 404, name
    laoshan.refresh_from_db()
    assert laoshan.status == ProposalStatus.DISMISSED and laoshan.decided_by == world.alice
