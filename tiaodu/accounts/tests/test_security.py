"""The security profile of DOMAIN.md §9: lockout, unlocking, session timeouts, password policy.

Personas (tiaodu.testing): rita (a reporter) signs in and mistypes; secadmin, the security
administrator, sees locks and unlocks; secadmin is also the administrator whose idle limit
is 15 minutes. Texts are checked in English (the language cookie), times in Shanghai.
"""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tiaodu.accounts.models import AccountLock, User
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
WRONG = "Not-the-password-1"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def english(client):
    client.cookies["django_language"] = "en"
    return client


def sign_in(client, username: str, password: str = PASSWORD):
    return english(client).post("/accounts/login/", {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def lock_out(client, username: str = "rita"):
    for _attempt in range(5):
        response = sign_in(client, username, WRONG)
    return response


# --- lockout ---------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes(client, world, clock):
    for remaining in [4, 3, 2, 1]:
        response = sign_in(client, "rita", WRONG)
        assert (
            f"Wrong username or password. {remaining} more wrong attempts will lock the account "
            "from your address for 30 minutes." in response.content.decode()
        )

    fifth = sign_in(client, "rita", WRONG)

    assert fifth.status_code == 200
    assert (
        "This account is locked from your address after repeated wrong passwords. Try again "
        "after 09:30 (2026-03-10), or ask the security administrator to unlock it."
        in fifth.content.decode()
    )
    # Five failures from one address lock the account from that address only.
    [lock] = AccountLock.objects.filter(username="rita")
    assert (lock.source_address, lock.locked_at, lock.locked_until, lock.unlocked_at) == (
        "127.0.0.1",
        START,
        START + dt.timedelta(minutes=30),
        None,
    )
    [event] = AuditEvent.objects.filter(action=AuditAction.LOCKOUT)
    assert (event.actor_id, event.actor_name, event.object_repr, event.success, event.message) == (
        world.rita.pk,
        "rita",
        "rita",
        False,
        "自127.0.0.1连续失败5次，锁定该地址的登录至09:30",
    )
    assert not signed_in(client)


def test_the_right_password_is_refused_while_locked(client, world, clock):
    lock_out(client)
    clock.shift(dt.timedelta(minutes=29, seconds=59))

    response = sign_in(client, "rita", PASSWORD)

    assert response.status_code == 200
    assert "Try again after 09:30 (2026-03-10)" in response.content.decode()
    assert not signed_in(client)
    refused = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).latest("pk")
    assert (refused.actor_id, refused.message, refused.success) == (
        world.rita.pk,
        "账户已锁定",
        False,
    )
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=world.rita).exists()
    assert AccountLock.objects.filter(username="rita").count() == 1


def test_sign_in_works_again_when_the_lock_ends(client, world, clock):
    lock_out(client)
    clock.shift(dt.timedelta(minutes=30))

    response = sign_in(client, "rita", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in(client)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=world.rita).count() == 1


def test_failures_older_than_fifteen_minutes_do_not_count(client, world, clock):
    for _attempt in range(4):
        sign_in(client, "rita", WRONG)
    clock.shift(dt.timedelta(minutes=16))

    response = sign_in(client, "rita", WRONG)

    assert (
        "Wrong username or password. 4 more wrong attempts will lock the account from your "
        "address for 30 minutes." in response.content.decode()
    )
    assert not AccountLock.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOCKOUT).exists()
    assert sign_in(client, "rita", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, world, clock):
    for _attempt in range(4):
        sign_in(client, "rita", WRONG)
    clock.shift(dt.timedelta(minutes=1))
    sign_in(client, "rita", PASSWORD)
    client.post("/accounts/logout/")
    clock.shift(dt.timedelta(minutes=1))

    response = sign_in(client, "rita", WRONG)

    assert "4 more wrong attempts" in response.content.decode()
    assert not AccountLock.objects.exists()


# --- the security administrator's page -------------------------------------------------------


def test_the_security_administrator_sees_locks_and_failed_sign_ins(client, world, clock):
    lock_out(client, "rita")
    sign_in(client, "ghost", WRONG)
    sign_in(client, "ghost", WRONG)
    with time_machine.travel(START - dt.timedelta(hours=25), tick=False):
        sign_in(client, "bob", WRONG)
    clock.shift(dt.timedelta(minutes=5))
    client.force_login(world.secadmin)

    response = client.get("/accounts/locks/")

    assert response.status_code == 200
    assert [lock.username for lock in response.context["active"]] == ["rita"]
    assert [(r["username"], r["failures"], r["locked"]) for r in response.context["failures"]] == [
        ("rita", 5, True),
        ("ghost", 2, False),
    ]
    html = response.content.decode()
    active = html.split('data-testid="active-locks"')[1].split('data-testid="failed-sign-ins"')[0]
    assert "rita" in active
    assert "until 09:30 (25\xa0minutes left)" in active
    assert f'action="/accounts/locks/{AccountLock.objects.get().pk}/unlock/"' in active
    failures = html.split('data-testid="failed-sign-ins"')[1].split('data-testid="recent-locks"')[0]
    assert failures.count('data-testid="failed-sign-in"') == 2
    assert "bob" not in failures


