"""A notice names only projects within its recipient unit's reach: those the unit's users
could open (owned by it or in its charge, or behind a problem assigned to it). Anything
else is refused before a word is written, on the service, the form and the preview. (A
notice issued from a scoring proposal: tiaodu/scoring/tests/test_proposals.py.)"""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tiaodu.core.models import AuditEvent, Notification
from tiaodu.problems.choices import ProblemStatus
from tiaodu.projects.models import Project
from tiaodu.supervision.notices.models import Notice, NoticeCounter
from tiaodu.supervision.notices.tests.conftest import issue
from tiaodu.testing import assert_nothing_written, problem_in

NEW = "/supervision/notices/new/"
WRITTEN = (Notice, NoticeCounter, Notification, AuditEvent)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_unit_b_cannot_open_unit_as_projects(world: Any) -> None:
    for key in ("p1", "p6"):
        url = f"/projects/{world.projects[key].pk}/"
        assert _client(world.bob).get(url).status_code == 404
        assert _client(world.rita).get(url).status_code == 200


def test_a_notice_to_unit_b_naming_unit_as_projects_is_refused(world: Any) -> None:
    Project.objects.filter(pk=world.projects["p1"].pk).update(code="2026-370211-55-01-000001")
    p1, p6 = Project.objects.get(pk=world.projects["p1"].pk), world.projects["p6"]
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as refused:
        issue(world, recipient_unit=world.unit_b, projects=[world.projects["p3"], p1, p6])
    (message,) = refused.value.message_dict["projects"]
    assert message == (
        "港湾物流园仓储中心、黄岛港区集装箱码头三期（2026-370211-55-01-000001）"
        "不在崂山科创发展有限公司的范围内（既不由其建设或负责，也无交办给它的问题），"
        "通知不能列入这些项目。"
    )


def test_a_department_is_reached_by_its_charge_and_its_assigned_problems(world: Any) -> None:
    with assert_nothing_written(*WRITTEN), pytest.raises(ValidationError) as refused:
        issue(world, recipient_unit=world.housing_bureau, projects=[world.projects["p1"]])
    assert world.projects["p1"].name in refused.value.message_dict["projects"][0]
    # p2 is in 市住建局's charge; p1 once a problem of it is assigned to 市住建局.
    problem_in(world, ProblemStatus.ASSIGNED)
    notice = issue(
        world,
        recipient_unit=world.housing_bureau,
        projects=[world.projects["p1"], world.projects["p2"]],
    )
    assert notice.number_label == "督办〔2026〕1号"
    assert _client(world.hank).get(f"/projects/{world.projects['p1'].pk}/").status_code == 200


def test_the_form_shows_the_refusal_on_the_projects(world: Any) -> None:
    p1 = world.projects["p1"]
    data = {
        "kind": "supervision_order",
        "recipient_unit": world.housing_bureau.pk,
        "projects": [p1.pk, world.projects["p2"].pk],
        "subject": "港区项目投资进度滞后",
        "body": "两个项目连续两个月投资完成率低于时序进度。",
        "response_deadline": "2026-11-12",
    }
    # Neither the preview (签发) nor the confirmation (确认签发) goes through.
    for extra in ({}, {"confirm": "1"}):
        with assert_nothing_written(*WRITTEN):
            response = _client(world.dora).post(NEW, {**data, **extra})
        assert response.status_code == 200
        assert 'data-testid="notice-preview"' not in response.content.decode()
        (error,) = response.context["form"].errors["projects"]
        assert error == (
            f"{p1.name}不在青岛市住房和城乡建设局的范围内（既不由其建设或负责，"
            "也无交办给它的问题），通知不能列入这些项目。"
        )
