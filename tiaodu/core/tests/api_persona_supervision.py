"""The problem and supervision part of the persona walk (`test_api_personas.py`): the objects
its paths name, the bodies of its writes and what each persona gets.

The city adds, on TODAY: rita's problem of p1 (reported), on the agenda of dora's
consultation, and a second one not on it; dora's reminder to unit A about p1 (issued);
dora's inspection of 黄岛区 (under way) whose group 第一组 (led by dora) visited p1 (a photo,
a finding) and has p2 still to visit."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tiaodu.core.tests.media_files import encode, scene
from tiaodu.supervision.meetings import services as meetings
from tiaodu.supervision.notices import services as notices
from tiaodu.supervision.rounds import services as rounds
from tiaodu.supervision.rounds import visit_services as visits
from tiaodu.supervision.rounds.models import RoundAssignment
from tiaodu.testing import TODAY, problem_in

# alice dora rita bob leo lena hank sam sysadmin secadmin auditor, as in EXPECTED.
EXPECTED: dict[str, str] = {
    # problems: rita's reported problem of p1; its steps are the dispatchers' (assign)
    "tiaodu_problems_api_list_problems": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_problems_api_raise_problem": "201 201 201 404 404 404 404 404 404 404 404",
    "tiaodu_problems_api_get_problem": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_problems_api_take_step": "200 200 403 404 403 404 404 404 404 404 404",
    "tiaodu_problems_api_add_comment": "201 201 201 404 403 404 404 404 404 404 404",
    # notices: dora's reminder to unit A about p1, answered by unit A's reporter
    "tiaodu_supervision_notices_api_list_notices": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_supervision_notices_api_issue_notice": "201 201 403 403 403 403 403 403 403 403 403",
    "tiaodu_supervision_notices_api_get_notice": "200 200 200 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_notices_api_respond": "403 403 201 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_notices_api_close_notice": "200 200 403 404 404 404 404 404 404 404 404",
    # meetings: dora's consultation; only its convener changes it
    "tiaodu_supervision_meetings_api_list_meetings": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_supervision_meetings_api_create_meeting": "201 201 403 403 403 403 201 403 403 403 403",
    "tiaodu_supervision_meetings_api_get_meeting": "200 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_meetings_api_update_meeting": "403 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_meetings_api_add_to_agenda": "403 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_meetings_api_remove_from_agenda": "403 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_meetings_api_decide": "403 201 404 404 404 404 404 404 404 404 404",
    # field rounds: dora's inspection of 黄岛区; 第一组 has visited p1 (so it stays)
    "tiaodu_supervision_rounds_api_list_rounds": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_supervision_rounds_api_create_round": "201 201 403 403 403 403 403 403 403 403 403",
    "tiaodu_supervision_rounds_api_get_round": "200 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_update_round": "200 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_move_round": "200 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_add_group": "201 201 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_remove_group": "422 422 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_add_member": "201 201 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_make_leader": "200 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_remove_member": "204 204 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_assign": "200 200 404 404 404 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_api_unassign": "204 204 404 404 404 404 403 404 404 404 404",
    # visits: dora's of p1; recorded by the group or the region's dispatchers
    "tiaodu_supervision_rounds_visit_api_list_visits": "200 200 200 200 200 200 200 200 404 404 404",
    "tiaodu_supervision_rounds_visit_api_record_visit": "201 201 404 404 404 404 403 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_get_visit": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_update_visit": "200 200 403 404 403 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_add_photo": "201 201 403 404 403 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_photo_content": "200 200 200 404 200 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_remove_photo": "204 204 403 404 403 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_add_finding": "201 201 403 404 403 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_remove_finding": "204 204 403 404 403 404 404 404 404 404 404",
    "tiaodu_supervision_rounds_visit_api_raise_finding": "201 201 403 404 403 404 404 404 404 404 404",
}


def supervision_city(world: Any) -> dict[str, Any]:
    """The objects of the problem and supervision paths (call on TODAY)."""
    dora = world.dora
    problem = problem_in(world, "reported")
    other = problem_in(world, "reported")
    notice = notices.issue_notice(
        actor=dora,
        kind="reminder",
        recipient_unit=world.unit_a,
        projects=[world.projects["p1"]],
        subject="黄岛港区项目进度滞后",
        body="请说明原因。",
    )
    meeting = meetings.create_meeting(
        actor=dora, kind="consultation", title="黄岛区问题会商", date=TODAY,
        convening_unit=world.huangdao,
    )  # fmt: skip
    meetings.add_agenda_problem(actor=dora, meeting=meeting, problem=problem)
    field_round = rounds.create_round(
        actor=dora, kind="inspection", title="黄岛区重点项目督查", region=world.huangdao,
        start_date=TODAY - dt.timedelta(days=3), end_date=TODAY + dt.timedelta(days=5),
    )  # fmt: skip
    group = rounds.add_group(actor=dora, field_round=field_round, name="第一组")
    member = rounds.add_member(actor=dora, group=group, user=dora, is_leader=True)
    pair = [world.projects["p1"], world.projects["p2"]]
    rounds.assign_projects(actor=dora, group=group, projects=pair)
    rounds.move_round(actor=dora, field_round=field_round, action="start")
    visited, waiting = (
        RoundAssignment.objects.get(round=field_round, project=project) for project in pair
    )
    visit = visits.record_visit(actor=dora, assignment=visited, visited_on=TODAY)
    photo = SimpleUploadedFile("现场.jpg", encode(scene(5, (640, 480))), "image/jpeg")
    [stored] = visits.add_photos(actor=dora, visit=visit, uploads=[(photo, "现场.jpg")])
    finding = visits.add_finding(actor=dora, visit=visit, category="utilities", title="未通电")
    return {
        "problem_id": problem.pk,
        "other_problem": other.pk,
        "notice_id": notice.pk,
        "meeting_id": meeting.pk,
        "round_id": field_round.pk,
        "group_id": group.pk,
        "member_id": member.pk,
        "assignment_id": waiting.pk,
        "visit_id": visit.pk,
        "photo_id": stored.pk,
        "finding_id": finding.pk,
        "unit_a": world.unit_a.pk,
        "bureau": world.housing_bureau.pk,
        "p1": world.projects["p1"].pk,
        "p6": world.projects["p6"].pk,
    }


def supervision_bodies(city: dict[str, Any]) -> dict[str, Any]:
    """The body of each write, by operation id."""
    day = TODAY.isoformat()
    meeting = {"kind": "consultation", "title": "问题会商", "date": day}
    plan = {
        "kind": "inspection",
        "title": "十一月督查",
        "region_id": city["huangdao"],
        "start_date": day,
        "end_date": day,
    }
    return {
        "tiaodu_problems_api_raise_problem": {
            "project_id": city["p1"], "category": "land", "title": "用海审批未完成",
        },
        "tiaodu_problems_api_take_step": {"action": "assign", "department_id": city["bureau"]},
        "tiaodu_problems_api_add_comment": {"text": "已协调。"},
        "tiaodu_supervision_notices_api_issue_notice": {
            "kind": "reminder", "recipient_unit_id": city["unit_a"],
            "project_ids": [city["p1"]], "subject": "进度滞后", "body": "请说明原因。",
        },
        "tiaodu_supervision_notices_api_respond": {"text": "已制定整改措施。"},
        "tiaodu_supervision_meetings_api_create_meeting": meeting,
        "tiaodu_supervision_meetings_api_update_meeting": {**meeting, "minutes": "议定事项见下。"},
        "tiaodu_supervision_meetings_api_add_to_agenda": {"problem_id": city["other_problem"]},
        "tiaodu_supervision_meetings_api_decide": {
            "problem_id": city["problem_id"], "outcome": "watch", "text": "持续跟踪。",
        },
        "tiaodu_supervision_rounds_api_create_round": plan,
        "tiaodu_supervision_rounds_api_update_round": {
            **plan, "start_date": (TODAY - dt.timedelta(days=3)).isoformat(),
        },
        "tiaodu_supervision_rounds_api_move_round": {"action": "finish"},
        "tiaodu_supervision_rounds_api_add_group": {"name": "第二组"},
        "tiaodu_supervision_rounds_api_add_member": {"name": "王强", "unit": "黄岛区发改局"},
        "tiaodu_supervision_rounds_api_assign": {"project_ids": [city["p6"]]},
        "tiaodu_supervision_rounds_visit_api_record_visit": {
            "assignment_id": city["assignment_id"], "visited_on": day,
        },
        "tiaodu_supervision_rounds_visit_api_update_visit": {"visited_on": day, "score": "80"},
        "tiaodu_supervision_rounds_visit_api_add_finding": {
            "category": "land", "title": "用地未移交",
        },
    }  # fmt: skip


def photo_upload() -> dict[str, Any]:
    """The multipart body of a visit's photo."""
    photo = SimpleUploadedFile("现场2.jpg", encode(scene(6, (640, 480))), "image/jpeg")
    return {"file": photo}
