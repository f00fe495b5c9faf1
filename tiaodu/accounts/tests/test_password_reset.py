"""The system administrator resets another account's password (DOMAIN.md §2, §9).

Personas (tiaodu.testing): sysadmin gives rita (a reporter) a temporary password in the
management area; rita signs in with it and must choose her own before any other page;
nobody else reaches the reset page; sysadmin's own password is changed on the ordinary
page instead. Texts are checked in English (the language cookie).
"""

import pytest
from django.core.exceptions import ValidationError

from tiaodu.accounts import services
from tiaodu.accounts.models import AccountLock, PasswordHistory, User
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.testing import PASSWORD

TEMPORARY = "Harbour#Temp26"
OWN = "Harbour#Mine26"
WRONG = "Not-the-password-1"
OTHERS = ["alice", "rita", "leo", "hank", "secadmin", "auditor"]
RESET_NOTICE = "An administrator has reset your password. Please choose a new one first."


def english(client):
    client.cookies["django_language"] = "en"
    return client


def reset_url(user: User) -> str:
    return f"/manage/accounts/user/{user.pk}/reset-password/"


def reset(client, user: User, password: str = TEMPORARY, again: str | None = None):
    return client.post(
        reset_url(user), {"password1": password, "password2": password if again is None else again}
    )


def sign_in(client, username: str, password: str):
    return english(client).post("/accounts/login/", {"username": username, "password": password})


def last_event_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.sysadmin)
    return english(client)


def test_the_account_page_offers_the_reset(admin_client, world):
    html = admin_client.get(f"/manage/accounts/user/{world.rita.pk}/change/").content.decode()

    assert f'href="{reset_url(world.rita)}"' in html
    assert "Reset password" in html

    page = admin_client.get(reset_url(world.rita))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Reset the password of Rita" in html
    assert 'name="password1"' in html
    assert 'name="password2"' in html
    assert "They must choose a new password of their own at their next sign-in." in html


def test_the_system_administrator_resets_a_password(admin_client, world):
    old_hash = User.objects.get(pk=world.rita.pk).password
    mark = last_event_pk()

    response = reset(admin_client, world.rita)

    assert response.status_code == 302
    assert response["Location"] == f"/manage/accounts/user/{world.rita.pk}/change/"
    rita = User.objects.get(pk=world.rita.pk)
    assert rita.check_password(TEMPORARY)
    assert rita.must_change_password is True
    assert list(PasswordHistory.objects.filter(user=rita).values_list("password", flat=True)) == [
        old_hash
    ]
    [event] = AuditEvent.objects.filter(pk__gt=mark)
    assert (event.action, event.actor_id, event.object_type, event.object_id) == (
        AuditAction.PASSWORD_CHANGE,
        world.sysadmin.pk,
        "accounts.user",
        str(rita.pk),
    )
    assert event.message == "由管理员重置"
    assert event.changes == {"must_change_password": ["否", "是"]}
    recorded = str(event.__dict__)
    for secret in [old_hash, rita.password, TEMPORARY, "md5$"]:
        assert secret not in recorded
    page = admin_client.get(response["Location"]).content.decode()
    assert "The password of Rita is reset. They must choose a new one at their next sign-in." in (
        page
    )


def test_the_temporary_password_must_be_changed_before_anything_else(client, world):
    client.force_login(world.sysadmin)
    reset(english(client), world.rita)
    client.post("/accounts/logout/")

    assert sign_in(client, "rita", PASSWORD).status_code == 200
    response = sign_in(client, "rita", TEMPORARY)

    assert response.status_code == 302
    for page in ["/", "/projects/", f"/projects/{world.projects['p1'].pk}/", "/manage/"]:
        assert client.get(page)["Location"] == "/accounts/password/", page
    htmx = client.get("/projects/", HTTP_HX_REQUEST="true")
    assert (htmx.status_code, htmx["HX-Redirect"]) == (204, "/accounts/password/")
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert RESET_NOTICE in page.content.decode()

    changed = client.post(
        "/accounts/password/",
        {"old_password": TEMPORARY, "new_password": OWN, "new_password_again": OWN},
    )

    assert changed["Location"] == "/"
    rita = User.objects.get(pk=world.rita.pk)
    assert rita.check_password(OWN)
    assert rita.must_change_password is False
    assert client.get("/").status_code == 200
    assert client.get("/projects/").status_code == 200
    assert (
        AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE, actor=world.rita).count() == 1
    )


def test_the_temporary_password_cannot_be_kept(client, world):
    client.force_login(world.sysadmin)
    reset(english(client), world.rita)
    client.force_login(User.objects.get(pk=world.rita.pk))

    response = client.post(
        "/accounts/password/",
        {"old_password": TEMPORARY, "new_password": TEMPORARY, "new_password_again": TEMPORARY},
    )

    assert response.status_code == 200
    assert "The password must differ from your last 5 passwords." in response.content.decode()
    assert User.objects.get(pk=world.rita.pk).must_change_password is True


