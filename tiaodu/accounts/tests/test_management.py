"""The management area (/manage/): the system administrator's, and nobody else's.

Personas (tiaodu.testing): sysadmin manages org units, accounts, people and lists, and sees
an account's roles without changing them (roles are the security administrator's, in the
administration area); every other persona, the security administrator and the auditor
included, gets a 404; an anonymous visitor is sent to Tiaodu's sign-in page. Every write is
audited.
"""

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.utils import translation

from tiaodu.accounts import services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User, UserRole
from tiaodu.core.models import AuditAction, AuditEvent
from tiaodu.core.roles import Role
from tiaodu.projects.models import KeyProjectList
from tiaodu.testing import PASSWORD, assert_nothing_written

OTHERS = ["alice", "dora", "rita", "bob", "leo", "lena", "hank", "sam", "secadmin", "auditor"]
PAGES = [
    "/manage/",
    "/manage/accounts/",
    "/manage/accounts/orgunit/",
    "/manage/accounts/orgunit/add/",
    "/manage/accounts/user/",
    "/manage/accounts/user/1/change/",
    "/manage/accounts/person/",
    "/manage/projects/keyprojectlist/",
    "/manage/login/",
    "/manage/password_change/",
    "/manage/nowhere/",
]
NEW_PASSWORD = "Harbour#2026x"


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.sysadmin)
    client.cookies["django_language"] = "en"
    return client


