"""Acts on an administrator's account beyond its roles, password and lock (三权分立,
docs/administration.md "Acts on administrators"): deactivating, activating and renaming it
are asked for by the security administrator and done when a second administrator confirms;
no one deactivates their own account; the site always keeps an active system administrator,
security administrator and auditor; a request left unconfirmed expires and forgets its
temporary password's hash; an account whose password an administrator reset is told so at
its next sign-in, and the auditor's home shows the act.

Personas (tiaodu.testing): sysadmin, secadmin and auditor, the three administrators; bob a
reporter; nina and olga, made here, accounts without a role (olga is made a second auditor
where an auditor must be left).
"""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tiaodu.accounts import confirmations, services
from tiaodu.accounts.models import (
    AdminActionKind,
    AdminActionRequest,
    AdminActionStatus,
    User,
    UserRole,
)
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.roles import Role
from tiaodu.testing import PASSWORD, assert_nothing_written

TEMPORARY = "Harbour#Temp26"
OWN = "Harbour#Mine26"
CONFIRMED = "由secadmin申请，经{}确认"


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def make(username: str, role: str | None = None) -> User:
    user = services.create_user(actor=None, username=username, password=PASSWORD)
    if role is not None:
        services.assign_role(actor=None, user=user, role=role)
    return user


@pytest.fixture
def olga(world: Any) -> User:
    """A second auditor, so that the world's auditor is not the last one."""
    return make("olga", Role.AUDITOR)


# --- deactivating, activating, renaming: not by one administrator alone ------------------------


