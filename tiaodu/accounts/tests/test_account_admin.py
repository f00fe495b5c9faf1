"""Accounts in the administration area (/administration/users/): the list with its filters,
creating, editing, deactivating and resetting (the system administrator), roles given and
taken away (the security administrator, DOMAIN.md §2), and the 404 for everyone else.

Personas (tiaodu.testing): sysadmin, secadmin; the business personas alice … sam listed.
"""

import re

import pytest

from tiaodu.accounts.models import AccountLock, User, UserRole
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.roles import Role
from tiaodu.testing import assert_nothing_written


def signed_in(client, user):
    client.force_login(user)
    return client


def usernames(response):
    return re.findall(r'data-testid="user-row" data-username="([^"]+)"', response.content.decode())


def test_the_list_shows_roles_with_their_scope_and_filters(client, world):
    admin = signed_in(client, world.sysadmin)
    everyone = admin.get("/administration/users/")
    assert usernames(everyone) == sorted(
        [
            "alice",
            "auditor",
            "bob",
            "dora",
            "hank",
            "lena",
            "leo",
            "rita",
            "sam",
            "secadmin",
            "sysadmin",
        ]
    )
    row = everyone.content.decode().split('data-username="dora"')[1].split("</tr>")[0]
    assert re.findall(r'data-testid="role">([^<]+)<', row) == ["调度员 · 黄岛区"]

    assert usernames(admin.get("/administration/users/", {"role": Role.DISPATCHER})) == [
        "alice",
        "dora",
    ]
    # 黄岛区's subtree: dora's region, rita's owner unit A.
    assert usernames(admin.get("/administration/users/", {"unit": world.huangdao.pk})) == [
        "dora",
        "rita",
    ]
    assert usernames(admin.get("/administration/users/", {"q": "ban"})) == []
    assert usernames(admin.get("/administration/users/", {"q": "ha"})) == ["hank"]


def test_locked_and_deactivated_filters(client, world):
    import datetime as dt

    from django.utils import timezone

    AccountLock.objects.create(
        username="bob", locked_until=timezone.now() + dt.timedelta(minutes=20)
    )
    User.objects.filter(pk=world.sam.pk).update(is_active=False)
    admin = signed_in(client, world.secadmin)
    assert usernames(admin.get("/administration/users/", {"status": "locked"})) == ["bob"]
    assert usernames(admin.get("/administration/users/", {"status": "inactive"})) == ["sam"]


def test_the_system_administrator_creates_an_account_that_must_change_its_password(client, world):
    admin = signed_in(client, world.sysadmin)
    response = admin.post(
        "/administration/users/new/",
        {
            "username": "zhangwei",
            "display_name": "张伟",
            "org_unit": world.huangdao.pk,
            "phone": "13800000000",
            "password1": "Temp#Pass2026",
        },
    )
    user = User.objects.get(username="zhangwei")
    assert response.status_code == 302
    assert response["Location"] == f"/administration/users/{user.pk}/"
    assert (user.display_name, user.org_unit, user.must_change_password) == (
        "张伟",
        world.huangdao,
        True,
    )
    assert user.check_password("Temp#Pass2026")
    event = AuditEvent.objects.filter(object_type="accounts.user").latest("pk")
    assert (event.action, event.actor_id, event.object_repr) == (
        AuditAction.CREATE,
        world.sysadmin.pk,
        "张伟",
    )


def test_a_weak_first_password_is_refused_in_chinese(client, world):
    admin = signed_in(client, world.sysadmin)
    with assert_nothing_written(User, AuditEvent):
        response = admin.post(
            "/administration/users/new/",
            {"username": "weak", "display_name": "弱", "password1": "abc"},
        )
    assert response.status_code == 400
    assert "密码长度太短" in response.content.decode() or "至少" in response.content.decode()


