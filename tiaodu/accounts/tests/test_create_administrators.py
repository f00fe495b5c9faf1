"""`manage.py create_administrators`: a new site's first three administrators, once, each with
a temporary password printed once and to be changed at the first sign-in."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from tiaodu.accounts.models import User, UserRole
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role

pytestmark = pytest.mark.django_db
NAMES = ["--system", "wang.sys", "--security", "li.sec", "--auditor", "zhao.audit"]


def run(*args: str) -> list[list[str]]:
    out, err = StringIO(), StringIO()
    call_command("create_administrators", *args, stdout=out, stderr=err)
    assert "不会再次显示" in err.getvalue()
    assert "身份验证器" in err.getvalue()
    return [line.split("\t") for line in out.getvalue().splitlines()]


def test_a_new_site_gets_its_three_administrators() -> None:
    printed = run(*NAMES)
    assert [(label, name) for label, name, _password in printed] == [
        ("系统管理员", "wang.sys"),
        ("安全管理员", "li.sec"),
        ("审计员", "zhao.audit"),
    ]
    for _label, name, password in printed:
        user = User.objects.get(username=name)
        assert user.must_change_password
        assert authenticate(username=name, password=password) == user
    roles = dict(UserRole.objects.values_list("user__username", "role"))
    assert roles == {
        "wang.sys": Role.SYSTEM_ADMIN,
        "li.sec": Role.SECURITY_ADMIN,
        "zhao.audit": Role.AUDITOR,
    }
    assert len({password for *_rest, password in printed}) == 3
    assert AuditEvent.objects.filter(object_type="accounts.user").count() == 3
    assert AuditEvent.objects.filter(object_type="accounts.userrole").count() == 3


def test_a_site_with_administrators_refuses_and_changes_nothing() -> None:
    run(*NAMES)
    with pytest.raises(CommandError, match="已有管理员"):
        run("--system", "a1", "--security", "b1", "--auditor", "c1")
    assert User.objects.count() == 3


def test_one_person_for_two_roles_is_refused() -> None:
    with pytest.raises(CommandError, match="三个不同的账号"):
        run("--system", "wang", "--security", "wang", "--auditor", "zhao")
    assert not User.objects.exists()


def test_a_username_taken_refuses_all_three(world) -> None:
    UserRole.objects.filter(
        role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR]
    ).delete()
    before = User.objects.count()
    with pytest.raises(CommandError):
        run("--system", "new.sys", "--security", "new.sec", "--auditor", "alice")
    assert User.objects.count() == before
