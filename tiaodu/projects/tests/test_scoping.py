"""The persona matrix of DOMAIN.md §2 (personas: tiaodu/testing.py).

- alice (city dispatcher) sees all six projects; dora (黄岛区 dispatcher) sees p1, p2, p6;
- rita (reporter, unit A) sees p1, p6; bob (reporter, unit B) sees p3;
- leo (leader, assigned only) sees p1; lena (leader of 崂山区) sees p3, p4;
- hank (department handler, 住建局) sees p2; sam (service officer) sees p3;
- the three administrators see nothing.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiaodu.accounts import services as account_services
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.projects.models import PROJECT_RELATIONS, AnnualPlan, Procedure, Project
from tiaodu.projects.selectors import plans_visible_to, project_for, projects_visible_to
from tiaodu.testing import PASSWORD, assert_nothing_written

EXPECTED = {
    "alice": {"p1", "p2", "p3", "p4", "p5", "p6"},
    "dora": {"p1", "p2", "p6"},
    "rita": {"p1", "p6"},
    "bob": {"p3"},
    "leo": {"p1"},
    "lena": {"p3", "p4"},
    "hank": {"p2"},
    "sam": {"p3"},
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
}


def keys_of(world, queryset):
    by_pk = {p.pk: key for key, p in world.projects.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_selector_scope(world, persona):
    user = world.users[persona]
    assert keys_of(world, projects_visible_to(user)) == EXPECTED[persona]
    plan_keys = {
        key
        for key, p in world.projects.items()
        if plans_visible_to(user).filter(project=p).exists()
    }
    assert plan_keys == EXPECTED[persona]


@pytest.mark.parametrize("persona", ["alice", "rita", "sam"])
def test_one_project_is_read_with_the_rows_its_page_names_without_joining_them(world, persona):
    """`project_for`: the scoped read joins the region and what the scope reads, no other
    relation; the rows the page names come one query a model after it, and reading
    them asks nothing more."""
    user = world.users[persona]
    project = world.projects[sorted(EXPECTED[persona])[0]]
    stored = Project.objects.select_related(*PROJECT_RELATIONS).get(pk=project.pk)
    with CaptureQueriesContext(connection) as queries:
        found = project_for(user, project.pk)
    tables = [q["sql"].partition(" FROM ")[2].split(" ")[0] for q in queries.captured_queries]
    project_read = [q["sql"] for q in queries.captured_queries if "projects_project" in q["sql"]]
    assert len(project_read) == 1
    joined = project_read[0].partition(" WHERE ")[0]
    # The region, and what the scope's condition reads (a reporter's unit, an officer's
    # person): not the seven relations.
    assert joined.count(" JOIN ") <= 2 and '"accounts_orgunit"' in joined
    # After it, at most one read of its units and one of its people.
    after = tables[tables.index('"projects_project"') + 1 :]
    assert len(after) == len(set(after)) and set(after) <= {
        '"accounts_orgunit"',
        '"accounts_person"',
    }
    with CaptureQueriesContext(connection) as more:
        names = [str(getattr(found, name) or "") for name in PROJECT_RELATIONS]
    assert not more.captured_queries
    assert names == [str(getattr(stored, name) or "") for name in PROJECT_RELATIONS]
    outside = [p for key, p in world.projects.items() if key not in EXPECTED[persona]]
    for other in outside:
        with pytest.raises(Http404):
            project_for(user, other.pk)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_pages_answer_404_outside_scope(world, client, persona):
    user = world.users[persona]
    signed_in(client, user)
    for key, project in world.projects.items():
        response = client.get(reverse("projects:detail", args=[project.pk]))
        expected = 200 if key in EXPECTED[persona] else 404
        assert response.status_code == expected, (persona, key)
        api = client.get(f"/api/v1/projects/{project.pk}")
        assert api.status_code == expected, (persona, key, "api")


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_library_list_and_export_show_only_scope(world, client, persona):
    import io

    from openpyxl import load_workbook

    user = world.users[persona]
    signed_in(client, user)
    response = client.get(reverse("projects:list"), {"year": 2026})
    visible_names = {world.projects[k].name for k in EXPECTED[persona]}
    if persona in {"sysadmin", "secadmin", "auditor"}:
        assert response.status_code == 404
    else:
        html = response.content.decode()
        for key, project in world.projects.items():
            assert (project.name in html) == (key in EXPECTED[persona]), (persona, key)
    export = client.get(reverse("projects:export"), {"year": 2026})
    if persona in {"sysadmin", "secadmin", "auditor"}:
        assert export.status_code == 404
        return
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == visible_names


EDITORS = {"alice": {"p1", "p2", "p3", "p4", "p5", "p6"}, "dora": {"p1", "p2", "p6"}}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_edit_outside_scope_is_404_and_changes_nothing(world, client, persona):
    user = world.users[persona]
    signed_in(client, user)
    for key, project in world.projects.items():
        url = reverse("projects:edit", args=[project.pk])
        data = {"name": "改名", "region": project.region_id, "total_investment": "1"}
        if key in EDITORS.get(persona, set()):
            assert client.post(url, data).status_code == 200  # the form again: fields missing
            continue
        with assert_nothing_written(Project, AnnualPlan, Procedure, AuditEvent):
            assert client.post(url, data).status_code == 404, (persona, key)
            for name in ("plan_create", "procedures"):
                response = client.post(reverse(f"projects:{name}", args=[project.pk]), {})
                assert response.status_code == 404


@pytest.mark.parametrize("first", sorted(ADMINISTRATOR_ROLES))
@pytest.mark.parametrize("second", sorted(set(Role)))
def test_no_account_holds_an_administrator_role_and_another(world, first, second):
    if first == second:
        return
    user = account_services.create_user(
        actor=None, username=f"x-{first}-{second}", password=PASSWORD
    )
    unit = (
        world.city
        if second in {Role.DISPATCHER, Role.REPORTER, Role.DEPARTMENT_HANDLER, Role.LEADER}
        else None
    )
    account_services.assign_role(actor=None, user=user, role=first)
    with pytest.raises(ValidationError):
        account_services.assign_role(actor=None, user=user, role=second, org_unit=unit)
    assert list(user.role_assignments.values_list("role", flat=True)) == [first]


def test_business_role_then_administrator_role_is_refused(world):
    with pytest.raises(ValidationError):
        account_services.assign_role(actor=None, user=world.dora, role=Role.AUDITOR)
    assert set(world.dora.role_assignments.values_list("role", flat=True)) == {Role.DISPATCHER}
