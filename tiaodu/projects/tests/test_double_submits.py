"""Double submits of the project create forms: a new project, a year's plan entry and a task
force sent twice with the same form key (core.idempotency) are created once; the second post
is sent to what the first one created."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tiaodu.core.models import AuditEvent
from tiaodu.projects.models import AnnualPlan, LedgerImport, Project, TaskForce
from tiaodu.projects.tests.test_ledger_import import ROW_1, ledger
from tiaodu.projects.tests.test_taskforces import person

KEY = {"idempotency_key": "3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e1f"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _twice(client: Client, url: str, data: dict[str, Any]) -> str:
    first = client.post(url, {**data, **KEY})
    second = client.post(url, {**data, **KEY})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    return str(first["Location"])


def test_the_project_form_carries_a_key(world: Any) -> None:
    page = _client(world.dora).get(reverse("projects:create")).content.decode()
    assert 'name="idempotency_key"' in page


def test_a_new_project_sent_twice_is_created_once(world: Any) -> None:
    data = {
        "name": "前湾港区冷链物流园",
        "code": "2026-370211-54-01-000777",
        "region": world.huangdao.pk,
        "category": "industry",
        "total_investment": "250000",
        "owner_unit": world.unit_a.pk,
        "plan-year": "2026",
        "plan-nature": "new_start",
        "plan-level": "county",
        "plan-planned_investment": "30000",
        "plan-planned_start": "2026-04-01",
    }
    location = _twice(_client(world.dora), reverse("projects:create"), data)
    project = Project.objects.get(name="前湾港区冷链物流园")
    assert location == reverse("projects:detail", args=[project.pk])
    made = AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk))
    assert made.count() == 1


def test_a_plan_entry_sent_twice_is_added_once(world: Any) -> None:
    project = world.projects["p4"]
    url = reverse("projects:plan_create", args=[project.pk])
    assert 'name="idempotency_key"' in _client(world.alice).get(url).content.decode()
    data = {
        "plan-year": "2027",
        "plan-nature": "reserve",
        "plan-level": "county",
        "plan-reserve_stage": "preliminary_design",
        "plan-planned_investment": "0",
    }
    # Without the key the second post would be refused (the year has its entry by then).
    location = _twice(_client(world.alice), url, data)
    assert location == f"{project.get_absolute_url()}?tab=plans"
    assert AnnualPlan.objects.filter(project=project, year=2027).count() == 1


def test_a_task_force_sent_twice_is_set_up_once(world: Any) -> None:
    head = person("刘班长")
    url = reverse("projects:taskforce_create")
    assert 'name="idempotency_key"' in _client(world.dora).get(url).content.decode()
    data = {"name": "码头专班", "head": head.pk, "projects": [world.projects["p1"].pk]}
    location = _twice(_client(world.dora), url, data)
    assert location == TaskForce.objects.get().get_absolute_url()


@pytest.mark.usefixtures("inline_tasks")
def test_a_ledger_uploaded_twice_is_imported_once(
    world: Any, tmp_path: Any, media_root: Any
) -> None:
    """A double click on a slow upload: one import, one stored file, one check."""
    client = _client(world.alice)
    url = reverse("projects:import")
    assert 'name="idempotency_key"' in client.get(url).content.decode()
    content = ledger(tmp_path / "l.xlsx", [ROW_1]).read_bytes()

    def upload() -> Any:
        data = {"file": SimpleUploadedFile("台账.xlsx", content), "year": "2026", "as_of": ""}
        return client.post(url, {**data, **KEY})

    first, second = upload(), upload()
    item = LedgerImport.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("projects:import_detail", args=[item.pk])
    )
    assert len([path for path in media_root.rglob("*") if path.is_file()]) == 1
    created = AuditEvent.objects.filter(object_type="projects.ledgerimport", action="create")
    assert created.count() == 1
