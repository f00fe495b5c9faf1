"""What the audit log records of an account (`core.audit`), and what it never records."""

import datetime as dt

from tiaodu.accounts import services
from tiaodu.core.audit import snapshot
from tiaodu.core.models import AuditEvent


def test_password_hashes_never_reach_the_log(world):
    user = services.create_user(actor=world.sysadmin, username="newcomer", password="Qd#2026hdqz")
    services.change_password(actor=user, user=user, new_password="Qd#2027hdqz")
    for event in AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)):
        assert "password" not in event.changes
        assert "pbkdf2" not in str(event.changes) and "md5" not in str(event.changes)


def test_times_are_recorded_in_local_time(world):
    user = world.alice
    user.password_changed_at = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
    assert snapshot(user, ["password_changed_at"]) == {"password_changed_at": "2026-11-22 10:00:00"}


def test_an_account_without_a_password_cannot_sign_in(world, client):
    user = services.create_user(
        actor=world.sysadmin, username="unit-reporter", password=None, display_name="王立"
    )
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert user.password_changed_at is None
    assert not client.login(username="unit-reporter", password="")
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).exists()
