"""The lockout by address (security issue, finding 5): a per-address throttle ahead of the
locks, a lock of one account from one address, the account-wide lock only when failures come
from several addresses, and the password page's current password counted as a sign-in attempt.

Personas (tiaodu.testing): dora (a district dispatcher, with an API token) and rita (a
reporter) are the accounts an attacker at 10.6.6.6 guesses at; their owners sign in from
10.1.1.1. Texts are checked in English (the language cookie), times in Shanghai.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tiaodu.accounts import lockout
from tiaodu.accounts.models import AccountLock, SignInAttempt
from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core.models import AuditAction, AuditEvent, Notification
from tiaodu.testing import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
WRONG = "Not-the-password-1"
ATTACKER = "10.6.6.6"
OWNER = "10.1.1.1"
API = "/api/v1/stats?year=2026&as_of=2026-08-31"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def browser(address: str, real_ip: str = "") -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_X_REAL_IP=real_ip)
    client.cookies["django_language"] = "en"
    return client


def attempt(client: Client, username: str, password: str = WRONG) -> str:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return "" if response.status_code == 302 else response.content.decode()


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def token_works(raw: str) -> bool:
    return Client().get(API, headers={"authorization": f"Bearer {raw}"}).status_code == 200


# --- the regression: one address cannot lock other people out ---------------------------------


def test_an_attacker_at_one_address_locks_nobody_out_elsewhere(world, clock):
    _token, raw = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    attacker = browser(ATTACKER)
    for username in ["dora", "rita"]:
        for _attempt in range(5):
            attempt(attacker, username)
            clock.shift(dt.timedelta(minutes=1))

    assert sorted(AccountLock.objects.values_list("username", "source_address")) == [
        ("dora", ATTACKER),
        ("rita", ATTACKER),
    ]
    # The owners sign in from their own address, and the phone app's token keeps working.
    for username in ["dora", "rita"]:
        owner = browser(OWNER)
        attempt(owner, username, PASSWORD)
        assert signed_in(owner)
    assert token_works(raw)
    # From the attacker's address even the right password is refused.
    assert "locked from your address" in attempt(attacker, "dora", PASSWORD)
    assert not signed_in(attacker)


def test_an_owners_mistakes_elsewhere_do_not_add_to_an_attackers_count(world, clock):
    attacker, owner = browser(ATTACKER), browser(OWNER)
    for _attempt in range(4):
        attempt(attacker, "rita")
    page = attempt(owner, "rita")
    assert "4 more wrong attempts" in page
    attempt(attacker, "rita")
    assert AccountLock.objects.get().source_address == ATTACKER
    attempt(owner, "rita", PASSWORD)
    assert signed_in(owner)


# --- the address throttle ----------------------------------------------------------------------


def test_failures_from_one_address_wait_longer_and_longer_then_are_refused(world, clock):
    attacker = browser(ATTACKER)
    names = iter(f"guess{n}" for n in range(100))
    for _attempt in range(10):
        assert "Wrong username or password" in attempt(attacker, next(names))
    # The password is not checked while the address waits: not even the right one signs in.
    assert "Try again in 1 seconds." in attempt(attacker, "rita", PASSWORD)
    assert not signed_in(attacker)
    refused = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).latest("pk")
    assert (refused.actor_id, refused.message) == (world.rita.pk, "该地址失败次数过多")
    for delay in [1, 2, 4, 8, 16, 30, 30]:
        clock.shift(dt.timedelta(seconds=delay - 1))
        assert "Try again in 1 seconds." in attempt(attacker, next(names))
        clock.shift(dt.timedelta(seconds=1))
        attempt(attacker, next(names))
        if delay > 1:
            assert f"Try again in {min(delay * 2, 30)} seconds." in attempt(attacker, next(names))
    # Another address is not held back.
    owner = browser(OWNER)
    attempt(owner, "rita", PASSWORD)
    assert signed_in(owner)
    # 30 counted failures within 15 minutes: the address is refused 15 minutes after the last.
    while SignInAttempt.objects.filter(source_address=ATTACKER, refused=False).count() < 30:
        clock.shift(dt.timedelta(seconds=30))
        attempt(attacker, next(names))
    last = SignInAttempt.objects.filter(source_address=ATTACKER, refused=False).latest("at").at
    clock.shift(dt.timedelta(minutes=5))
    until = dt.datetime.fromtimestamp((last + dt.timedelta(minutes=15)).timestamp(), SHANGHAI)
    assert f"sign-in from it is refused until {until:%H:%M} ({until:%Y-%m-%d})" in attempt(
        attacker, "rita", PASSWORD
    )
    clock.move_to(last + dt.timedelta(minutes=15))
    attempt(attacker, "rita", PASSWORD)
    assert signed_in(attacker)


def test_the_security_administrator_sees_the_addresses_held_back(world, clock):
    attacker = browser(ATTACKER)
    for n in range(12):
        clock.shift(dt.timedelta(seconds=5))
        attempt(attacker, f"guess{n % 3}")
    for _attempt in range(2):
        attempt(browser(OWNER), "rita")
    admin = browser(OWNER)
    admin.force_login(world.secadmin)

    page = admin.get("/accounts/locks/")

    [held] = page.context["held"]
    assert (held.address, held.failures, held.usernames, held.refused_until) == (
        ATTACKER,
        12,
        3,
        None,
    )
    rows = page.content.decode().split('data-testid="held-addresses"')[1]
    assert ATTACKER in rows.split("</table>")[0]
    assert OWNER not in rows.split("</table>")[0]


def test_the_address_is_the_proxys_x_real_ip_only_when_trusted(world, clock, settings):
    behind_proxy = [browser("10.0.0.1", real_ip=f"10.9.9.{n}") for n in (1, 2)]
    for _attempt in range(5):
        attempt(behind_proxy[0], "rita")
    # Untrusted: one address (the proxy's) for both, which is now locked out of rita.
    assert AccountLock.objects.get().source_address == "10.0.0.1"
    assert "locked from your address" in attempt(behind_proxy[1], "rita", PASSWORD)
    settings.TIAODU_TRUST_X_REAL_IP = True
    attempt(behind_proxy[1], "rita", PASSWORD)
    assert signed_in(behind_proxy[1])


def test_attempts_without_an_address_never_lock_the_whole_account(world, clock):
    for _attempt in range(5):
        lockout.sign_in(request=None, username="rita", password=WRONG)
    assert AccountLock.objects.get().source_address == "unknown"
    assert lockout.active_lock("rita") is None


# --- the account-wide lock -----------------------------------------------------------------------


def test_failures_from_three_addresses_lock_the_whole_account_and_its_tokens(world, clock):
    _token, raw = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    for address, times in [("10.6.6.1", 2), ("10.6.6.2", 2)]:
        for _attempt in range(times):
            attempt(browser(address), "dora")
    assert not AccountLock.objects.exists()
    assert token_works(raw)

    page = attempt(browser("10.6.6.3"), "dora")

    assert "This account is locked after repeated wrong passwords. Try again after 09:30" in page
    [lock] = AccountLock.objects.all()
    assert (lock.username, lock.source_address) == ("dora", "")
    [event] = AuditEvent.objects.filter(action=AuditAction.LOCKOUT)
    assert event.message == "自多个地址连续失败5次，锁定账户至09:30"
    owner = browser(OWNER)
    assert "This account is locked after" in attempt(owner, "dora", PASSWORD)
    assert not signed_in(owner)
    assert not token_works(raw)
    clock.shift(dt.timedelta(minutes=30))
    attempt(owner, "dora", PASSWORD)
    assert signed_in(owner)


# --- the alarm ------------------------------------------------------------------------------------


def alarms() -> list[tuple[str, str, str]]:
    return list(
        Notification.objects.filter(kind=lockout.SECURITY_ALARM).values_list(
            "recipient__username", "title", "link"
        )
    )


def test_a_lock_from_several_addresses_alarms_the_security_administrator(world, clock):
    for address in ["10.6.6.1", "10.6.6.1", "10.6.6.2", "10.6.6.2", "10.6.6.3"]:
        attempt(browser(address), "dora")
    assert alarms() == [("secadmin", "登录告警：账号dora已被锁定", "/accounts/locks/")]
    [alarm] = Notification.objects.filter(kind=lockout.SECURITY_ALARM)
    assert alarm.body == "自多个地址连续失败5次，锁定账户至09:30"


def test_an_administrator_locked_from_one_address_alarms_too(world, clock):
    attacker = browser(ATTACKER)
    for _attempt in range(5):
        attempt(attacker, "rita")
    assert alarms() == []  # an ordinary account locked from one address: the lock page shows it
    for _attempt in range(5):
        attempt(attacker, "auditor")
    assert alarms() == [("secadmin", "登录告警：账号auditor已被锁定", "/accounts/locks/")]


# --- the password page ----------------------------------------------------------------------------


def test_a_wrong_current_password_counts_as_a_failed_sign_in(world, clock):
    rita = browser(OWNER)
    attempt(rita, "rita", PASSWORD)
    clock.shift(dt.timedelta(minutes=1))
    form = {"old_password": WRONG, "new_password": "Qd#2026newpass!", "new_password_again": ""}
    form["new_password_again"] = form["new_password"]
    for remaining in [4, 3, 2, 1]:
        page = rita.post("/accounts/password/", form).content.decode()
        assert f"The current password is not right. {remaining} more wrong attempts" in page
    failures = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor=world.rita)
    assert [event.message for event in failures] == ["修改密码时当前密码错误"] * 4

    response = rita.post("/accounts/password/", form, follow=True)

    # The fifth locks the account from this address and ends the session.
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "locked from your address" in response.content.decode()
    assert not signed_in(rita)
    assert AccountLock.objects.get().source_address == OWNER
    world.rita.refresh_from_db()
    assert world.rita.check_password(PASSWORD)
    # The owner signs in from elsewhere.
    elsewhere = browser("10.1.1.2")
    attempt(elsewhere, "rita", PASSWORD)
    assert signed_in(elsewhere)


def test_the_right_current_password_still_changes_it(world, clock):
    rita = browser(OWNER)
    attempt(rita, "rita", PASSWORD)
    new = "Qd#2026newpass!"
    form = {"old_password": WRONG, "new_password": new, "new_password_again": new}
    rita.post("/accounts/password/", form)
    response = rita.post("/accounts/password/", {**form, "old_password": PASSWORD})
    assert response.status_code == 302
    world.rita.refresh_from_db()
    assert world.rita.check_password(new)