@pytest.mark.parametrize(
    "fields",
    [{"is_active": False}, {"username": "auditor2"}],
    ids=["deactivate", "rename"],
)
def test_the_system_administrator_does_not_act_on_an_administrator_alone(world, olga, fields):
    with (
        assert_nothing_written(User, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        services.update_user(actor=world.sysadmin, user=world.auditor, **fields)
    assert refused.value.code == "needs_confirmation"
    assert (fresh(world.auditor).is_active, fresh(world.auditor).username) == (True, "auditor")


def test_a_deactivated_administrator_is_not_activated_alone(world, olga):
    User.objects.filter(pk=olga.pk).update(is_active=False)
    with assert_nothing_written(User, AuditEvent), pytest.raises(ValidationError) as refused:
        services.update_user(actor=world.sysadmin, user=fresh(olga), is_active=True)
    assert refused.value.code == "needs_confirmation"


def test_an_administrators_name_phone_and_email_stay_direct(world):
    services.update_user(
        actor=world.sysadmin,
        user=world.auditor,
        username="auditor",
        display_name="审计员甲",
        phone="13800000000",
        email="audit@example.cn",
    )
    auditor = fresh(world.auditor)
    assert (auditor.display_name, auditor.phone, auditor.email) == (
        "审计员甲",
        "13800000000",
        "audit@example.cn",
    )


def test_an_ordinary_account_is_still_deactivated_directly(world):
    services.update_user(actor=world.sysadmin, user=world.bob, is_active=False)
    assert fresh(world.bob).is_active is False


def test_no_one_deactivates_their_own_account(world):
    with assert_nothing_written(User, AuditEvent), pytest.raises(ValidationError) as refused:
        services.update_user(actor=world.sysadmin, user=world.sysadmin, is_active=False)
    assert refused.value.code == "own_account"
    with (
        assert_nothing_written(AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.request_deactivation(actor=world.secadmin, user=world.secadmin)
    assert str(refused.value.messages[0]) == "不能停用自己的账号。"


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "bob"])
def test_only_the_security_administrator_asks_for_these_acts(world, olga, who):
    actor = world.users[who]
    with assert_nothing_written(AdminActionRequest, AuditEvent):
        with pytest.raises(PermissionDenied):
            confirmations.request_deactivation(actor=actor, user=olga)
        with pytest.raises(PermissionDenied):
            confirmations.request_username_change(actor=actor, user=olga, username="olga2")


def test_deactivating_an_administrator_confirmed_by_a_second_one(world, olga):
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    asked = confirmations.request_deactivation(actor=world.secadmin, user=world.auditor)
    assert (asked.kind, fresh(world.auditor).is_active) == (AdminActionKind.DEACTIVATE, True)
    with pytest.raises(PermissionDenied):
        confirmations.confirm(actor=world.auditor, request=asked)

    confirmations.confirm(actor=world.sysadmin, request=asked)

    assert fresh(world.auditor).is_active is False
    done = AuditEvent.objects.get(pk__gt=mark, object_type="accounts.user")
    assert (done.action, done.actor_id, done.object_id, done.message) == (
        AuditAction.UPDATE,
        world.sysadmin.pk,
        str(world.auditor.pk),
        CONFIRMED.format("sysadmin"),
    )
    assert done.changes["is_active"] == ["是", "否"]

    again = confirmations.request_activation(actor=world.secadmin, user=fresh(world.auditor))
    confirmations.confirm(actor=olga, request=again)
    assert fresh(world.auditor).is_active is True


def test_an_ordinary_account_needs_no_request_to_be_deactivated(world):
    with pytest.raises(ValidationError) as refused:
        confirmations.request_deactivation(actor=world.secadmin, user=world.bob)
    assert refused.value.code == "not_an_administrator"


def test_a_new_username_confirmed_and_checked_again(world, olga):
    with pytest.raises(ValidationError):
        confirmations.request_username_change(actor=world.secadmin, user=olga, username="bob")
    with pytest.raises(ValidationError):
        confirmations.request_username_change(actor=world.secadmin, user=olga, username="a b")
    asked = confirmations.request_username_change(
        actor=world.secadmin, user=olga, username=" olga.audit "
    )
    assert str(asked) == "修改管理员用户名 · olga → olga.audit"
    confirmations.confirm(actor=world.auditor, request=asked)
    assert fresh(olga).username == "olga.audit"

    taken = confirmations.request_username_change(
        actor=world.secadmin, user=world.auditor, username="nina"
    )
    make("nina")
    with assert_nothing_written(User, AdminActionRequest), pytest.raises(ValidationError):
        confirmations.confirm(actor=world.sysadmin, request=taken)
    assert fresh(world.auditor).username == "auditor"


# --- the last of each administrator --------------------------------------------------------------


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
def test_the_last_administrator_of_a_kind_is_not_deactivated(world, who):
    with (
        assert_nothing_written(AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.request_deactivation(actor=world.secadmin, user=world.users[who])
    assert refused.value.code == "last_administrator"
    assert "本站最后一位在用的" in refused.value.messages[0]


def test_the_last_administrator_keeps_the_role(world):
    assignment = world.sysadmin.role_assignments.get()
    with assert_nothing_written(AdminActionRequest), pytest.raises(ValidationError) as refused:
        confirmations.request_role_removal(actor=world.secadmin, assignment=assignment)
    assert refused.value.code == "last_administrator"


def test_no_service_path_leaves_the_site_without_a_security_administrator(world):
    """Not even a command on the server (no actor)."""
    with assert_nothing_written(User, UserRole, AuditEvent):
        with pytest.raises(ValidationError):
            services.take_role(actor=None, assignment=world.secadmin.role_assignments.get())
        with pytest.raises(ValidationError):
            services.update_user(actor=None, user=world.secadmin, is_active=False)


def test_a_deactivated_holder_does_not_count(world):
    spare = make("spare", Role.SYSTEM_ADMIN)
    User.objects.filter(pk=spare.pk).update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        confirmations.request_deactivation(actor=world.secadmin, user=world.sysadmin)
    assert refused.value.code == "last_administrator"


def test_the_last_one_is_checked_again_at_the_confirmation(world, olga):
    first = confirmations.request_deactivation(actor=world.secadmin, user=world.auditor)
    second = confirmations.request_deactivation(actor=world.secadmin, user=olga)
    confirmations.confirm(actor=world.sysadmin, request=first)
    with (
        assert_nothing_written(User, AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.confirm(actor=world.sysadmin, request=second)
    assert refused.value.code == "last_administrator"
    assert fresh(olga).is_active is True


def test_the_last_role_removal_is_checked_again_at_the_confirmation(world, olga):
    first = confirmations.request_role_removal(
        actor=world.secadmin, assignment=world.auditor.role_assignments.get()
    )
    second = confirmations.request_role_removal(
        actor=world.secadmin, assignment=olga.role_assignments.get()
    )
    confirmations.confirm(actor=olga, request=first)
    with pytest.raises(ValidationError) as refused:
        confirmations.confirm(actor=world.sysadmin, request=second)
    assert refused.value.code == "last_administrator"
    assert olga.role_assignments.filter(role=Role.AUDITOR).exists()


# --- an expired request ----------------------------------------------------------------------


def test_an_expired_request_forgets_the_temporary_password(world):
    asked = confirmations.request_password_reset(
        actor=world.secadmin, user=world.auditor, new_password=TEMPORARY
    )
    assert AdminActionRequest.objects.get(pk=asked.pk).password
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23), tick=False):
        assert confirmations.expire_overdue() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=False):
        assert confirmations.expire_overdue() == 1
        with pytest.raises(ValidationError) as refused:
            confirmations.confirm(actor=world.sysadmin, request=asked)
    assert refused.value.code == "expired"

    stored = AdminActionRequest.objects.get(pk=asked.pk)
    assert (stored.status, stored.password) == (AdminActionStatus.EXPIRED, "")
    expired = AuditEvent.objects.filter(object_type="accounts.adminactionrequest").latest("pk")
    assert (expired.actor_id, expired.changes["status"], expired.message) == (
        None,
        ["待确认", "已过期"],
        "24小时内未获确认，已过期",
    )
    assert not fresh(world.auditor).check_password(TEMPORARY)
    # The same act may be asked again.
    confirmations.request_password_reset(
        actor=world.secadmin, user=world.auditor, new_password=TEMPORARY
    )


def test_the_requests_page_expires_them_when_listed(client, world):
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25), tick=False):
        asked = confirmations.request_password_reset(
            actor=world.secadmin, user=world.auditor, new_password=TEMPORARY
        )
    client.force_login(world.sysadmin)
    page = client.get("/administration/requests/").content.decode()
    assert 'data-testid="confirm-request"' not in page
    assert "已过期" in page
    stored = AdminActionRequest.objects.get(pk=asked.pk)
    assert (stored.status, stored.password) == (AdminActionStatus.EXPIRED, "")


# --- the pages ----------------------------------------------------------------------------------


def test_the_system_administrator_cannot_deactivate_an_administrator_on_the_page(
    client, world, olga
):
    client.force_login(world.sysadmin)
    page = client.get(f"/administration/users/{world.auditor.pk}/").content.decode()
    assert 'data-testid="deactivate"' not in page
    assert 'data-testid="administrator-active-note"' in page
    with assert_nothing_written(User, AdminActionRequest, AuditEvent):
        response = client.post(f"/administration/users/{world.auditor.pk}/active/", {"active": "0"})
    assert response.status_code == 404


def test_deactivating_an_administrator_asked_and_confirmed_on_the_pages(client, world, olga):
    client.force_login(world.secadmin)
    response = client.post(
        f"/administration/users/{world.auditor.pk}/active/", {"active": "0"}, follow=True
    )
    assert "已提交申请：停用管理员账号" in response.content.decode()
    assert fresh(world.auditor).is_active is True

    asked = AdminActionRequest.objects.get()
    client.force_login(world.sysadmin)
    client.post(f"/administration/requests/{asked.pk}/confirm/")
    assert fresh(world.auditor).is_active is False


def test_the_last_auditor_is_refused_on_the_page(client, world):
    client.force_login(world.secadmin)
    with assert_nothing_written(User, AdminActionRequest, AuditEvent):
        response = client.post(
            f"/administration/users/{world.auditor.pk}/active/", {"active": "0"}, follow=True
        )
    assert "本站最后一位在用的审计员" in response.content.decode()


def test_the_security_administrator_does_not_deactivate_themself_on_the_page(client, world):
    make("sam2", Role.SECURITY_ADMIN)
    client.force_login(world.secadmin)
    page = client.get(f"/administration/users/{world.secadmin.pk}/").content.decode()
    assert 'data-testid="deactivate"' not in page
    with assert_nothing_written(User, AdminActionRequest, AuditEvent):
        response = client.post(
            f"/administration/users/{world.secadmin.pk}/active/", {"active": "0"}, follow=True
        )
    assert "不能停用自己的账号。" in response.content.decode()


def test_an_administrators_username_changes_only_on_a_request(client, world):
    client.force_login(world.sysadmin)
    client.post(
        f"/administration/users/{world.auditor.pk}/profile/",
        {"username": "auditor2", "display_name": "审计员甲"},
    )
    auditor = fresh(world.auditor)
    assert (auditor.username, auditor.display_name) == ("auditor", "审计员甲")

    client.force_login(world.secadmin)
    response = client.post(
        f"/administration/users/{world.auditor.pk}/username/",
        {"rename-username": "auditor2"},
        follow=True,
    )
    assert "已提交申请：修改管理员用户名" in response.content.decode()
    asked = AdminActionRequest.objects.get()
    client.force_login(world.sysadmin)
    client.post(f"/administration/requests/{asked.pk}/confirm/")
    assert fresh(world.auditor).username == "auditor2"


def test_the_management_area_leaves_an_administrators_status_and_username(client, world, olga):
    client.force_login(world.sysadmin)
    for user in [world.auditor, world.sysadmin]:
        # The form's is_active box is left unticked: a deactivation if it were honoured.
        client.post(
            f"/manage/accounts/user/{user.pk}/change/",
            {"username": f"{user.username}-x", "display_name": "改", "_save": "Save"},
        )
        assert (fresh(user).username, fresh(user).is_active) == (user.username, True)
    client.post(
        f"/manage/accounts/user/{world.bob.pk}/change/",
        {"username": "bob", "display_name": "鲍勃", "_save": "Save"},
    )
    assert fresh(world.bob).is_active is False


# --- a password reset by an administrator -------------------------------------------------------


def sign_in(client, username: str, password: str):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, follow=True
    )


