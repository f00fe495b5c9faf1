"""The second factor (DOMAIN.md §9): enrolment with a QR code and a confirming code, the
sign-in's second step, recovery codes, forced enrolment for the roles that require it, the
security administrator's reset, and wrong codes counted by the lockout.

Personas (tiaodu.testing): alice, a dispatcher, whose role requires the second factor here
(the `required` fixture; the suite at large turns the requirement off, conftest.py); rita, a
reporter, for whom it is optional; secadmin resets. Codes are computed from the device's
key with django_otp.oath.totp under a frozen clock. Texts are checked in English.
"""

import datetime as dt
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiaodu.accounts import confirmations, second_factor
from tiaodu.accounts.models import (
    AccountLock,
    AdminActionKind,
    AdminActionRequest,
    RecoveryCode,
)
from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
REQUIRED = frozenset({"system_admin", "security_admin", "auditor", "dispatcher"})


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def required(settings):
    settings.TIAODU_SECURITY = {**settings.TIAODU_SECURITY, "TOTP_REQUIRED_ROLES": REQUIRED}


def browser() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_step(client: Client, username: str):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = second_factor.pending_device(user=user)
    return device, second_factor.confirm_enrolment(actor=user, device=device, code=code_for(device))


# --- enrolment -------------------------------------------------------------------------------


