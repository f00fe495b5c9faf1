"""The security administrator's pages of the administration area: signed-in sessions (end
one, and that browser is signed out), account locks in the area's layout, every account's
API tokens (revoke one); each refused (404) to everyone else, each change audited.

Personas (tiaodu.testing): secadmin; rita signs in from her own browser; sysadmin, auditor
and alice meet 404.
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tiaodu.accounts.models import AccountLock, ApiToken, SessionEnd, SignedInSession
from tiaodu.accounts.tokens import issue_api_token, user_for_token
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import PASSWORD, assert_nothing_written


def browser_of(username: str) -> Client:
    """A browser signed in through the sign-in page, as a person signs in."""
    browser = Client(
        HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Chrome/120", REMOTE_ADDR="10.1.2.3"
    )
    response = browser.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def test_a_sign_in_is_listed_and_ending_it_signs_that_browser_out(client, world):
    rita = browser_of("rita")
    assert rita.get("/").status_code == 200
    [record] = SignedInSession.objects.filter(user=world.rita)
    assert (record.source_address, record.user_agent, record.ended_at) == (
        "10.1.2.3",
        "Mozilla/5.0 (Windows NT 10.0) Chrome/120",
        None,
    )
    client.force_login(world.secadmin)
    page = client.get("/administration/sessions/")
    assert 'data-testid="session-row" data-username="rita"' in page.content.decode()

    response = client.post(f"/administration/sessions/{record.pk}/end/")

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.end, record.ended_by) == (SessionEnd.ENDED, world.secadmin)
    after = rita.get("/")
    assert after.status_code == 302
    assert after["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor_id, event.object_id) == (
        AuditAction.SIGN_OUT,
        world.secadmin.pk,
        str(world.rita.pk),
    )
    assert event.message.startswith("安全管理员结束会话（")
    assert 'data-username="rita"' not in client.get("/administration/sessions/").content.decode()


def test_signing_out_closes_the_record(world):
    rita = browser_of("rita")
    rita.post("/accounts/logout/")
    [record] = SignedInSession.objects.filter(user=world.rita)
    assert record.end == SessionEnd.SIGNED_OUT


def test_the_security_administrator_cannot_end_the_session_in_use(world):
    secadmin = browser_of("secadmin")
    [record] = SignedInSession.objects.filter(user=world.secadmin)
    with assert_nothing_written(SignedInSession, AuditEvent):
        response = secadmin.post(f"/administration/sessions/{record.pk}/end/", follow=True)
    assert "这是您当前使用的会话，请从右上角菜单退出登录。" in response.content.decode()


def test_unlock_from_the_area(client, world):
    lock = AccountLock.objects.create(
        username="bob", locked_until=timezone.now() + dt.timedelta(minutes=20)
    )
    client.force_login(world.secadmin)
    page = client.get("/accounts/locks/")
    assert 'data-testid="area-nav-sessions"' in page.content.decode()
    response = client.post(f"/accounts/locks/{lock.pk}/unlock/")
    assert response.status_code == 302
    lock.refresh_from_db()
    assert lock.unlocked_by == world.secadmin
    assert AuditEvent.objects.latest("pk").action == AuditAction.UNLOCK


def test_revoke_another_accounts_token(client, world):
    token, raw = issue_api_token(actor=world.rita, user=world.rita, name="手机App")
    client.force_login(world.secadmin)
    listed = client.get("/administration/tokens/").content.decode()
    assert 'data-testid="token-row" data-name="手机App"' in listed

    response = client.post(f"/administration/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_for_token(raw) is None
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.actor_id, event.object_type) == (
        AuditAction.UPDATE,
        world.secadmin.pk,
        "accounts.apitoken",
    )


@pytest.mark.parametrize("persona", ["sysadmin", "auditor", "alice", "rita"])
def test_the_security_pages_are_the_security_administrators_alone(client, world, persona):
    token, _raw = issue_api_token(actor=world.bob, user=world.bob, name="大屏")
    bob = browser_of("bob")
    [record] = SignedInSession.objects.filter(user=world.bob)
    client.force_login(getattr(world, persona))
    with assert_nothing_written(SignedInSession, ApiToken, AuditEvent):
        assert client.get("/administration/sessions/").status_code == 404
        assert client.get("/administration/tokens/").status_code == 404
        assert client.get("/accounts/locks/").status_code == 404
        assert client.post(f"/administration/sessions/{record.pk}/end/").status_code == 404
        assert client.post(f"/administration/tokens/{token.pk}/revoke/").status_code == 404
    assert bob.get("/").status_code == 200
