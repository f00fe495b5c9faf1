"""The auditor's audit log (DOMAIN.md §9): only the auditor reads it; filters; export; append-only.

Personas (tiaodu.testing): the auditor reads the whole log; every other persona, the system
and security administrators included, gets a 404. The events below are placed in March
and April 2025, before the world was built, so that a date range picks out exactly them.
"""

import datetime as dt
import re
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from openpyxl import load_workbook

from tiaodu.core import audit, context
from tiaodu.core.models import AuditAction, AuditEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
OTHERS = ["alice", "dora", "rita", "bob", "leo", "lena", "hank", "sam", "sysadmin", "secadmin"]
MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def excel_time(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    """A Shanghai time as the export holds it: local, without a zone (Excel has none)."""
    return at(year, month, day, hour, minute).replace(tzinfo=None)


def record_at(moment: dt.datetime, address: str, **kwargs) -> AuditEvent:
    with (
        time_machine.travel(moment, tick=False),
        context.bound(context.RequestContext(address, "web")),
    ):
        return audit.record(**kwargs)


@pytest.fixture
def events(world):
    """Four events of March 2025; the second and third straddle midnight in Shanghai."""
    project = world.projects["p1"]
    return [
        record_at(
            at(2025, 3, 1, 9, 0),
            "10.1.1.1",
            actor=world.rita,
            action=AuditAction.SIGN_IN,
            instance=world.rita,
        ),
        record_at(
            at(2025, 3, 1, 23, 30),
            "203.0.113.9",
            actor=None,
            actor_name="mallory",
            action=AuditAction.SIGN_IN_FAILED,
            success=False,
            message="wrong username or password",
        ),
        record_at(
            at(2025, 3, 2, 0, 30),
            "10.1.1.2",
            actor=world.alice,
            action=AuditAction.UPDATE,
            instance=project,
            changes={
                "name": ["黄岛港区集装箱码头", "黄岛港区集装箱码头三期"],
                "remarks": ["", "加快推进"],
            },
        ),
        record_at(
            at(2025, 3, 3, 10, 0),
            "10.1.1.3",
            actor=world.auditor,
            action=AuditAction.EXPORT,
            object_label="Audit log",
            message="0 events",
        ),
    ]


def english(client):
    client.cookies["django_language"] = "en"
    return client


def signed_in(client, user):
    client.force_login(user)
    return english(client)


def shown_rows(response) -> int:
    return len(re.findall(r'data-testid="audit-event"', response.content.decode()))


# --- who may read it -----------------------------------------------------------------------


@pytest.mark.parametrize("name", OTHERS)
def test_nobody_but_the_auditor_sees_the_log_or_its_export(client, world, events, name):
    signed_in(client, world.users[name])
    exports_before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()

    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.xlsx").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == exports_before


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/audit/"
    assert (
        client.get("/audit/export.xlsx")["Location"] == "/accounts/login/?next=/audit/export.xlsx"
    )


def test_auditor_sees_the_log_newest_first_with_changes(client, world, events):
    signed_in(client, world.auditor)
    response = client.get("/audit/", MARCH)

    assert response.status_code == 200
    page = response.context["page"]
    assert [event.pk for event in page.object_list] == [e.pk for e in reversed(events)]
    assert shown_rows(response) == 4
    html = response.content.decode()
    assert "4 events" in html
    update_row = html.split('data-testid="audit-event"')[2]
    assert "2025-03-02 00:30:00" in update_row
    assert "alice" in update_row and "Alice" in update_row
    assert "10.1.1.2" in update_row
    assert '<span class="td-change-before">黄岛港区集装箱码头</span> → ' in update_row
    assert '<span class="td-change-after">黄岛港区集装箱码头三期</span>' in update_row
    assert "project name" in update_row  # the field's verbose name, not "name"
    failed_row = html.split('data-testid="audit-event"')[3]
    assert "mallory" in failed_row and "203.0.113.9" in failed_row and "Failed" in failed_row


def test_the_auditor_has_a_menu_entry_and_others_do_not(client, world):
    assert 'href="/audit/"' in signed_in(client, world.auditor).get("/").content.decode()
    client.logout()
    assert 'href="/audit/"' not in signed_in(client, world.alice).get("/").content.decode()


# --- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [3, 2, 1, 0]),
        ({"q": "mallory"}, [1]),
        ({"q": "203.0.113"}, [1]),
        ({"q": "wrong username"}, [1]),
        ({"q": "Alice"}, [2]),  # the actor's display name
        ({"q": "集装箱码头"}, [2]),  # the object
        ({"action": "sign_in_failed"}, [1]),
        ({"action": "update"}, [2]),
        ({"object_type": "projects.project"}, [2]),
        ({"object_type": "accounts.user"}, [0]),
        ({"outcome": "failure"}, [1]),
        ({"outcome": "success"}, [3, 2, 0]),
        # Dates are days in Shanghai: 23:30 on 1 March is still 1 March, 00:30 is 2 March.
        ({"date_from": "2025-03-01", "date_to": "2025-03-01"}, [1, 0]),
        ({"date_from": "2025-03-02", "date_to": "2025-03-02"}, [2]),
        ({"date_from": "2025-03-02"}, [3, 2]),
        ({"q": "10.1.1", "outcome": "success", "date_to": "2025-03-02"}, [2, 0]),
    ],
)
def test_filters_narrow_the_log(client, world, events, params, expected):
    signed_in(client, world.auditor)
    query = {**MARCH, **params}
    response = client.get("/audit/", query)

    assert [e.pk for e in response.context["page"].object_list] == [events[i].pk for i in expected]
    assert shown_rows(response) == len(expected)
    count = len(expected)
    assert f"{count} event{'s' if count != 1 else ''}</h3>" in response.content.decode()


