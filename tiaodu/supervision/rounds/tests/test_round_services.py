"""Planning a round, its groups, members and assignments: the organiser's writes, and every
refusal changing nothing (see conftest for the personas)."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.models import AuditEvent
from tiaodu.supervision.rounds import services
from tiaodu.supervision.rounds.choices import RoundAction, RoundStatus
from tiaodu.supervision.rounds.models import FieldRound, GroupMember, RoundAssignment
from tiaodu.supervision.rounds.tests.conftest import END, ROUND_TABLES, START, plan_round, visit
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db


def refused(error: type[Exception], call: Any, **kwargs: Any) -> Exception:
    """Call and expect the refusal; assert that nothing at all was written."""
    with assert_nothing_written(*ROUND_TABLES), pytest.raises(error) as caught:
        call(**kwargs)
    return caught.value


# ----------------------------------------------------------------------------- the round


def test_a_city_dispatcher_plans_a_round(world):
    field_round = plan_round(world)
    assert field_round.status == RoundStatus.PLANNED
    assert field_round.created_by == world.alice
    assert (field_round.start_date, field_round.end_date) == (START, END)
    event = AuditEvent.objects.get(object_type="supervision.fieldround")
    assert event.actor == world.alice and event.changes["title"] == ["", "2026年四季度重点项目拉练"]
    assert event.changes["kind"] == ["", "拉练"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": "  "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"kind": "picnic"}, "kind"),
        ({"region": None}, "region"),
        ({"start_date": None}, "start_date"),
        ({"end_date": dt.date(2026, 11, 1)}, "end_date"),
    ],
)
def test_a_round_with_bad_fields_is_refused_with_the_field_to_correct(world, overrides, field):
    arguments = {
        "actor": world.alice,
        "kind": "inspection",
        "title": "督查",
        "region": world.city,
        "start_date": START,
        "end_date": END,
    }
    arguments.update(overrides)
    error = refused(ValidationError, services.create_round, **arguments)
    assert field in error.message_dict  # type: ignore[attr-defined]


def test_a_round_needs_a_region_and_a_dispatcher_over_it(world):
    refused(ValidationError, plan_round, world=world, region=world.unit_a)
    for who, region in [("dora", world.city), ("dora", world.laoshan), ("lena", world.laoshan),
                        ("rita", world.huangdao), ("sysadmin", world.city)]:  # fmt: skip
        refused(PermissionDenied, plan_round, world=world, actor=getattr(world, who), region=region)
    assert plan_round(world, actor=world.dora, region=world.huangdao).region == world.huangdao


def test_changing_a_round_keeps_its_projects_and_visits_inside(world, under_way):
    visit(world, under_way, "p1")
    common = {"actor": world.alice, "field_round": under_way, "kind": under_way.kind,
              "title": under_way.title, "start_date": START, "end_date": END}  # fmt: skip
    refused(ValidationError, services.update_round, **{**common, "region": world.huangdao})
    later = {**common, "region": world.city, "start_date": dt.date(2026, 11, 5)}
    error = refused(ValidationError, services.update_round, **later)
    assert "2026-11-04" in str(error)
    refused(PermissionDenied, services.update_round, **{**common, "actor": world.dora,
                                                         "region": world.city})  # fmt: skip
    changed = services.update_round(**{**common, "region": world.city, "title": "四季度拉练"})
    assert changed.title == "四季度拉练"
    assert (
        AuditEvent.objects.filter(object_type="supervision.fieldround", action="update").count()
        == 2
    )  # the start and this change


def test_the_round_starts_finishes_and_reopens(world, tour):
    refused(ValidationError, services.move_round, actor=world.alice, field_round=tour,
            action=RoundAction.FINISH)  # fmt: skip
    refused(PermissionDenied, services.move_round, actor=world.dora, field_round=tour,
            action=RoundAction.START)  # fmt: skip
    steps = [RoundAction.START, RoundAction.FINISH, RoundAction.REOPEN]
    statuses = []
    for action in steps:
        tour = services.move_round(actor=world.alice, field_round=tour, action=action)
        statuses.append(tour.status)
    assert statuses == [RoundStatus.UNDER_WAY, RoundStatus.FINISHED, RoundStatus.UNDER_WAY]


def test_a_round_without_groups_does_not_start(world):
    field_round = plan_round(world)
    error = refused(ValidationError, services.move_round, actor=world.alice,
                    field_round=field_round, action=RoundAction.START)  # fmt: skip
    assert "group" in str(error).lower() or "组" in str(error)


# ----------------------------------------------------------------------------- groups


def test_groups_have_unique_names_and_change_only_until_the_round_finishes(world, tour):
    refused(ValidationError, services.add_group, actor=world.alice, field_round=tour,
            name="第一组")  # fmt: skip
    refused(ValidationError, services.add_group, actor=world.alice, field_round=tour, name=" ")
    refused(PermissionDenied, services.add_group, actor=world.dora, field_round=tour,
            name="第三组")  # fmt: skip
    third = services.add_group(actor=world.alice, field_round=tour, name="第三组")
    services.move_round(actor=world.alice, field_round=tour, action=RoundAction.START)
    tour = services.move_round(actor=world.alice, field_round=tour, action=RoundAction.FINISH)
    third.refresh_from_db()
    refused(ValidationError, services.add_group, actor=world.alice, field_round=tour,
            name="第四组")  # fmt: skip
    refused(ValidationError, services.remove_group, actor=world.alice, group=third)


def test_a_group_that_visited_is_not_removed(world, under_way):
    made = visit(world, under_way, "p1")
    refused(ValidationError, services.remove_group, actor=world.alice, group=made.group)
    two = under_way.groups.get(name="第二组")
    services.remove_group(actor=world.alice, group=two)
    assert list(under_way.groups.values_list("name", flat=True)) == ["第一组"]
    assert not RoundAssignment.objects.filter(project=world.projects["p3"]).exists()


def test_members_are_accounts_or_names_and_one_leads(world, tour):
    one = tour.groups.get(name="第一组")
    members = list(one.members.values_list("name", "unit", "is_leader", "user__username"))
    assert members == [
        ("Hank", "青岛市住房和城乡建设局", True, "hank"),
        ("王强", "市发改委", False, None),
    ]
    refused(ValidationError, services.add_member, actor=world.alice, group=one, user=world.hank)
    refused(ValidationError, services.add_member, actor=world.alice, group=one, name="  ")
    refused(ValidationError, services.add_member, actor=world.alice, group=one, name="张三",
            unit="单" * 101)  # fmt: skip
    refused(PermissionDenied, services.add_member, actor=world.dora, group=one, name="张三")
    world.bob.is_active = False
    world.bob.save()
    refused(ValidationError, services.add_member, actor=world.alice, group=one, user=world.bob)

    newcomer = services.add_member(actor=world.alice, group=one, user=world.dora, is_leader=True)
    assert list(one.members.filter(is_leader=True)) == [newcomer]
    wang = one.members.get(name="王强")
    services.set_leader(actor=world.alice, member=wang)
    assert list(one.members.filter(is_leader=True).values_list("name", flat=True)) == ["王强"]
    services.remove_member(actor=world.alice, member=newcomer)
    assert not GroupMember.objects.filter(pk=newcomer.pk).exists()


# ----------------------------------------------------------------------------- assignments


def test_a_project_goes_to_one_group_per_round(world, tour):
    one, two = tour.groups.get(name="第一组"), tour.groups.get(name="第二组")
    result = services.assign_projects(
        actor=world.alice, group=two, projects=[world.projects["p1"], world.projects["p5"]]
    )
    assert [p.name for p in result.added] == ["市南区老旧小区改造"]
    assert [p.name for p in result.skipped] == ["黄岛港区集装箱码头三期"]
    assert RoundAssignment.objects.get(round=tour, project=world.projects["p1"]).group == one
    refused(ValidationError, services.assign_projects, actor=world.alice, group=two, projects=[])
    refused(PermissionDenied, services.assign_projects, actor=world.dora, group=one,
            projects=[world.projects["p6"]])  # fmt: skip


def test_a_district_round_takes_only_its_districts_projects(world):
    district = plan_round(world, actor=world.dora, region=world.huangdao, title="黄岛区督查")
    group = services.add_group(actor=world.dora, field_round=district, name="第一组")
    error = refused(ValidationError, services.assign_projects, actor=world.dora, group=group,
                    projects=[world.projects["p1"], world.projects["p3"]])  # fmt: skip
    assert "崂山科创园一期" in str(error)
    refused(ValidationError, services.assign_region, actor=world.dora, group=group,
            region=world.laoshan)  # fmt: skip


def test_a_region_is_assigned_as_its_projects_in_the_plan_of_the_year(world, tour):
    three = services.add_group(actor=world.alice, field_round=tour, name="第三组")
    result = services.assign_region(actor=world.alice, group=three, region=world.huangdao)
    # p1 and p2 are group one's already; p6 is the one left in 黄岛区.
    assert [p.name for p in result.added] == ["港湾物流园仓储中心"]
    assert {p.name for p in result.skipped} == {"黄岛港区集装箱码头三期", "黄岛区安置房建设项目"}
    events = AuditEvent.objects.filter(object_type="supervision.roundassignment")
    assert events.count() == 5 and events.last().parent_id == str(tour.pk)  # type: ignore[union-attr]
    next_year = plan_round(world, title="明年", start_date=dt.date(2027, 1, 5),
                           end_date=dt.date(2027, 1, 9))  # fmt: skip
    group = services.add_group(actor=world.alice, field_round=next_year, name="第一组")
    error = refused(ValidationError, services.assign_region, actor=world.alice, group=group,
                    region=world.huangdao)  # fmt: skip
    assert "2027" in str(error)


def test_a_visited_project_stays_assigned(world, under_way):
    visit(world, under_way, "p1")
    p1 = RoundAssignment.objects.get(round=under_way, project=world.projects["p1"])
    refused(ValidationError, services.unassign_project, actor=world.alice, assignment=p1)
    p2 = RoundAssignment.objects.get(round=under_way, project=world.projects["p2"])
    refused(PermissionDenied, services.unassign_project, actor=world.hank, assignment=p2)
    services.unassign_project(actor=world.alice, assignment=p2)
    names = FieldRound.objects.get().assignments.values_list("project__name", flat=True)
    assert set(names) == {"黄岛港区集装箱码头三期", "崂山科创园一期", "崂山区污水处理厂扩建"}
