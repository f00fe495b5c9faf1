"""Names hold no invisible direction controls (U+202A–U+202E, U+2066–U+2069): a project's
name and an org unit's are refused with a Chinese message, and nothing is written
(docs/errors.md, "Bounds"); and the organisation tree's next level asked from a position
that is not one answers 400 in Chinese."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tiaodu.accounts import org_units
from tiaodu.accounts.models import OrgUnit
from tiaodu.core.models import AuditEvent
from tiaodu.projects import services
from tiaodu.projects.models import Project
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db

MESSAGE = "名称中含有不可见的文字方向控制字符（U+202A–U+202E、U+2066–U+2069），请删除后再保存。"


@pytest.mark.parametrize("control", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_a_new_project_named_with_a_direction_control_is_refused(world: Any, control: str) -> None:
    with assert_nothing_written(Project, AuditEvent), pytest.raises(ValidationError) as refused:
        services.create_project(
            actor=world.dora,
            name=f"前湾港{control}冷链物流中心",
            region=world.huangdao,
            total_investment=Decimal("80000"),
        )
    assert refused.value.message_dict == {"name": [MESSAGE]}


def test_renaming_a_project_with_a_direction_control_is_refused(world: Any) -> None:
    project = world.projects["p1"]
    with assert_nothing_written(Project, AuditEvent), pytest.raises(ValidationError) as refused:
        services.update_project(actor=world.dora, project=project, name="码头\u202e三期")
    assert refused.value.message_dict == {"name": [MESSAGE]}


def test_renaming_a_unit_with_a_direction_control_is_refused(world: Any) -> None:
    unit = world.projects["p1"].owner_unit
    with assert_nothing_written(OrgUnit, AuditEvent), pytest.raises(ValidationError) as refused:
        org_units.update_org_unit(actor=world.alice, unit=unit, name="业主\u2067单位A")
    assert refused.value.message_dict == {"name": [MESSAGE]}


@pytest.mark.parametrize("offset", ["abc", "-5", "99999999999999999999"])
def test_a_tree_position_out_of_bounds_is_a_400_in_chinese(world: Any, offset: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.sysadmin)
    response = client.get(f"/administration/units/{world.city.pk}/children/", {"offset": offset})
    assert response.status_code == 400
    assert "地址中的位置须为0至1000000000之间的整数。" in response.content.decode()


def test_the_trees_next_level_still_opens(world: Any) -> None:
    client = Client()
    client.force_login(world.sysadmin)
    response = client.get(f"/administration/units/{world.city.pk}/children/", {"offset": "0"})
    assert response.status_code == 200
    assert "黄岛区" in response.content.decode()