def test_an_unknown_action_is_reported_not_ignored(client, world, events):
    signed_in(client, world.auditor)
    response = client.get("/audit/", {**MARCH, "action": "teleport"})

    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_pages_hold_fifty_events(client, world):
    for minute in range(55):
        record_at(
            at(2025, 4, 1, 8, minute),
            "10.0.0.1",
            actor=None,
            actor_name=f"bulk{minute:02}",
            action=AuditAction.SIGN_IN_FAILED,
            success=False,
        )
    signed_in(client, world.auditor)
    query = {"date_from": "2025-04-01", "date_to": "2025-04-01"}

    first = client.get("/audit/", query)
    second = client.get("/audit/", {**query, "page": 2})

    assert shown_rows(first) == 50
    assert first.context["page"].object_list[0].actor_name == "bulk54"
    assert shown_rows(second) == 5
    assert [e.actor_name for e in second.context["page"].object_list] == [
        "bulk04",
        "bulk03",
        "bulk02",
        "bulk01",
        "bulk00",
    ]
    assert "date_from=2025-04-01&amp;date_to=2025-04-01&amp;page=2" in first.content.decode()


# --- export ----------------------------------------------------------------------------------


def test_export_holds_the_filtered_events_and_is_itself_audited(client, world, events):
    signed_in(client, world.auditor)
    with time_machine.travel(at(2025, 5, 6, 14, 5), tick=False):
        response = client.get(
            "/audit/export.xlsx", {"date_from": "2025-03-01", "date_to": "2025-03-02"}
        )

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    # The page is in English here: the file is named in the reader's language.
    assert response["Content-Disposition"] == (
        'attachment; filename="Audit log-as of 2025-05-06.xlsx"'
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Audit log (exported 20250506-1405)"
    assert rows[1] == (
        "Time",
        "Username",
        "Name",
        "Action",
        "Object type",
        "Object",
        "Object id",
        "Source address",
        "Channel",
        "Outcome",
        "Message",
        "Changes (before → after)",
    )
    assert rows[2:] == [
        (
            excel_time(2025, 3, 2, 0, 30),
            "alice",
            "Alice",
            "Update",
            "project",
            "黄岛港区集装箱码头三期",
            str(world.projects["p1"].pk),
            "10.1.1.2",
            "Web",
            "Succeeded",
            None,
            "project name: 黄岛港区集装箱码头 → 黄岛港区集装箱码头三期\nremarks: 加快推进",
        ),
        (
            excel_time(2025, 3, 1, 23, 30),
            "mallory",
            None,
            "Failed sign-in",
            None,
            None,
            None,
            "203.0.113.9",
            "Web",
            "Failed",
            "wrong username or password",
            None,
        ),
        (
            excel_time(2025, 3, 1, 9, 0),
            "rita",
            "Rita",
            "Sign-in",
            "user",
            "Rita",
            str(world.rita.pk),
            "10.1.1.1",
            "Web",
            "Succeeded",
            None,
            None,
        ),
    ]
    export = AuditEvent.objects.get(
        action=AuditAction.EXPORT, actor=world.auditor, at=at(2025, 5, 6, 14, 5)
    )
    assert export.actor_name == "auditor"
    assert export.object_repr == "Audit log"
    # The filters by their labels, in the site's language like all audit text.
    assert export.message == "3 条；开始日期：2025-03-01；结束日期：2025-03-02"
    assert export.success is True


def test_typed_text_is_never_a_formula_in_the_export(client, world):
    record_at(
        at(2025, 6, 1, 9, 0),
        "10.0.0.9",
        actor=None,
        actor_name='=HYPERLINK("x")',
        action=AuditAction.SIGN_IN_FAILED,
        success=False,
    )
    signed_in(client, world.auditor)
    response = client.get(
        "/audit/export.xlsx", {"date_from": "2025-06-01", "date_to": "2025-06-01"}
    )

    cell = load_workbook(BytesIO(response.content)).active["B3"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"


def test_an_export_too_large_is_refused_with_a_way_out(client, world, events, settings):
    settings.TIAODU_EXPORT_MAX_ROWS = 3
    signed_in(client, world.auditor)
    exports_before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()

    response = client.get("/audit/export.xlsx", MARCH, follow=True)

    assert response.redirect_chain == [("/audit/?date_from=2025-03-01&date_to=2025-03-31", 302)]
    assert "4 events match; at most 3 can be exported at once." in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == exports_before


# --- append-only -----------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_events(events):
    event = events[1]
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(message="nothing happened")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.message = "nothing happened"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).message == "wrong username or password"


def test_the_database_refuses_a_raw_update(events):
    event = events[1]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET success = %s, message = %s WHERE id = %s",
            [True, "nothing happened", event.pk],
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.message == "wrong username or password"
    assert stored.success is False


def test_the_database_refuses_a_raw_delete(events):
    count = AuditEvent.objects.count()
    for statement, params in [
        ("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk]),
        ("DELETE FROM core_auditevent", []),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    assert AuditEvent.objects.count() == count
    assert AuditEvent.objects.filter(pk=events[1].pk).exists()
