"""Wall displays: the security administrator creates one (its pairing link shown once), the
link pairs one browser once, a revoked or expired display reads nothing, and only the
security administrator manages them.

Personas: secadmin (security administrator, manages displays); alice (city dispatcher),
sysadmin and auditor (no display pages: a 404, nothing written)."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tiaodu.accounts import displays
from tiaodu.accounts.displays import DisplayState, PairingRefused
from tiaodu.accounts.models import Display
from tiaodu.accounts.navigation import menu_for
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role
from tiaodu.testing import PASSWORD, assert_nothing_written

pytestmark = pytest.mark.django_db


def _request_with(response_cookies: Any) -> HttpRequest:
    """A request carrying the cookie a pairing response set."""
    request = HttpRequest()
    request.COOKIES = {name: morsel.value for name, morsel in response_cookies.items()}
    return request


def _paired(world: Any) -> tuple[Display, HttpRequest]:
    from django.http import HttpResponse

    display, code = displays.create_display(
        actor=world.secadmin, name="调度指挥中心大屏", region=world.laoshan
    )
    display, secret = displays.pair_display(code=code)
    response = HttpResponse()
    displays.attach(response, display=display, secret=secret, path="/screen/")
    return display, _request_with(response.cookies)


def test_the_pairing_code_pairs_once_and_only_digests_are_kept(world: Any) -> None:
    display, code = displays.create_display(
        actor=world.secadmin, name="调度指挥中心大屏", region=world.laoshan
    )
    assert display.expires_at - display.created_at == dt.timedelta(days=365)
    assert code not in display.pairing_digest
    _paired, secret = displays.pair_display(code=code)
    stored = Display.objects.get(pk=display.pk)
    assert stored.paired_at is not None and stored.pairing_digest == ""
    assert stored.secret_digest == displays.digest(secret) and secret not in stored.secret_digest
    with pytest.raises(PairingRefused, match="已被使用"):
        displays.pair_display(code=code)
    events = AuditEvent.objects.filter(object_type="accounts.display", object_id=str(display.pk))
    assert [(e.action, e.success, e.actor_name) for e in events.order_by("at", "id")] == [
        ("create", True, "secadmin"),
        ("sign_in", True, f"display-{display.pk}"),
    ]
    # The refused second use is recorded too, by whoever held the link.
    assert AuditEvent.objects.filter(action="sign_in_failed", success=False).count() == 1
    assert all(code not in str(event.changes) + event.message for event in AuditEvent.objects.all())


def test_a_paired_browser_reads_as_a_leader_of_its_region(world: Any) -> None:
    display, request = _paired(world)
    recognised = displays.display_from_request(request)
    assert recognised.state == DisplayState.LIVE
    reader = recognised.reader
    assert reader is not None and reader.pk is None
    assert reader.scope_grants()[0].role == Role.LEADER
    assert reader.scope_grants()[0].unit_path == world.laoshan.path
    assert Display.objects.get(pk=display.pk).last_seen_at is not None


def test_a_tampered_or_replaced_cookie_is_unknown(world: Any) -> None:
    display, request = _paired(world)
    tampered = HttpRequest()
    tampered.COOKIES = {displays.COOKIE: request.COOKIES[displays.COOKIE][:-2] + "xx"}
    assert displays.display_from_request(tampered).state == DisplayState.UNKNOWN
    assert displays.display_from_request(HttpRequest()).state == DisplayState.NONE
    # A new pairing link unpairs the browser paired before: a display is one browser.
    displays.new_pairing_link(actor=world.secadmin, display=display)
    assert displays.display_from_request(request).state == DisplayState.UNKNOWN


def test_revoked_and_expired_displays_read_nothing(world: Any) -> None:
    display, request = _paired(world)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=366)):
        assert displays.display_from_request(request).state == DisplayState.EXPIRED
    displays.revoke_display(actor=world.secadmin, display=display)
    recognised = displays.display_from_request(request)
    assert recognised.state == DisplayState.REVOKED and recognised.reader is None
    revoked = Display.objects.get(pk=display.pk)
    assert revoked.revoked_by == world.secadmin
    event = AuditEvent.objects.filter(object_type="accounts.display", action="update").get()
    assert event.actor_name == "secadmin" and "revoked_at" in event.changes
    with pytest.raises(ValidationError):
        displays.new_pairing_link(actor=world.secadmin, display=display)


def test_a_pairing_link_expires_after_a_day(world: Any) -> None:
    display, code = displays.create_display(
        actor=world.secadmin, name="调度指挥中心大屏", region=world.city
    )
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=25)):
        assert displays.pairing_display(code) is None
        with pytest.raises(PairingRefused, match="已过期"):
            displays.pair_display(code=code)
    assert Display.objects.get(pk=display.pk).secret_digest == ""


def test_a_revoked_displays_link_does_not_pair(world: Any) -> None:
    display, code = displays.create_display(
        actor=world.secadmin, name="调度指挥中心大屏", region=world.city
    )
    displays.revoke_display(actor=world.secadmin, display=display)
    with pytest.raises(PairingRefused):
        displays.pair_display(code=code)


@pytest.mark.parametrize("who", ["alice", "sysadmin", "auditor", "lena"])
def test_only_the_security_administrator_creates_displays(world: Any, who: str) -> None:
    with assert_nothing_written(Display, AuditEvent), pytest.raises(PermissionDenied):
        displays.create_display(actor=world.users[who], name="大屏", region=world.city)


def test_a_display_shows_a_region_and_has_a_name(world: Any) -> None:
    with assert_nothing_written(Display, AuditEvent), pytest.raises(ValidationError) as refused:
        displays.create_display(
            actor=world.secadmin, name=" ", region=world.housing_bureau, days=4000
        )
    assert set(refused.value.message_dict) == {"name", "region", "days"}


def test_the_page_shows_the_link_once(world: Any) -> None:
    client = Client()
    client.login(username="secadmin", password=PASSWORD)
    url = reverse("accounts:displays")
    posted = client.post(url, {"name": "调度指挥中心大屏", "region": world.city.pk, "days": 30})
    assert posted.status_code == 302 and posted["Location"] == url
    created = client.get(url)
    link = created.context["issued"]["link"]
    assert link.startswith("http://testserver/screen/pair/")
    assert link in created.content.decode()
    display = Display.objects.get()
    assert display.region == world.city
    assert display.expires_at - display.created_at == dt.timedelta(days=30)
    again = client.get(url).content.decode()
    assert link not in again and "调度指挥中心大屏" in again
    # A new link, then revocation, from the list.
    renewed = client.post(reverse("accounts:display_link", args=[display.pk]), follow=True)
    assert renewed.context["issued"]["link"] != link
    client.post(reverse("accounts:display_revoke", args=[display.pk]))
    assert Display.objects.get().revoked_at is not None


@pytest.mark.parametrize("who", ["alice", "sysadmin", "auditor"])
def test_other_people_find_no_display_pages(world: Any, who: str) -> None:
    display, _code = displays.create_display(
        actor=world.secadmin, name="调度指挥中心大屏", region=world.city
    )
    client = Client()
    client.login(username=who, password=PASSWORD)
    with assert_nothing_written(Display):
        assert client.get(reverse("accounts:displays")).status_code == 404
        assert client.post(reverse("accounts:displays"), {"name": "x"}).status_code == 404
        assert client.post(reverse("accounts:display_revoke", args=[display.pk])).status_code == 404
        assert client.post(reverse("accounts:display_link", args=[display.pk])).status_code == 404
    keys = {item.key for item in menu_for(world.users[who])}
    assert "wall_displays" not in keys


def test_the_menu_offers_the_displays_to_the_security_administrator(world: Any) -> None:
    keys = {item.key for item in menu_for(world.secadmin)}
    assert "wall_displays" in keys
