"""The security policy page (安全策略) of the administration area: the security administrator
sets the password, idle, lock and two-step values within the MLPS level 3 bounds; a saved
value is in force at once; a value beyond a bound is refused and nothing is written; each
change is audited with its values before and after (docs/security.md).

Personas (tiaodu.testing): secadmin sets the policy; sysadmin, auditor and alice (a
dispatcher) meet 404; rita (a reporter) signs in and mistypes.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.accounts import policy, services
from tiaodu.accounts.models import AccountLock, SecurityPolicy
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.roles import Role
from tiaodu.testing import PASSWORD, assert_nothing_written

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WRONG = "Not-the-password-1"
STRICTER = {
    "password_max_age_days": "60",
    "password_history": "8",
    "idle_timeout_minutes": "20",
    "admin_idle_timeout_minutes": "10",
    "lockout_failures": "3",
    "lockout_duration_minutes": "60",
    "second_factor_roles": ["system_admin", "security_admin", "auditor", "dispatcher", "leader"],
}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_the_page_shows_the_settings_values_before_any_is_saved(client, world):
    client.force_login(world.secadmin)

    page = client.get("/administration/policy/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="area-nav-policy"' in html
    assert 'name="password_max_age_days" value="90"' in html
    assert 'name="lockout_failures" value="5"' in html
    assert 'name="admin_idle_timeout_minutes" value="15"' in html
    # The tests' settings require no role to sign in in two steps.
    assert 'value="dispatcher" checked' not in html
    assert not SecurityPolicy.objects.exists()


@pytest.mark.parametrize("name", ["alice", "sysadmin", "auditor", "rita"])
def test_nobody_else_opens_or_saves_the_policy(client, world, name):
    client.force_login(world.users[name])

    assert client.get("/administration/policy/").status_code == 404
    with assert_nothing_written(SecurityPolicy, AuditEvent):
        assert client.post("/administration/policy/", STRICTER).status_code == 404
    assert 'data-testid="area-nav-policy"' not in client.get("/").content.decode()


def test_only_the_security_administrator_may_set_the_policy(world):
    with assert_nothing_written(SecurityPolicy, AuditEvent), pytest.raises(PermissionDenied):
        services.update_security_policy(actor=world.sysadmin, lockout_failures=3)


def test_saving_audits_the_values_before_and_after(client, world):
    client.force_login(world.secadmin)

    response = client.post("/administration/policy/", STRICTER)

    assert response.status_code == 302
    row = SecurityPolicy.objects.get()
    assert (row.pk, row.lockout_failures, row.updated_by) == (1, 3, world.secadmin)
    event = AuditEvent.objects.filter(object_type="accounts.securitypolicy").get()
    assert (event.action, event.actor_id) == (AuditAction.UPDATE, world.secadmin.pk)
    assert event.changes == {
        "password_max_age_days": ["90", "60"],
        "password_history": ["5", "8"],
        "idle_timeout_minutes": ["30", "20"],
        "admin_idle_timeout_minutes": ["15", "10"],
        "lockout_failures": ["5", "3"],
        "lockout_duration_minutes": ["30", "60"],
        "second_factor_roles": ["", "系统管理员、安全管理员、审计员、调度员、领导"],
    }
    values = policy.current()
    assert values["PASSWORD_MAX_AGE"] == dt.timedelta(days=60)
    assert values["TOTP_REQUIRED_ROLES"] == frozenset(STRICTER["second_factor_roles"])
    # Saving the same values again changes nothing and writes no second event.
    services.update_security_policy(actor=world.secadmin, lockout_failures=3)
    assert AuditEvent.objects.filter(object_type="accounts.securitypolicy").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "bound"),
    [
        ("password_max_age_days", "120", "1 至 90"),
        ("password_history", "4", "5 至 24"),
        ("idle_timeout_minutes", "31", "1 至 30"),
        ("admin_idle_timeout_minutes", "16", "1 至 15"),
        ("lockout_failures", "6", "1 至 5"),
        ("lockout_duration_minutes", "29", "30 至 1440"),
    ],
)
def test_a_value_beyond_its_bound_is_refused_and_nothing_changes(
    client, world, field, value, bound
):
    client.force_login(world.secadmin)

    with assert_nothing_written(SecurityPolicy, AuditEvent):
        page = client.post("/administration/policy/", {**STRICTER, field: value})

    assert page.status_code == 200
    html = page.content.decode()
    assert str(policy.LABELS[field]) in html
    assert bound in html
    assert "只能比等保三级基线更严格" in html


def test_the_administrators_and_dispatchers_always_sign_in_in_two_steps(client, world):
    client.force_login(world.secadmin)
    without_dispatchers = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR]

    with assert_nothing_written(SecurityPolicy, AuditEvent):
        page = client.post(
            "/administration/policy/", {**STRICTER, "second_factor_roles": without_dispatchers}
        )
        with pytest.raises(ValidationError):
            services.update_security_policy(
                actor=world.secadmin, second_factor_roles=without_dispatchers
            )

    assert "系统管理员、安全管理员、审计员和调度员始终须两步登录" in page.content.decode()


def sign_in(client, username: str, password: str = PASSWORD):
    client.cookies["django_language"] = "en"
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_three_failures_lock_once_the_policy_says_three(client, world, clock):
    services.update_security_policy(
        actor=world.secadmin,
        **policy.in_force()
        | {"lockout_failures": 3, "lockout_duration_minutes": 45}
        | {"second_factor_roles": sorted(policy.ALWAYS_SECOND_FACTOR)},
    )

    login_page = client.get("/accounts/login/").content.decode()
    assert "15分钟内输错密码3次，该账户将在您所在地址被锁定45分钟。" in login_page
    first = sign_in(client, "rita", WRONG)
    assert (
        "2 more wrong attempts will lock the account from your address for 45 minutes."
        in first.content.decode()
    )
    sign_in(client, "rita", WRONG)
    assert not AccountLock.objects.exists()
    sign_in(client, "rita", WRONG)

    [lock] = AccountLock.objects.filter(username="rita")
    assert lock.locked_until == START + dt.timedelta(minutes=45)


def test_an_idle_timeout_of_twenty_minutes_ends_a_session_idle_for_twenty_five(
    client, world, clock
):
    sign_in(client, "rita")
    assert client.get("/").status_code == 200
    services.update_security_policy(
        actor=world.secadmin,
        **policy.in_force()
        | {"idle_timeout_minutes": 20, "second_factor_roles": sorted(policy.ALWAYS_SECOND_FACTOR)},
    )
    clock.shift(dt.timedelta(minutes=25))

    response = client.get("/projects/")

    assert response["Location"] == "/accounts/login/?next=/projects/"
    assert "_auth_user_id" not in client.session


def test_without_a_saved_policy_the_settings_apply(world, settings):
    settings.TIAODU_SECURITY = {**settings.TIAODU_SECURITY, "LOCKOUT_FAILURES": 4}

    assert policy.current()["LOCKOUT_FAILURES"] == 4
    assert policy.current()["TOTP_REQUIRED_ROLES"] == frozenset()