def test_a_dispatcher_must_enrol_before_anything_else(world, clock, required):
    client = browser()
    password_step(client, "alice")
    assert signed_in(client)
    for path in ["/", "/accounts/tokens/", "/accounts/password/"]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/two-factor/")
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx["HX-Redirect"]) == (204, "/accounts/two-factor/")

    page = client.get("/accounts/two-factor/")

    html = page.content.decode()
    assert "Your role signs in in two steps: set it up before anything else." in html
    assert "set it up now to go on" not in html  # said once, by the message
    again = client.get("/accounts/two-factor/").content.decode()
    assert "Your role signs in in two steps: set it up now to go on." in again
    device = TOTPDevice.objects.get(user=world.alice, confirmed=False)
    assert '<svg width="' in html.split('data-testid="qr"')[1]
    assert second_factor.secret_text(device) in html
    assert second_factor.secret_text(device).replace(" ", "") in device.config_url
    assert device.config_url.startswith("otpauth://totp/%E8%B0%83%E5%BA%A6%3Aalice?")

    wrong = client.post("/accounts/two-factor/", {"code": "000000"})
    assert "The code is not right." in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    done = client.post("/accounts/two-factor/", {"code": code_for(device)})

    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    stored = set(RecoveryCode.objects.filter(user=world.alice).values_list("digest", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    device.refresh_from_db()
    assert device.confirmed
    [event] = AuditEvent.objects.filter(actor=world.alice, action=AuditAction.UPDATE)
    assert event.message == "启用两步验证，生成恢复码10个"
    assert client.get("/").status_code == 200
    # The codes are shown once: the page does not show them again.
    again = client.get("/accounts/two-factor/").content.decode()
    assert "10 recovery codes left." in again and codes[0] not in again


def test_with_the_requirement_off_a_dispatcher_signs_in_with_the_password(world, clock):
    client = browser()
    password_step(client, "alice")
    assert client.get("/").status_code == 200


def test_production_requires_it_of_the_administrators_and_dispatchers():
    """The settings as a site without the variable reads them (the suite empties them)."""
    env = {k: v for k, v in os.environ.items() if k != "TIAODU_TOTP_REQUIRED_ROLES"}
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(','.join(sorted(settings.TIAODU_SECURITY['TOTP_REQUIRED_ROLES'])))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "tiaodu.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert set(shown.split(",")) == REQUIRED


# --- the second step ---------------------------------------------------------------------------


def test_the_second_step_signs_in_with_the_apps_code_once(world, clock, required):
    device, _codes = enrolled(world.alice)
    clock.shift(dt.timedelta(seconds=30))
    client = browser()

    response = password_step(client, "alice")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/code/")
    assert not signed_in(client)
    assert client.get("/").status_code == 302
    halfway = AuditEvent.objects.filter(action=AuditAction.SIGN_IN).latest("pk")
    assert (halfway.actor_id, halfway.success, halfway.message) == (
        world.alice.pk,
        False,
        "密码正确，待输入动态验证码",
    )
    code = code_for(device)
    response = client.post("/accounts/login/code/", {"code": code})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in(client)
    event = AuditEvent.objects.filter(action=AuditAction.SIGN_IN).latest("pk")
    assert (event.actor_id, event.message) == (world.alice.pk, "使用动态验证码")
    # The same code does not serve twice.
    other = browser()
    password_step(other, "alice")
    clock.shift(dt.timedelta(seconds=5))
    page = other.post("/accounts/login/code/", {"code": code}).content.decode()
    assert "The code is not right. 4 more wrong attempts" in page
    assert not signed_in(other)


def test_wrong_codes_count_toward_the_lockout(world, clock, required):
    _device, _codes = enrolled(world.alice)
    clock.shift(dt.timedelta(minutes=1))
    client = browser()
    password_step(client, "alice")
    for _attempt in range(4):
        client.post("/accounts/login/code/", {"code": "123456"})
    failures = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor=world.alice)
    assert [event.message for event in failures] == ["动态验证码错误"] * 4

    response = client.post("/accounts/login/code/", {"code": "123456"}, follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "locked from your address" in response.content.decode()
    assert AccountLock.objects.get().source_address == "127.0.0.1"
    # The right password and code no longer open it from here.
    password_step(client, "alice")
    assert not signed_in(client)
    assert "/accounts/login/code/" not in str(password_step(client, "alice").get("Location"))


def test_a_right_password_does_not_reset_the_count_of_wrong_codes(world, clock, required):
    enrolled(world.alice)
    clock.shift(dt.timedelta(minutes=1))
    client = browser()
    for _round in range(5):
        password_step(client, "alice")
        client.post("/accounts/login/code/", {"code": "123456"})
    assert AccountLock.objects.filter(username="alice").exists()


def test_a_recovery_code_signs_in_once(world, clock, required):
    _device, codes = enrolled(world.alice)
    client = browser()
    password_step(client, "alice")

    client.post("/accounts/login/code/", {"code": codes[3].upper().replace("-", " ")})

    assert signed_in(client)
    event = AuditEvent.objects.filter(action=AuditAction.SIGN_IN).latest("pk")
    assert event.message == "使用恢复码，剩余9个"
    assert second_factor.unused_recovery_codes(world.alice) == 9
    other = browser()
    password_step(other, "alice")
    other.post("/accounts/login/code/", {"code": codes[3]})
    assert not signed_in(other)


def test_the_second_step_expires_after_five_minutes(world, clock, required):
    device, _codes = enrolled(world.alice)
    client = browser()
    password_step(client, "alice")
    clock.shift(dt.timedelta(minutes=5, seconds=1))

    response = client.post("/accounts/login/code/", {"code": code_for(device)}, follow=True)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "Please sign in again." in response.content.decode()
    assert not signed_in(client)


def test_a_token_works_without_a_code(world, clock, required):
    """A token is issued from a session that passed both steps; it is the phone app's
    credential and is not asked for a code (docs/security.md)."""
    enrolled(world.alice)
    _token, raw = issue_api_token(actor=world.alice, user=world.alice, name="手机App")
    response = Client().get(
        "/api/v1/stats?year=2026&as_of=2026-08-31", headers={"authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200


# --- optional for others -------------------------------------------------------------------------


def test_a_reporter_may_turn_it_on_and_off(world, clock, required):
    client = browser()
    password_step(client, "rita")
    assert client.get("/").status_code == 200
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=world.rita)
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    client.post("/accounts/logout/")
    clock.shift(dt.timedelta(seconds=30))
    assert password_step(client, "rita")["Location"] == "/accounts/login/code/"
    client.post("/accounts/login/code/", {"code": code_for(device)})
    assert signed_in(client)

    client.post("/accounts/two-factor/", {"action": "off"})

    assert not TOTPDevice.objects.filter(user=world.rita).exists()
    assert not RecoveryCode.objects.filter(user=world.rita).exists()
    # A dispatcher cannot: the role requires it.
    enrolled(world.alice)
    alice = browser()
    alice.force_login(world.alice)
    alice.post("/accounts/two-factor/", {"action": "off"})
    assert TOTPDevice.objects.filter(user=world.alice, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old(world, clock, required):
    _device, old = enrolled(world.alice)
    client = browser()
    client.force_login(world.alice)
    page = client.post("/accounts/two-factor/", {"action": "codes"})
    new = page.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    other = browser()
    password_step(other, "alice")
    other.post("/accounts/login/code/", {"code": old[0]})
    assert not signed_in(other)
    other.post("/accounts/login/code/", {"code": new[0]})
    assert signed_in(other)


# --- the security administrator's reset ------------------------------------------------------------


def test_the_security_administrator_resets_a_lost_phone(world, clock, required):
    enrolled(world.alice)
    enrolled(world.secadmin)
    admin = browser()
    admin.force_login(world.secadmin)
    page = admin.get(f"/administration/users/{world.alice.pk}/").content.decode()
    assert "on since 2026-03-10" in page and 'data-testid="reset-second-factor"' in page

    response = admin.post(f"/administration/users/{world.alice.pk}/two-factor/reset/", follow=True)

    assert "The two-step sign-in of" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.alice).exists()
    assert not RecoveryCode.objects.filter(user=world.alice).exists()
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("pk")
    assert (event.actor_id, event.object_id, event.message) == (
        world.secadmin.pk,
        str(world.alice.pk),
        "安全管理员重置了两步验证",
    )
    # alice signs in with the password and must set it up again at once.
    alice = browser()
    assert password_step(alice, "alice")["Location"] == "/"
    assert alice.get("/")["Location"] == "/accounts/two-factor/"


def test_an_administrators_phone_is_reset_only_with_a_second_administrator(world, clock, required):
    """三权分立: the security administrator asks, the system administrator confirms."""
    enrolled(world.auditor)
    enrolled(world.secadmin)
    with pytest.raises(ValidationError) as refused:
        second_factor.reset(actor=world.secadmin, user=world.auditor)
    assert refused.value.code == "needs_confirmation"
    admin = browser()
    admin.force_login(world.secadmin)
    response = admin.post(
        f"/administration/users/{world.auditor.pk}/two-factor/reset/", follow=True
    )
    assert "a second administrator confirms it" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.auditor).exists()
    [asked] = AdminActionRequest.objects.filter(kind=AdminActionKind.RESET_SECOND_FACTOR)

    confirmations.confirm(actor=world.sysadmin, request=asked)

    assert not TOTPDevice.objects.filter(user=world.auditor).exists()
    assert not RecoveryCode.objects.filter(user=world.auditor).exists()
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="accounts.user"
    ).latest("pk")
    assert (event.actor_id, event.object_id) == (world.sysadmin.pk, str(world.auditor.pk))
    assert "secadmin" in event.message and "sysadmin" in event.message


@pytest.mark.parametrize("name", ["sysadmin", "auditor", "alice", "rita"])
def test_nobody_else_resets(world, clock, name):
    enrolled(world.rita)
    client = browser()
    client.force_login(getattr(world, name))
    response = client.post(f"/administration/users/{world.rita.pk}/two-factor/reset/")
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=world.rita).exists()


def test_no_page_shows_a_devices_key_after_enrolment(world, clock, required):
    """The management area (/manage/) does not list the devices (django-otp registers them
    on Django's default admin site, which is not served), and the enrolment page shows the
    key only while it is not yet confirmed."""
    from tiaodu.core.admin_site import management_site

    assert TOTPDevice not in management_site._registry
    device, _codes = enrolled(world.alice)
    client = browser()
    client.force_login(world.alice)
    page = client.get("/accounts/two-factor/").content.decode()
    assert second_factor.secret_text(device) not in page
    assert device.key not in page