def test_the_security_administrator_unlocks_an_account(client, world, clock):
    lock_out(client)
    lock = AccountLock.objects.get()
    clock.shift(dt.timedelta(minutes=3))
    client.force_login(world.secadmin)

    response = client.post(f"/accounts/locks/{lock.pk}/unlock/", follow=True)

    assert response.redirect_chain == [("/accounts/locks/", 302)]
    assert "Account rita is unlocked." in response.content.decode()
    lock.refresh_from_db()
    assert (lock.unlocked_at, lock.unlocked_by) == (START + dt.timedelta(minutes=3), world.secadmin)
    [event] = AuditEvent.objects.filter(action=AuditAction.UNLOCK)
    assert (event.actor_id, event.object_repr, event.object_id) == (
        world.secadmin.pk,
        "rita",
        str(world.rita.pk),
    )
    assert response.context["active"] == []
    client.post("/accounts/logout/")
    assert sign_in(client, "rita", PASSWORD).status_code == 302


@pytest.mark.parametrize("name", ["alice", "rita", "leo", "sysadmin", "auditor"])
def test_nobody_else_sees_locks_or_unlocks(client, world, clock, name):
    lock_out(client)
    lock = AccountLock.objects.get()
    client.force_login(world.users[name])

    assert client.get("/accounts/locks/").status_code == 404
    assert client.post(f"/accounts/locks/{lock.pk}/unlock/").status_code == 404
    lock.refresh_from_db()
    assert lock.unlocked_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.UNLOCK).exists()


# --- session timeouts ------------------------------------------------------------------------


def test_thirty_idle_minutes_sign_a_user_out(client, world, clock):
    sign_in(client, "rita")
    clock.shift(dt.timedelta(minutes=29))
    assert client.get("/").status_code == 200
    clock.shift(dt.timedelta(minutes=30, seconds=1))

    response = client.get("/projects/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/projects/"
    assert not signed_in(client)
    [event] = AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED)
    assert event.actor_id == world.rita.pk
    login_page = client.get(response["Location"]).content.decode()
    assert "You were signed out after a period of inactivity. Please sign in again." in login_page


def test_administrators_are_signed_out_after_fifteen_idle_minutes(client, world, clock):
    sign_in(client, "secadmin")
    clock.shift(dt.timedelta(minutes=14))
    assert client.get("/accounts/locks/").status_code == 200
    clock.shift(dt.timedelta(minutes=15, seconds=1))

    response = client.get("/accounts/locks/")

    assert response["Location"] == "/accounts/login/?next=/accounts/locks/"
    assert not signed_in(client)
    assert (
        AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED, actor=world.secadmin).count()
        == 1
    )


def test_twelve_hours_end_even_a_busy_session(client, world, clock):
    sign_in(client, "rita")
    for _step in range(28):  # active every 25 minutes, 11 h 40 min in all (on a light page)
        clock.shift(dt.timedelta(minutes=25))
        assert client.get("/accounts/password/").status_code == 200
    clock.shift(dt.timedelta(minutes=20, seconds=1))

    response = client.get("/")

    assert response["Location"] == "/accounts/login/?next=/"
    assert not signed_in(client)
    login_page = client.get(response["Location"]).content.decode()
    assert "Your session reached its maximum length. Please sign in again." in login_page


# --- password policy -------------------------------------------------------------------------


def change_password(client, old: str, new: str):
    return client.post(
        "/accounts/password/",
        {
            "old_password": old,
            "new_password": new,
            "new_password_again": new,
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1#xyz", "This password is too short. It must contain at least 8 characters."),
        (
            "harbourbay2026",
            "The password must mix at least 3 of these: lower-case letters, "
            "upper-case letters, digits, symbols.",
        ),
        ("HARBOUR#BAY", "The password must mix at least 3 of these"),
    ],
)
def test_a_weak_password_is_refused(client, world, password, message):
    client.force_login(world.rita)
    english(client)

    response = change_password(client, PASSWORD, password)

    assert response.status_code == 200
    assert message in response.content.decode()
    rita = User.objects.get(pk=world.rita.pk)
    assert rita.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()


def test_three_classes_of_eight_characters_are_enough(client, world):
    client.force_login(world.rita)

    response = change_password(client, PASSWORD, "harbour#26")

    assert response["Location"] == "/"
    assert User.objects.get(pk=world.rita.pk).check_password("harbour#26")


def test_none_of_the_last_five_passwords_may_be_reused(client, world):
    client.force_login(world.rita)
    english(client)
    passwords = [PASSWORD] + [f"Harbour#{n}x" for n in range(1, 6)]
    for old, new in itertools.pairwise(passwords):
        assert change_password(client, old, new)["Location"] == "/"

    # The current one and the four before it are refused ...
    for reused in passwords[1:]:
        response = change_password(client, passwords[-1], reused)
        assert "The password must differ from your last 5 passwords." in response.content.decode()
    assert User.objects.get(pk=world.rita.pk).check_password(passwords[-1])
    # ... the sixth back may come again.
    assert change_password(client, passwords[-1], PASSWORD)["Location"] == "/"
    assert (
        AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE, actor=world.rita).count() == 6
    )


def test_an_expired_password_sends_the_user_to_the_password_page(client, world):
    User.objects.filter(pk=world.rita.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=90, minutes=1)
    )
    client.force_login(world.rita)
    english(client)

    response = client.get("/projects/")

    assert response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert "Your password has expired. Please choose a new one." in page.content.decode()
    assert change_password(client, PASSWORD, "Harbour#new1")["Location"] == "/"
    assert client.get("/projects/").status_code == 200


def test_a_password_younger_than_ninety_days_is_left_alone(client, world):
    User.objects.filter(pk=world.rita.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=89, hours=23)
    )
    client.force_login(world.rita)

    assert client.get("/projects/").status_code == 200