@pytest.mark.parametrize(
    ("password", "again", "field", "message"),
    [
        ("Ab1#xyz", None, "password1", "This password is too short."),
        (
            "harbourbay2026",
            None,
            "password1",
            "The password must mix at least 3 of these: lower-case letters, "
            "upper-case letters, digits, symbols.",
        ),
        (PASSWORD, None, "password1", "The password must differ from your last 5 passwords."),
        (TEMPORARY, TEMPORARY + "x", "password2", "The two passwords differ."),
    ],
)
def test_a_weak_temporary_password_is_refused_on_the_form(
    admin_client, world, password, again, field, message
):
    old_hash = User.objects.get(pk=world.rita.pk).password
    mark = last_event_pk()

    response = reset(admin_client, world.rita, password, again)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    rita = User.objects.get(pk=world.rita.pk)
    assert (rita.password, rita.must_change_password) == (old_hash, False)
    assert not PasswordHistory.objects.filter(user=rita).exists()
    assert not AuditEvent.objects.filter(pk__gt=mark).exists()


@pytest.mark.parametrize("name", OTHERS)
def test_nobody_else_reaches_the_reset_page(client, world, name):
    client.force_login(world.users[name])
    old_hash = User.objects.get(pk=world.bob.pk).password

    assert client.get(reset_url(world.bob)).status_code == 404
    assert reset(client, world.bob).status_code == 404
    bob = User.objects.get(pk=world.bob.pk)
    assert (bob.password, bob.must_change_password) == (old_hash, False)
    assert not AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_CHANGE, object_id=str(bob.pk)
    ).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reset_url(world.rita))
    assert response["Location"] == f"/accounts/login/?next={reset_url(world.rita)}"


def test_an_unknown_account_is_404(admin_client, world):
    assert admin_client.get("/manage/accounts/user/999999/reset-password/").status_code == 404


def test_the_reset_leaves_a_lock_to_the_security_administrator(client, world):
    """Lifting a lock is the security administrator's: a reset sets the password only."""
    for _attempt in range(5):
        sign_in(client, "rita", WRONG)
    lock = AccountLock.objects.get(username="rita")
    assert "This account is locked" in sign_in(client, "rita", PASSWORD).content.decode()
    client.force_login(world.sysadmin)

    reset(client, world.rita)

    lock.refresh_from_db()
    assert lock.unlocked_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.UNLOCK).exists()
    client.post("/accounts/logout/")
    assert "This account is locked" in sign_in(client, "rita", TEMPORARY).content.decode()

    client.force_login(world.secadmin)
    client.post(f"/accounts/locks/{lock.pk}/unlock/")
    client.post("/accounts/logout/")
    assert sign_in(client, "rita", TEMPORARY)["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/password/"


@pytest.mark.parametrize("name", ["auditor", "secadmin"])
def test_the_system_administrator_cannot_reset_an_administrators_password(
    admin_client, world, name
):
    """The finding this closes: the system administrator reset the auditor's and the
    security administrator's passwords to ones it chose."""
    target = world.users[name]
    old_hash = User.objects.get(pk=target.pk).password
    mark = last_event_pk()

    response = reset(admin_client, target)

    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [
        "An administrator's password is reset only at the security administrator's request, "
        "confirmed by a second administrator."
    ]
    assert User.objects.get(pk=target.pk).password == old_hash
    assert not AuditEvent.objects.filter(pk__gt=mark).exists()
    with pytest.raises(ValidationError) as refused:
        services.reset_password(actor=world.sysadmin, user=target, new_password=TEMPORARY)
    assert refused.value.code == "needs_confirmation"


def test_the_system_administrator_cannot_reset_their_own_password(admin_client, world):
    sysadmin = world.sysadmin
    old_hash = User.objects.get(pk=sysadmin.pk).password
    mark = last_event_pk()
    html = admin_client.get(f"/manage/accounts/user/{sysadmin.pk}/change/").content.decode()
    assert f'href="{reset_url(sysadmin)}"' not in html
    assert 'href="/accounts/password/"' in html

    for response in [admin_client.get(reset_url(sysadmin)), reset(admin_client, sysadmin)]:
        assert response["Location"] == "/accounts/password/"

    page = admin_client.get("/accounts/password/").content.decode()
    assert "You cannot reset your own password here: change it with your current password." in page
    sysadmin = User.objects.get(pk=sysadmin.pk)
    assert (sysadmin.password, sysadmin.must_change_password) == (old_hash, False)
    assert not AuditEvent.objects.filter(pk__gt=mark).exists()


def test_the_service_refuses_an_own_reset_too(world):
    sysadmin = world.sysadmin
    with pytest.raises(ValidationError) as refused:
        services.reset_password(actor=sysadmin, user=sysadmin, new_password=TEMPORARY)

    assert refused.value.code == "own_password"
    assert not User.objects.get(pk=sysadmin.pk).must_change_password