def test_the_owner_is_told_at_sign_in_who_reset_their_password(client, world):
    services.reset_password(actor=world.sysadmin, user=world.bob, new_password=TEMPORARY)

    page = sign_in(client, "bob", TEMPORARY)

    assert page.redirect_chain[-1][0] == "/accounts/password/"
    html = page.content.decode()
    assert "您的密码已由管理员sysadmin于" in html
    assert "如非您本人申请，请告知安全管理员" in html

    client.post(
        "/accounts/password/",
        {"old_password": TEMPORARY, "new_password": OWN, "new_password_again": OWN},
    )
    client.post("/accounts/logout/")
    assert "您的密码已由管理员" not in sign_in(client, "bob", OWN).content.decode()


def test_a_person_changing_their_own_password_is_not_told_of_a_reset(client, world):
    services.change_password(actor=world.bob, user=world.bob, new_password=OWN)
    assert "您的密码已由管理员" not in sign_in(client, "bob", OWN).content.decode()


def test_the_auditor_home_shows_resets_and_deactivations(client, world):
    services.reset_password(actor=world.sysadmin, user=world.bob, new_password=TEMPORARY)
    services.update_user(actor=world.sysadmin, user=world.rita, is_active=False)
    client.force_login(world.auditor)
    html = client.get("/").content.decode()
    acts = [line for line in html.splitlines() if 'data-testid="administrator-act"' in line]
    assert any("由管理员重置" in line and str(world.bob) in line for line in acts)
    assert any(str(world.rita) in line and "sysadmin" in line for line in acts)
