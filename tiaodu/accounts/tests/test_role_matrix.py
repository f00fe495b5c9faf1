"""The role–page matrix (/administration/roles/) is derived from the apps' own checks: a
cell says what the menu item's `visible` check or the registered action's check answers for
an in-memory user holding that role, and changes when the check changes.

Personas (tiaodu.testing): sysadmin and secadmin open it; nothing is written by building it.
"""

import re

from tiaodu.accounts import capabilities
from tiaodu.accounts.area_nav import AREA_PAGES
from tiaodu.accounts.capabilities import Reach, build_matrix, register_action
from tiaodu.accounts.models import User, UserRole
from tiaodu.accounts.navigation import _items, register_item
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role
from tiaodu.core.scoping import holds
from tiaodu.testing import assert_nothing_written


def row(matrix_rows, label):
    [found] = [r for r in matrix_rows if str(r.label) == label]
    return dict(found.cells)


def area_pages():
    return [(page.label, page.visible) for page in AREA_PAGES]


def test_cells_follow_the_apps_checks_and_scope(world):
    with assert_nothing_written(User, UserRole, AuditEvent):
        matrix = build_matrix(area_pages())
    library = row(matrix.pages, "项目库")
    assert library == {
        Role.SYSTEM_ADMIN: Reach.NONE,
        Role.SECURITY_ADMIN: Reach.NONE,
        Role.AUDITOR: Reach.NONE,
        Role.DISPATCHER: Reach.ALL,
        Role.LEADER: Reach.ALL,
        Role.DEPARTMENT_HANDLER: Reach.ALL,
        Role.SERVICE_OFFICER: Reach.ALL,
        Role.REPORTER: Reach.ALL,
        Role.FINANCIAL_INSTITUTION: Reach.NONE,
    }
    # A financial institution opens the financing-needs lists and nothing of the library.
    assert row(matrix.pages, "融资需求")[Role.FINANCIAL_INSTITUTION] == Reach.ALL
    edit = row(matrix.actions, "修改项目")
    assert (edit[Role.DISPATCHER], edit[Role.REPORTER], edit[Role.LEADER]) == (
        Reach.OWN_REGION,
        Reach.NONE,
        Reach.NONE,
    )
    raise_problem = row(matrix.actions, "对项目提出问题")
    assert (
        raise_problem[Role.DISPATCHER],
        raise_problem[Role.REPORTER],
        raise_problem[Role.SERVICE_OFFICER],
        raise_problem[Role.SYSTEM_ADMIN],
    ) == (Reach.OWN_REGION, Reach.OWN_UNIT, Reach.ASSIGNED, Reach.NONE)
    cards = row(matrix.actions, "计算月度评价")
    assert cards[Role.DISPATCHER] == Reach.SITE
    audit = row(matrix.pages, "审计日志")
    assert [role for role, reach in audit.items() if reach != Reach.NONE] == [Role.AUDITOR]
    assert row(matrix.pages, "组织机构")[Role.SYSTEM_ADMIN] == Reach.ALL
    assert row(matrix.pages, "组织机构")[Role.SECURITY_ADMIN] == Reach.NONE


def test_a_changed_visible_check_flips_its_cell(world, monkeypatch):
    before = row(build_matrix(area_pages()).pages, "项目地图")
    assert before[Role.REPORTER] == Reach.NONE
    item = _items["maps.map"]
    monkeypatch.setitem(_items, item.key, item)  # restored after the test
    register_item(
        item.key, item.label, item.url_name, item.section, icon=item.icon, order=item.order,
        visible=lambda actor: holds(actor, Role.DISPATCHER, Role.LEADER, Role.REPORTER),
    )  # fmt: skip
    after = row(build_matrix(area_pages()).pages, "项目地图")
    assert after[Role.REPORTER] == Reach.ALL
    assert {role: reach for role, reach in after.items() if role != Role.REPORTER} == {
        role: reach for role, reach in before.items() if role != Role.REPORTER
    }


def test_a_changed_action_check_flips_its_cell(world, monkeypatch):
    assert row(build_matrix(area_pages()).actions, "导入台账")[Role.LEADER] == Reach.NONE
    monkeypatch.setattr(capabilities, "_actions", dict(capabilities._actions))
    register_action(
        "projects.import", "导入台账", section="项目库", order=120,
        check=lambda actor, _place: holds(actor, Role.DISPATCHER, Role.LEADER),
    )  # fmt: skip
    assert row(build_matrix(area_pages()).actions, "导入台账")[Role.LEADER] == Reach.ALL


def test_the_page_shows_the_matrix_to_both_administrators(client, world):
    for persona in ("sysadmin", "secadmin"):
        client.force_login(getattr(world, persona))
        html = client.get("/administration/roles/").content.decode()
        cells = re.findall(r'data-label="修改项目">.*?</tr>', html, re.S)[0]
        assert re.findall(r'data-role="(\w+)" data-reach="(\w+)"', cells) == [
            ("system_admin", "none"),
            ("security_admin", "none"),
            ("auditor", "none"),
            ("dispatcher", "own_region"),
            ("leader", "none"),
            ("department_handler", "none"),
            ("service_officer", "none"),
            ("reporter", "none"),
            ("financial_institution", "none"),
        ]
