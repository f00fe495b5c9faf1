"""The three administrators kept apart (三权分立, DOMAIN.md §2): the security administrator
gives and takes away roles; an act on an administrator's account (an administrator role
given or taken away, a reset, an unlock) is asked for by the security administrator and done
only when a second administrator — neither the one who asked nor the account acted on —
confirms it within a day; every step is audited and the auditor's home shows it.

Personas (tiaodu.testing): sysadmin, secadmin and auditor, the three administrators; bob a
reporter, rita a reporter (unit A); nina, made here, an account without a role.
"""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tiaodu.accounts import confirmations, lockout, services
from tiaodu.accounts.models import (
    AccountLock,
    AdminActionKind,
    AdminActionRequest,
    AdminActionStatus,
    PasswordHistory,
    User,
    UserRole,
)
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.roles import Role
from tiaodu.testing import PASSWORD, assert_nothing_written

TEMPORARY = "Harbour#Temp26"
CONFIRMED = "由secadmin申请，经{}确认"


@pytest.fixture
def nina(world: Any) -> User:
    return services.create_user(actor=None, username="nina", password=PASSWORD, display_name="倪娜")


def another_administrator(username: str) -> User:
    """An account without a role yet, to hold an administrator role beside the world's."""
    return services.create_user(actor=None, username=username, password=PASSWORD)


def roles_of(user: User) -> list[str]:
    return sorted(UserRole.objects.filter(user=user).values_list("role", flat=True))


def lock(username: str) -> AccountLock:
    return AccountLock.objects.create(
        username=username, locked_until=timezone.now() + dt.timedelta(minutes=20)
    )


def events_after(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=mark).order_by("pk"))


def last_event_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- roles are the security administrator's ---------------------------------------------------


@pytest.mark.parametrize(
    ("who", "role", "unit"),
    [
        ("nina", Role.DISPATCHER, "city"),
        ("sysadmin", Role.DISPATCHER, "city"),
        ("nina", Role.AUDITOR, None),
        ("bob", Role.LEADER, "laoshan"),
    ],
)
def test_the_system_administrator_gives_no_role(world, nina, who, role, unit):
    user = nina if who == "nina" else world.users[who]
    before = roles_of(user)
    with assert_nothing_written(UserRole, AuditEvent), pytest.raises(PermissionDenied) as refused:
        services.assign_role(
            actor=world.sysadmin,
            user=user,
            role=role,
            org_unit=getattr(world, unit) if unit else None,
        )
    assert str(refused.value) == "只有安全管理员可以授予和收回角色。"
    assert roles_of(user) == before


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "alice"])
def test_nobody_but_the_security_administrator_takes_a_role_away(world, who):
    assignment = world.bob.role_assignments.get()
    with assert_nothing_written(UserRole, AuditEvent), pytest.raises(PermissionDenied):
        services.remove_role(actor=world.users[who], assignment=assignment)


def test_the_security_administrator_gives_a_business_role_alone(world, nina):
    services.assign_role(
        actor=world.secadmin, user=nina, role=Role.DISPATCHER, org_unit=world.huangdao
    )
    assert roles_of(nina) == [Role.DISPATCHER]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_an_administrator_role_is_not_given_by_one_administrator_alone(world, nina, role):
    with assert_nothing_written(UserRole, AuditEvent), pytest.raises(ValidationError) as refused:
        services.assign_role(actor=world.secadmin, user=nina, role=role)
    assert refused.value.code == "needs_confirmation"


def test_an_administrator_role_is_not_taken_away_by_one_administrator_alone(world):
    assignment = world.auditor.role_assignments.get()
    with assert_nothing_written(UserRole, AuditEvent), pytest.raises(ValidationError) as refused:
        services.remove_role(actor=world.secadmin, assignment=assignment)
    assert refused.value.code == "needs_confirmation"


def test_the_site_set_up_still_gives_any_role(world, nina):
    """Commands and the demo act with no actor: the set-up of a site makes its administrators."""
    services.assign_role(actor=None, user=nina, role=Role.AUDITOR)
    assert roles_of(nina) == [Role.AUDITOR]