def test_deactivate_and_reset_password(client, world):
    admin = signed_in(client, world.sysadmin)
    response = admin.post(f"/administration/users/{world.rita.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    rita = User.objects.get(pk=world.rita.pk)
    assert rita.is_active is False
    event = AuditEvent.objects.filter(object_type="accounts.user").latest("pk")
    assert event.changes == {"is_active": ["是", "否"]}

    response = admin.post(
        f"/administration/users/{world.bob.pk}/password/",
        {"password-password1": "Reset#Pass2026", "password-password2": "Reset#Pass2026"},
    )
    assert response.status_code == 302
    bob = User.objects.get(pk=world.bob.pk)
    assert (bob.must_change_password, bob.check_password("Reset#Pass2026")) == (True, True)
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_repr) == (AuditAction.PASSWORD_CHANGE, "Bob")


def test_the_security_administrator_gives_and_takes_away_a_role(client, world):
    grant = signed_in(client, world.secadmin)
    response = grant.post(
        f"/administration/users/{world.bob.pk}/roles/",
        {"role-role": Role.LEADER, "role-org_unit": world.laoshan.pk},
    )
    assert response.status_code == 302
    assignment = UserRole.objects.get(user=world.bob, role=Role.LEADER)
    assert assignment.org_unit == world.laoshan
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.parent_id) == (
        AuditAction.CREATE,
        "accounts.userrole",
        str(world.bob.pk),
    )

    response = grant.post(f"/administration/users/{world.bob.pk}/roles/{assignment.pk}/remove/")
    assert response.status_code == 302
    assert not UserRole.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.latest("pk").action == AuditAction.DELETE


def test_the_three_administrators_stay_separate(client, world):
    grant = signed_in(client, world.secadmin)
    with assert_nothing_written(UserRole, AuditEvent):
        response = grant.post(
            f"/administration/users/{world.alice.pk}/roles/", {"role-role": Role.AUDITOR}
        )
    assert response.status_code == 400
    assert "系统管理员、安全管理员和审计员须由不同人员担任" in response.content.decode()


def test_a_dispatcher_role_needs_a_region(client, world):
    grant = signed_in(client, world.secadmin)
    with assert_nothing_written(UserRole, AuditEvent):
        response = grant.post(
            f"/administration/users/{world.bob.pk}/roles/",
            {"role-role": Role.DISPATCHER, "role-org_unit": world.unit_b.pk},
        )
    assert response.status_code == 400


def test_each_administrator_does_only_their_part(client, world):
    sysadmin = signed_in(client, world.sysadmin)
    with assert_nothing_written(UserRole, AuditEvent):
        assert (
            sysadmin.post(
                f"/administration/users/{world.bob.pk}/roles/",
                {"role-role": Role.LEADER, "role-org_unit": world.laoshan.pk},
            ).status_code
            == 404
        )
    secadmin = signed_in(client, world.secadmin)
    with assert_nothing_written(User, AuditEvent):
        assert secadmin.get("/administration/users/new/").status_code == 404
        assert (
            secadmin.post(
                f"/administration/users/{world.bob.pk}/active/", {"active": "0"}
            ).status_code
            == 404
        )


@pytest.mark.parametrize("persona", ["alice", "dora", "leo", "hank", "sam", "rita"])
def test_the_accounts_pages_are_refused_to_everyone_else(client, world, persona):
    visitor = signed_in(client, getattr(world, persona))
    with assert_nothing_written(User, UserRole, AuditEvent):
        assert visitor.get("/administration/").status_code == 404
        assert visitor.get("/administration/users/").status_code == 404
        assert visitor.get(f"/administration/users/{world.bob.pk}/").status_code == 404
        assert visitor.get("/administration/roles/").status_code == 404
        assert (
            visitor.post(
                f"/administration/users/{world.bob.pk}/active/", {"active": "0"}
            ).status_code
            == 404
        )


def test_the_auditor_opens_only_the_requests_page_of_the_area(client, world):
    auditor = signed_in(client, world.auditor)
    with assert_nothing_written(User, UserRole, AuditEvent):
        assert auditor.get("/administration/")["Location"] == "/administration/requests/"
        assert auditor.get("/administration/requests/").status_code == 200
        assert auditor.get("/administration/users/").status_code == 404
        assert auditor.get(f"/administration/users/{world.bob.pk}/").status_code == 404
        assert auditor.get("/administration/roles/").status_code == 404
        assert (
            auditor.post(
                f"/administration/users/{world.bob.pk}/active/", {"active": "0"}
            ).status_code
            == 404
        )