def site_label(choice) -> str:
    """A choice's label as the audit log stores it: in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(choice.label)


def events_after(mark: int):
    return AuditEvent.objects.filter(pk__gt=mark).order_by("pk")


def last_event_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def role_form(prefix: str = "role_assignments", initial: list[UserRole] | None = None, **new):
    """The POST data of a user's role inline: existing rows kept, one new row."""
    initial = initial or []
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(initial) + 1),
        f"{prefix}-INITIAL_FORMS": str(len(initial)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, assignment in enumerate(initial):
        data[f"{prefix}-{index}-id"] = str(assignment.pk)
        data[f"{prefix}-{index}-user"] = str(assignment.user_id)
    index = len(initial)
    data[f"{prefix}-{index}-user"] = str(initial[0].user_id) if initial else ""
    for key, value in new.items():
        data[f"{prefix}-{index}-{key}"] = value
    return data


def profile(user: User, **changes):
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "org_unit": str(user.org_unit_id or ""),
        "email": user.email,
        "phone": user.phone,
        "is_active": "on" if user.is_active else "",
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


# --- who may enter -------------------------------------------------------------------------


@pytest.mark.parametrize("name", OTHERS)
def test_everyone_but_the_system_administrator_gets_404(client, world, name):
    client.force_login(world.users[name])
    for page in PAGES:
        assert client.get(page).status_code == 404, page
    assert client.post("/manage/accounts/orgunit/add/", {"name": "x"}).status_code == 404
    assert not OrgUnit.objects.filter(name="x").exists()


def test_anonymous_visitor_is_sent_to_our_sign_in_page(client, world):
    response = client.get("/manage/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/manage/accounts/user/"
    assert client.get("/manage/login/?next=/manage/")["Location"] == (
        "/accounts/login/?next=/manage/login/%3Fnext%3D/manage/"
    )


def test_system_administrator_sees_accounts_and_lists_but_no_business_data(admin_client):
    response = admin_client.get("/manage/")

    assert response.status_code == 200
    html = response.content.decode()
    for href in [
        "/manage/accounts/orgunit/",
        "/manage/accounts/user/",
        "/manage/accounts/person/",
        "/manage/projects/keyprojectlist/",
    ]:
        assert f'href="{href}"' in html
    assert "/manage/projects/project/" not in html
    assert admin_client.get("/manage/projects/project/").status_code == 404
    assert admin_client.get("/manage/projects/annualplan/").status_code == 404
    assert admin_client.get("/manage/core/auditevent/").status_code == 404


def test_admin_sign_in_and_password_pages_hand_over_to_ours(admin_client):
    assert admin_client.get("/manage/login/")["Location"] == "/manage/"
    assert admin_client.get("/manage/password_change/")["Location"] == "/accounts/password/"


def test_signing_out_of_the_area_is_recorded(admin_client, world):
    mark = last_event_pk()
    response = admin_client.post("/manage/logout/")

    assert response["Location"] == "/accounts/login/"
    assert [(e.action, e.actor_id) for e in events_after(mark)] == [
        (AuditAction.SIGN_OUT, world.sysadmin.pk)
    ]
    assert admin_client.get("/manage/").status_code == 302


def test_nothing_can_be_deleted_here(admin_client, world):
    for page in [
        f"/manage/accounts/user/{world.rita.pk}/delete/",
        f"/manage/accounts/orgunit/{world.unit_a.pk}/delete/",
        f"/manage/projects/keyprojectlist/{world.key_list.pk}/delete/",
    ]:
        assert admin_client.get(page).status_code == 404
        assert admin_client.post(page, {"post": "yes"}).status_code == 404
    assert User.objects.filter(pk=world.rita.pk).exists()
    assert OrgUnit.objects.filter(pk=world.unit_a.pk).exists()


# --- org units -------------------------------------------------------------------------------


def test_create_an_org_unit_under_a_district(admin_client, world):
    mark = last_event_pk()
    response = admin_client.post(
        "/manage/accounts/orgunit/add/",
        {
            "name": "黄岛区住房和城乡建设局",
            "kind": OrgUnitKind.DEPARTMENT,
            "parent": str(world.huangdao.pk),
            "contact_phone": "0532-86990000",
            "is_active": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    unit = OrgUnit.objects.get(name="黄岛区住房和城乡建设局")
    assert unit.parent == world.huangdao
    assert unit.path == f"{world.huangdao.path}{unit.pk}/"
    assert unit.depth == world.huangdao.depth + 1
    assert unit.region_code is None
    [event] = events_after(mark)
    assert (event.action, event.actor_id, event.object_type, event.object_id) == (
        AuditAction.CREATE,
        world.sysadmin.pk,
        "accounts.orgunit",
        str(unit.pk),
    )
    assert event.changes == {
        "name": ["", "黄岛区住房和城乡建设局"],
        "kind": ["", site_label(OrgUnitKind.DEPARTMENT)],
        "parent": ["", "黄岛区"],
        "path": ["", unit.path],
        "depth": ["", str(unit.depth)],
        "contact_phone": ["", "0532-86990000"],
        "is_active": ["", "是"],
    }


def test_rename_and_move_an_org_unit(admin_client, world):
    unit = world.unit_a
    mark = last_event_pk()
    response = admin_client.post(
        f"/manage/accounts/orgunit/{unit.pk}/change/",
        {
            "name": "青岛港湾建设集团",
            "kind": OrgUnitKind.OWNER_UNIT,
            "parent": str(world.laoshan.pk),
            "is_active": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.parent_id, unit.path) == (
        "青岛港湾建设集团",
        world.laoshan.pk,
        f"{world.laoshan.path}{unit.pk}/",
    )
    [event] = events_after(mark)
    assert event.action == AuditAction.UPDATE
    assert event.changes == {
        "name": ["青岛港湾建设有限公司", "青岛港湾建设集团"],
        "parent": ["黄岛区", "崂山区"],
        "path": [f"{world.huangdao.path}{unit.pk}/", f"{world.laoshan.path}{unit.pk}/"],
    }


def test_a_unit_cannot_move_under_itself(admin_client, world):
    district = world.huangdao
    mark = last_event_pk()
    response = admin_client.post(
        f"/manage/accounts/orgunit/{district.pk}/change/",
        {
            "name": district.name,
            "kind": district.kind,
            "parent": str(world.unit_a.pk),
            "region_code": district.region_code,
            "is_active": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    district.refresh_from_db()
    assert district.parent == world.city
    assert list(events_after(mark)) == []


# --- accounts and roles ----------------------------------------------------------------------


def test_create_an_account(admin_client, world):
    mark = last_event_pk()
    response = admin_client.post(
        "/manage/accounts/user/add/",
        {
            "username": "nina",
            "display_name": "倪娜",
            "org_unit": str(world.huangdao.pk),
            "email": "nina@example.cn",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "_save": "Save",
        },
    )

    nina = User.objects.get(username="nina")
    assert response.status_code == 302
    assert response["Location"] == f"/manage/accounts/user/{nina.pk}/change/"
    assert nina.check_password(NEW_PASSWORD)
    assert (nina.display_name, nina.org_unit, nina.is_staff, nina.is_superuser) == (
        "倪娜",
        world.huangdao,
        False,
        False,
    )
    assert nina.password_changed_at is not None
    [created] = events_after(mark)
    assert (created.action, created.actor_id, created.object_type, created.object_repr) == (
        AuditAction.CREATE,
        world.sysadmin.pk,
        "accounts.user",
        "倪娜",
    )
    assert created.changes["username"] == ["", "nina"]
    assert created.changes["display_name"] == ["", "倪娜"]
    assert created.changes["org_unit"] == ["", "黄岛区"]
    assert created.changes["email"] == ["", "nina@example.cn"]

    page = admin_client.get(response["Location"]).content.decode()
    assert "The security administrator gives it its roles" in page


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1#x", "This password is too short. It must contain at least 8 characters."),
        (
            "harbour2026",
            "The password must mix at least 3 of these: lower-case letters, "
            "upper-case letters, digits, symbols.",
        ),
    ],
)
def test_a_weak_first_password_is_refused_on_the_form(admin_client, world, password, message):
    mark = last_event_pk()
    response = admin_client.post(
        "/manage/accounts/user/add/",
        {
            "username": "nina",
            "password1": password,
            "password2": password,
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="nina").exists()
    assert list(events_after(mark)) == []


def test_two_different_passwords_are_refused(admin_client, world):
    response = admin_client.post(
        "/manage/accounts/user/add/",
        {
            "username": "nina",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD + "y",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.filter(username="nina").exists()


def test_change_an_account_is_audited_with_before_and_after(admin_client, world):
    rita = world.rita
    assignment = rita.role_assignments.get()
    mark = last_event_pk()
    response = admin_client.post(
        f"/manage/accounts/user/{rita.pk}/change/",
        {
            **profile(rita, display_name="任丽塔", phone="13800000000"),
            **role_form(initial=[assignment]),
        },
    )

    assert response.status_code == 302
    rita.refresh_from_db()
    assert (rita.display_name, rita.phone) == ("任丽塔", "13800000000")
    [event] = events_after(mark)
    assert (event.action, event.actor_id, event.object_type) == (
        AuditAction.UPDATE,
        world.sysadmin.pk,
        "accounts.user",
    )
    assert event.changes == {"display_name": ["Rita", "任丽塔"], "phone": ["", "13800000000"]}
    assert rita.check_password(PASSWORD)


def test_an_account_page_shows_its_roles_without_a_form_to_change_them(admin_client, world):
    html = admin_client.get(f"/manage/accounts/user/{world.dora.pk}/change/").content.decode()

    assert "Dispatcher（黄岛区）" in html
    assert "role_assignments-TOTAL_FORMS" not in html
    assert 'name="role_assignments-0-role"' not in html


@pytest.mark.parametrize(
    ("who", "role", "unit"),
    [
        ("nina", Role.DISPATCHER, "city"),
        ("sysadmin", Role.DISPATCHER, "city"),
        ("bob", Role.AUDITOR, None),
        ("rita", Role.SECURITY_ADMIN, None),
    ],
)
def test_the_system_administrator_cannot_give_a_role_here(admin_client, world, who, role, unit):
    """The finding this closes: the system administrator gave an account (or itself) the
    city's dispatcher role, or made a second auditor, through the account's page."""
    user = world.users.get(who) or services.create_user(
        actor=None, username=who, password=NEW_PASSWORD, display_name="倪娜"
    )
    before = list(UserRole.objects.filter(user=user).values_list("role", flat=True))
    new = {"role": role, **({"org_unit": str(getattr(world, unit).pk)} if unit else {})}
    with assert_nothing_written(UserRole, AuditEvent):
        response = admin_client.post(
            f"/manage/accounts/user/{user.pk}/change/",
            {**profile(user), **role_form(initial=list(user.role_assignments.all()), **new)},
        )

    assert response.status_code == 302
    assert list(UserRole.objects.filter(user=user).values_list("role", flat=True)) == before


def test_the_system_administrator_cannot_take_a_role_away_here(admin_client, world):
    auditor = world.auditor
    data = {**profile(auditor), **role_form(initial=[auditor.role_assignments.get()])}
    data["role_assignments-0-DELETE"] = "on"
    with assert_nothing_written(UserRole, AuditEvent):
        response = admin_client.post(f"/manage/accounts/user/{auditor.pk}/change/", data)

    assert response.status_code == 302
    assert list(auditor.role_assignments.values_list("role", flat=True)) == [Role.AUDITOR]


def test_deactivate_an_account(admin_client, world):
    bob = world.bob
    mark = last_event_pk()
    response = admin_client.post(
        f"/manage/accounts/user/{bob.pk}/change/",
        {**profile(bob, is_active=""), **role_form(initial=[bob.role_assignments.get()])},
    )

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_active is False
    [event] = events_after(mark)
    assert event.changes == {"is_active": ["是", "否"]}


# --- people and lists ------------------------------------------------------------------------


def test_create_and_change_a_person(admin_client, world):
    mark = last_event_pk()
    response = admin_client.post(
        "/manage/accounts/person/add/",
        {
            "name": "王海",
            "title": "区长",
            "org_unit": str(world.huangdao.pk),
            "_save": "Save",
        },
    )
    person = Person.objects.get(name="王海")
    assert response.status_code == 302
    response = admin_client.post(
        f"/manage/accounts/person/{person.pk}/change/",
        {
            "name": "王海",
            "title": "区委书记",
            "org_unit": str(world.huangdao.pk),
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.title == "区委书记"
    assert [(e.action, e.changes.get("title")) for e in events_after(mark)] == [
        (AuditAction.CREATE, ["", "区长"]),
        (AuditAction.UPDATE, ["区长", "区委书记"]),
    ]


def test_create_and_rename_a_key_project_list(admin_client, world):
    mark = last_event_pk()
    response = admin_client.post(
        "/manage/projects/keyprojectlist/add/",
        {
            "name": "省重点项目",
            "year": "2026",
            "description": "",
            "_save": "Save",
        },
    )
    item = KeyProjectList.objects.get(name="省重点项目")
    assert response.status_code == 302
    response = admin_client.post(
        f"/manage/projects/keyprojectlist/{item.pk}/change/",
        {
            "name": "省重大项目",
            "year": "2026",
            "description": "省发改委下达",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.year, item.description) == ("省重大项目", 2026, "省发改委下达")
    assert [(e.action, e.object_type, e.changes) for e in events_after(mark)] == [
        (
            AuditAction.CREATE,
            "projects.keyprojectlist",
            {"name": ["", "省重点项目"], "year": ["", "2026"]},
        ),
        (
            AuditAction.UPDATE,
            "projects.keyprojectlist",
            {"name": ["省重点项目", "省重大项目"], "description": ["", "省发改委下达"]},
        ),
    ]


def test_a_duplicate_list_is_refused_on_the_form(admin_client, world):
    mark = last_event_pk()
    response = admin_client.post(
        "/manage/projects/keyprojectlist/add/",
        {
            "name": world.key_list.name,
            "year": str(world.key_list.year),
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert KeyProjectList.objects.filter(name=world.key_list.name).count() == 1
    assert list(events_after(mark)) == []


def test_the_admin_change_log_is_not_written(admin_client, world):
    admin_client.post(
        "/manage/projects/keyprojectlist/add/",
        {
            "name": "省重点项目",
            "year": "2026",
            "_save": "Save",
        },
    )
    assert KeyProjectList.objects.filter(name="省重点项目").exists()
    assert LogEntry.objects.count() == 0
