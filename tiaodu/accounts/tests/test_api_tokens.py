"""API tokens: the API answers a bearer token as its user, with its user's scope, and
refuses a wrong, revoked or expired one; only the digest is kept."""

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from tiaodu.accounts.models import ApiToken
from tiaodu.accounts.tokens import issue_api_token, revoke_api_token
from tiaodu.core.models import AuditEvent
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats?year=2026&as_of=2026-08-31"


def _get(raw: str) -> Any:
    return Client().get(URL, headers={"authorization": f"Bearer {raw}"})


def test_a_token_reads_with_its_users_scope(world: Any) -> None:
    _token, city = issue_api_token(actor=world.alice, user=world.alice, name="大屏")
    _token, district = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    assert _get(city).json()["projects"] == 6
    answer = _get(district)
    assert answer.status_code == 200
    assert answer.json()["projects"] == 3 and answer.json()["scope"]["region"] == "370211"


def test_only_the_digest_is_kept_and_the_issue_is_audited(world: Any) -> None:
    token, raw = issue_api_token(actor=world.alice, user=world.alice, name="大屏")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.digest, stored.prefix, stored.name) and raw.startswith("td_")
    event = AuditEvent.objects.get(object_type="accounts.apitoken", object_id=str(token.pk))
    assert raw not in str(event.changes)


@pytest.mark.parametrize("bad", ["", "td_nothing", "Token abc", "td_00000000_" + "x" * 43])
def test_wrong_tokens_answer_401(world: Any, bad: str) -> None:
    assert _get(bad).status_code == 401


def test_revoked_and_expired_tokens_answer_401(world: Any) -> None:
    token, raw = issue_api_token(actor=world.alice, user=world.alice, name="大屏")
    revoke_api_token(actor=world.alice, token=token)
    assert _get(raw).status_code == 401
    _token, short = issue_api_token(actor=world.alice, user=world.alice, name="临时", days=1)
    assert _get(short).status_code == 200
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=2)):
        assert _get(short).status_code == 401


def test_an_inactive_users_token_answers_401(world: Any) -> None:
    _token, raw = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    world.dora.is_active = False
    world.dora.save()
    assert _get(raw).status_code == 401


@pytest.mark.parametrize("who", ["dora", "sysadmin", "secadmin"])
def test_nobody_issues_tokens_for_someone_else(world: Any, who: str) -> None:
    """The system administrator gets no business access through another account's token."""
    with assert_nothing_written(ApiToken, AuditEvent), pytest.raises(PermissionDenied):
        issue_api_token(actor=world.users[who], user=world.lena, name="手机App")


def test_the_server_command_issues_a_token_for_an_account(world: Any) -> None:
    _token, raw = issue_api_token(actor=None, user=world.lena, name="手机App")
    assert _get(raw).json()["projects"] == 2  # lena leads 崂山区: p3 and p4


def test_a_reporters_token_does_the_reporter_api_only(world: Any) -> None:
    _token, raw = issue_api_token(actor=world.rita, user=world.rita, name="手机App")
    bearer = {"authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/reports/due", headers=bearer).status_code == 200
    assert _get(raw).status_code == 401
    assert Client().get("/api/v1/projects/", headers=bearer).status_code == 401


def test_a_use_from_a_new_address_is_audited(world: Any) -> None:
    token, raw = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    bearer = {"authorization": f"Bearer {raw}"}

    def uses() -> list[str]:
        return list(
            AuditEvent.objects.filter(
                object_type="accounts.apitoken", object_id=str(token.pk), action="sign_in"
            )
            .order_by("pk")
            .values_list("message", flat=True)
        )

    Client(REMOTE_ADDR="10.0.0.7").get(URL, headers=bearer)
    Client(REMOTE_ADDR="10.0.0.7").get(URL, headers=bearer)
    assert uses() == ["API令牌从新地址使用：10.0.0.7"]
    Client(REMOTE_ADDR="172.16.3.9").get(URL, headers=bearer)
    assert uses() == ["API令牌从新地址使用：10.0.0.7", "API令牌从新地址使用：172.16.3.9"]


def test_the_command_prints_a_working_token(world: Any) -> None:
    out = io.StringIO()
    call_command("issue_api_token", "dora", "--name", "手机App", stdout=out, stderr=io.StringIO())
    assert _get(out.getvalue().strip()).json()["projects"] == 3


def test_the_session_still_works(world: Any, client: Any) -> None:
    client.force_login(world.alice)
    assert client.get(URL).json()["projects"] == 6


def test_the_token_page_issues_once_and_revokes(world: Any, client: Any) -> None:
    client.force_login(world.dora)
    page = client.post("/accounts/tokens/", {"name": "手机App", "days": ""})
    raw = page.context["issued"]
    assert raw in page.content.decode() and _get(raw).status_code == 200
    listing = client.get("/accounts/tokens/").content.decode()
    assert "手机App" in listing and raw not in listing
    token = ApiToken.objects.get(user=world.dora)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert _get(raw).status_code == 401


def test_the_token_page_refuses_a_bad_form_and_others_tokens(world: Any, client: Any) -> None:
    token, _raw = issue_api_token(actor=world.alice, user=world.alice, name="大屏")
    client.force_login(world.dora)
    page = client.post("/accounts/tokens/", {"name": "", "days": "0"})
    assert page.context["issued"] is None and not ApiToken.objects.filter(user=world.dora).exists()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_changed_or_reset_password_ends_the_tokens(world: Any) -> None:
    """A token does not outlive the password it was issued under (issue 14, finding 4)."""
    from tiaodu.accounts import services

    _token, raw = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    assert _get(raw).status_code == 200
    services.change_password(actor=world.dora, user=world.dora, new_password="Qd#2026huangdao!")
    assert _get(raw).status_code == 401
    _token, again = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    assert _get(again).status_code == 200
    # A reset by the system administrator ends it, and so does the change it then demands.
    services.reset_password(actor=world.sysadmin, user=world.dora, new_password="Tmp#2026reset!x")
    assert _get(again).status_code == 401
    world.dora.refresh_from_db()
    assert world.dora.must_change_password
    _token, while_forced = issue_api_token(actor=world.dora, user=world.dora, name="手机App")
    assert _get(while_forced).status_code == 401


def test_tokens_last_90_days_and_at_most_365(world: Any) -> None:
    from django.core.exceptions import ValidationError

    token, raw = issue_api_token(actor=world.alice, user=world.alice, name="大屏")
    assert token.expires_at is not None
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - dt.timedelta(days=90)) < dt.timedelta(seconds=5)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=91)):
        assert _get(raw).status_code == 401
    with pytest.raises(ValidationError):
        issue_api_token(actor=world.alice, user=world.alice, name="大屏", days=366)
    # One issued without an end before these rules ends 90 days after it was issued.
    old, old_raw = issue_api_token(actor=world.alice, user=world.alice, name="旧令牌")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=None)
    assert _get(old_raw).status_code == 200
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=91)):
        assert _get(old_raw).status_code == 401