# --- resets and unlocks -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secadmin", "auditor", "alice"])
def test_only_the_system_administrator_resets_an_ordinary_account(world, who):
    old_hash = User.objects.get(pk=world.bob.pk).password
    with assert_nothing_written(PasswordHistory, AuditEvent), pytest.raises(PermissionDenied):
        services.reset_password(actor=world.users[who], user=world.bob, new_password=TEMPORARY)
    assert User.objects.get(pk=world.bob.pk).password == old_hash


@pytest.mark.parametrize(("who", "target"), [("sysadmin", "auditor"), ("secadmin", "sysadmin")])
def test_no_administrator_resets_another_alone(world, who, target):
    with (
        assert_nothing_written(User, PasswordHistory, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        services.reset_password(
            actor=world.users[who], user=world.users[target], new_password=TEMPORARY
        )
    assert refused.value.code == "needs_confirmation"


def test_a_reset_does_not_lift_a_lock(world):
    held = lock("bob")
    services.reset_password(actor=world.sysadmin, user=world.bob, new_password=TEMPORARY)
    held.refresh_from_db()
    assert held.unlocked_at is None
    assert lockout.active_lock("bob") == held


def test_only_the_security_administrator_unlocks(world):
    held = lock("bob")
    with assert_nothing_written(AccountLock, AuditEvent), pytest.raises(PermissionDenied):
        lockout.unlock(actor=world.sysadmin, lock=held)
    lockout.unlock(actor=world.secadmin, lock=held)
    held.refresh_from_db()
    assert held.unlocked_by == world.secadmin


def test_an_administrators_lock_is_not_lifted_by_one_administrator_alone(world):
    held = lock("auditor")
    with assert_nothing_written(AccountLock, AuditEvent), pytest.raises(ValidationError) as refused:
        lockout.unlock(actor=world.secadmin, lock=held)
    assert refused.value.code == "needs_confirmation"


# --- requests and confirmations -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "alice"])
def test_only_the_security_administrator_asks(world, nina, who):
    actor = world.users[who]
    held = lock("secadmin")
    with assert_nothing_written(AdminActionRequest, AuditEvent):
        with pytest.raises(PermissionDenied):
            confirmations.request_role_grant(actor=actor, user=nina, role=Role.AUDITOR)
        with pytest.raises(PermissionDenied):
            confirmations.request_password_reset(
                actor=actor, user=world.secadmin, new_password=TEMPORARY
            )
        with pytest.raises(PermissionDenied):
            confirmations.request_unlock(actor=actor, lock=held)


def test_a_second_auditor_needs_a_second_administrator(world, nina):
    mark = last_event_pk()
    asked = confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)

    assert roles_of(nina) == []
    assert (asked.kind, asked.status, asked.requested_by) == (
        AdminActionKind.GRANT_ROLE,
        AdminActionStatus.PENDING,
        world.secadmin,
    )
    assert asked.expires_at - asked.requested_at == dt.timedelta(hours=24)
    # The one who asked confirms nothing; nor does someone who is no administrator.
    for who in ["secadmin", "alice"]:
        with pytest.raises(PermissionDenied):
            confirmations.confirm(actor=world.users[who], request=asked)
    assert roles_of(nina) == []

    confirmations.confirm(actor=world.auditor, request=asked)

    assert roles_of(nina) == [Role.AUDITOR]
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (AdminActionStatus.CONFIRMED, world.auditor)
    created, given, decided = events_after(mark)
    assert (created.action, created.actor_id, created.object_type, created.parent_id) == (
        AuditAction.CREATE,
        world.secadmin.pk,
        "accounts.adminactionrequest",
        str(nina.pk),
    )
    assert created.changes["kind"] == ["", "授予管理员角色"]
    assert created.changes["role"] == ["", "审计员"]
    assert (given.action, given.object_type, given.actor_id, given.message) == (
        AuditAction.CREATE,
        "accounts.userrole",
        world.auditor.pk,
        CONFIRMED.format("auditor"),
    )
    assert given.changes["role"] == ["", "审计员"]
    assert (decided.action, decided.actor_id, decided.changes["status"]) == (
        AuditAction.UPDATE,
        world.auditor.pk,
        ["待确认", "已确认并执行"],
    )


def test_the_account_acted_on_does_not_confirm(world):
    asked = confirmations.request_password_reset(
        actor=world.secadmin, user=world.auditor, new_password=TEMPORARY
    )
    with pytest.raises(PermissionDenied):
        confirmations.confirm(actor=world.auditor, request=asked)
    assert not User.objects.get(pk=world.auditor.pk).check_password(TEMPORARY)


def test_a_reset_keeps_only_the_hash_until_the_confirmation(world):
    old_hash = User.objects.get(pk=world.auditor.pk).password
    mark = last_event_pk()
    asked = confirmations.request_password_reset(
        actor=world.secadmin, user=world.auditor, new_password=TEMPORARY
    )

    stored = AdminActionRequest.objects.get(pk=asked.pk)
    assert TEMPORARY not in str(stored.__dict__)
    assert stored.password.startswith("md5$")
    assert User.objects.get(pk=world.auditor.pk).password == old_hash

    confirmations.confirm(actor=world.sysadmin, request=asked)

    auditor = User.objects.get(pk=world.auditor.pk)
    assert auditor.check_password(TEMPORARY)
    assert auditor.must_change_password is True
    assert list(
        PasswordHistory.objects.filter(user=auditor).values_list("password", flat=True)
    ) == [old_hash]
    assert AdminActionRequest.objects.get(pk=asked.pk).password == ""
    reset = AuditEvent.objects.get(pk__gt=mark, action=AuditAction.PASSWORD_CHANGE)
    assert (reset.actor_id, reset.object_id, reset.message) == (
        world.sysadmin.pk,
        str(auditor.pk),
        CONFIRMED.format("sysadmin"),
    )
    for event in events_after(mark):
        for secret in [TEMPORARY, stored.password, old_hash]:
            assert secret not in str(event.__dict__)


def test_a_weak_temporary_password_is_refused_when_asked(world):
    with assert_nothing_written(AdminActionRequest, AuditEvent), pytest.raises(ValidationError):
        confirmations.request_password_reset(
            actor=world.secadmin, user=world.auditor, new_password="abc"
        )


def test_an_ordinary_account_needs_no_request(world):
    with (
        assert_nothing_written(AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.request_password_reset(
            actor=world.secadmin, user=world.bob, new_password=TEMPORARY
        )
    assert refused.value.code == "not_an_administrator"


def test_an_unlock_of_an_administrator_confirmed(world):
    held = lock("sysadmin")
    asked = confirmations.request_unlock(actor=world.secadmin, lock=held)
    assert lockout.active_lock("sysadmin") == held

    confirmations.confirm(actor=world.auditor, request=asked)

    held.refresh_from_db()
    assert (held.unlocked_at is not None, held.unlocked_by) == (True, world.auditor)
    unlocked = AuditEvent.objects.filter(action=AuditAction.UNLOCK).latest("pk")
    assert (unlocked.actor_id, unlocked.object_id, unlocked.message) == (
        world.auditor.pk,
        str(world.sysadmin.pk),
        CONFIRMED.format("auditor"),
    )


def test_a_confirmed_unlock_lifts_the_locks_of_every_address(world):
    """Locks from two addresses (docs/adr/0002-lockout.md): the confirmed unlock lifts both,
    each with its audit event; a lock on another account stays."""
    first = AccountLock.objects.create(
        username="sysadmin",
        source_address="10.0.0.7",
        locked_until=timezone.now() + dt.timedelta(minutes=20),
    )
    second = AccountLock.objects.create(
        username="sysadmin",
        source_address="10.0.0.9",
        locked_until=timezone.now() + dt.timedelta(minutes=25),
    )
    other = lock("alice")
    asked = confirmations.request_unlock(actor=world.secadmin, lock=first)
    mark = last_event_pk()

    confirmations.confirm(actor=world.auditor, request=asked)

    for held in (first, second, other):
        held.refresh_from_db()
    assert (first.unlocked_by, second.unlocked_by, other.unlocked_at) == (
        world.auditor,
        world.auditor,
        None,
    )
    unlocks = [event for event in events_after(mark) if event.action == AuditAction.UNLOCK]
    assert len(unlocks) == 2


def test_an_administrator_role_taken_away_on_confirmation(world, nina):
    services.assign_role(actor=None, user=nina, role=Role.AUDITOR)
    asked = confirmations.request_role_removal(
        actor=world.secadmin, assignment=world.auditor.role_assignments.get()
    )
    assert roles_of(world.auditor) == [Role.AUDITOR]
    confirmations.confirm(actor=world.sysadmin, request=asked)
    assert roles_of(world.auditor) == []


def test_a_request_expires_after_a_day(world, nina):
    asked = confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)
    AdminActionRequest.objects.filter(pk=asked.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with (
        assert_nothing_written(UserRole, AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.confirm(actor=world.auditor, request=asked)
    assert refused.value.code == "expired"
    assert not confirmations.open_requests().exists()


def test_the_same_act_is_asked_once(world, nina):
    confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)
    with (
        assert_nothing_written(AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.SYSTEM_ADMIN)
    assert refused.value.code == "already_requested"


def test_refused_withdrawn_and_decided_once(world, nina):
    asked = confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)
    confirmations.refuse(actor=world.sysadmin, request=asked)
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (AdminActionStatus.REFUSED, world.sysadmin)
    with pytest.raises(ValidationError) as refused:
        confirmations.confirm(actor=world.auditor, request=asked)
    assert refused.value.code == "decided"
    assert roles_of(nina) == []

    again = confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)
    confirmations.refuse(actor=world.secadmin, request=again)
    assert AdminActionRequest.objects.get(pk=again.pk).status == AdminActionStatus.WITHDRAWN

    third = confirmations.request_password_reset(
        actor=world.secadmin, user=world.auditor, new_password=TEMPORARY
    )
    with pytest.raises(PermissionDenied):
        confirmations.refuse(actor=world.auditor, request=third)


def test_the_separation_is_checked_again_at_the_confirmation(world, nina):
    asked = confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)
    services.assign_role(
        actor=world.secadmin, user=nina, role=Role.DISPATCHER, org_unit=world.huangdao
    )
    with (
        assert_nothing_written(UserRole, AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.confirm(actor=world.sysadmin, request=asked)
    assert refused.value.code == "separation_of_duties"


# --- the pages ----------------------------------------------------------------------------------


def test_the_system_administrator_cannot_make_a_city_dispatcher_in_the_area(client, world, nina):
    client.force_login(world.sysadmin)
    with assert_nothing_written(UserRole, AdminActionRequest, AuditEvent):
        response = client.post(
            f"/administration/users/{nina.pk}/roles/",
            {"role-role": Role.DISPATCHER, "role-org_unit": world.city.pk},
        )
    assert response.status_code == 404


def test_asking_for_a_second_auditor_and_confirming_it_on_the_pages(client, world, nina):
    client.force_login(world.secadmin)
    with assert_nothing_written(UserRole):
        response = client.post(
            f"/administration/users/{nina.pk}/roles/", {"role-role": Role.AUDITOR}, follow=True
        )
    html = response.content.decode()
    assert "已提交申请：授予管理员角色 · 倪娜" in html
    assert 'data-testid="account-waiting"' in html

    mine = client.get("/administration/requests/").content.decode()
    assert 'data-testid="withdraw-request"' in mine
    assert 'data-testid="confirm-request"' not in mine
    asked = AdminActionRequest.objects.get()
    with assert_nothing_written(UserRole):
        client.post(f"/administration/requests/{asked.pk}/confirm/", follow=True)
    assert AdminActionRequest.objects.get().status == AdminActionStatus.PENDING

    client.force_login(world.auditor)
    page = client.get("/administration/requests/").content.decode()
    assert 'data-testid="confirm-request"' in page
    assert "待确认" in page
    response = client.post(f"/administration/requests/{asked.pk}/confirm/", follow=True)

    assert "已确认：授予管理员角色 · 倪娜已执行。" in response.content.decode()
    assert roles_of(nina) == [Role.AUDITOR]


def test_the_security_administrator_asks_for_an_administrators_reset_on_the_page(client, world):
    client.force_login(world.sysadmin)
    page = client.get(f"/administration/users/{world.auditor.pk}/").content.decode()
    assert 'data-testid="password-form"' not in page
    assert 'data-testid="administrator-reset-note"' in page
    with assert_nothing_written(User, AdminActionRequest, AuditEvent):
        response = client.post(
            f"/administration/users/{world.auditor.pk}/password/",
            {"password-password1": TEMPORARY, "password-password2": TEMPORARY},
        )
    assert response.status_code == 404

    client.force_login(world.secadmin)
    with assert_nothing_written(User):
        response = client.post(
            f"/administration/users/{world.auditor.pk}/password/",
            {"password-password1": TEMPORARY, "password-password2": TEMPORARY},
        )
    assert response.status_code == 302
    assert AdminActionRequest.objects.get().kind == AdminActionKind.RESET_PASSWORD


def test_the_system_administrators_reset_says_the_lock_stays(client, world):
    lock("bob")
    client.force_login(world.sysadmin)
    response = client.post(
        f"/administration/users/{world.bob.pk}/password/",
        {"password-password1": TEMPORARY, "password-password2": TEMPORARY},
        follow=True,
    )
    assert "该账号仍处于锁定状态" in response.content.decode()
    assert lockout.active_lock("bob") is not None


def test_unlocking_an_administrator_on_the_locks_page_asks_for_it(client, world):
    held = lock("auditor")
    client.force_login(world.secadmin)
    page = client.get("/accounts/locks/").content.decode()
    assert "申请解锁" in page
    response = client.post(f"/accounts/locks/{held.pk}/unlock/", follow=True)
    assert "已提交申请：解锁管理员账号 · Auditor" in response.content.decode()
    assert lockout.active_lock("auditor") == held


@pytest.mark.parametrize("persona", ["alice", "rita", "leo"])
def test_the_requests_page_is_the_administrators(client, world, nina, persona):
    asked = confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)
    client.force_login(world.users[persona])
    with assert_nothing_written(UserRole, AdminActionRequest, AuditEvent):
        assert client.get("/administration/requests/").status_code == 404
        assert client.post(f"/administration/requests/{asked.pk}/confirm/").status_code == 404


def test_the_auditors_home_shows_the_acts_on_accounts(client, world, nina):
    services.assign_role(actor=world.secadmin, user=nina, role=Role.LEADER, assigned_only=True)
    asked = confirmations.request_password_reset(
        actor=world.secadmin, user=world.sysadmin, new_password=TEMPORARY
    )
    confirmations.confirm(actor=world.auditor, request=asked)
    confirmations.request_unlock(actor=world.secadmin, lock=lock("auditor"))

    client.force_login(world.auditor)
    html = client.get("/").content.decode()

    acts = html.split('data-testid="administrator-acts"')[1].split("Latest failures")[0]
    assert acts.count('data-testid="administrator-act"') >= 5
    assert "secadmin</strong> 新增 · 倪娜 · 领导" in acts
    assert CONFIRMED.format("auditor") in acts
    assert "解锁管理员账号 · Auditor" in acts
    assert '<div class="h1 mb-0" data-testid="waiting-count">1</div>' in html


def test_a_request_whose_asker_left_the_role_is_not_confirmed(world, nina):
    asked = confirmations.request_role_grant(actor=world.secadmin, user=nina, role=Role.AUDITOR)
    services.assign_role(actor=None, user=another_administrator("sara"), role=Role.SECURITY_ADMIN)
    services.take_role(actor=None, assignment=world.secadmin.role_assignments.get())
    with (
        assert_nothing_written(UserRole, AdminActionRequest, AuditEvent),
        pytest.raises(ValidationError) as refused,
    ):
        confirmations.confirm(actor=world.auditor, request=asked)
    assert refused.value.code == "requester_gone"


def test_the_management_area_offers_no_reset_of_an_administrator(client, world):
    client.force_login(world.sysadmin)
    page = client.get(f"/manage/accounts/user/{world.auditor.pk}/change/").content.decode()
    assert 'data-testid="reset-password"' not in page
    page = client.get(f"/manage/accounts/user/{world.bob.pk}/change/").content.decode()
    assert 'data-testid="reset-password"' in page
