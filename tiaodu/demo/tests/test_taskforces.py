"""The demo's task forces: one per municipal key project of the year (as the list stood in
the spring), headed by its sponsoring (or municipal) leader, and named in the ledger
export's 专班班长 column."""

import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from tiaodu.accounts.models import User
from tiaodu.projects import lists as key_lists
from tiaodu.projects.models import KeyProjectList, Project, TaskForce

AS_OF = dt.date(2026, 12, 6)


@pytest.mark.django_db
def test_each_municipal_key_project_has_a_task_force_with_a_head() -> None:
    call_command(
        "load_demo", "--projects", "40", "--year", "2026", "--as-of", AS_OF.isoformat(),
        "--without", "reports", stdout=StringIO(),
    )  # fmt: skip
    # The list as it stood in the spring, when the task forces were set up (the campaign's
    # list changes came later).
    spring = key_lists.plan_ids_on(
        dt.date(2026, 3, 1), [KeyProjectList.objects.get(year=2026, name="市重点项目").pk]
    )
    municipal = Project.objects.filter(plans__in=spring).distinct()
    led = municipal.exclude(sponsoring_leader=None, municipal_leader=None)
    forces = TaskForce.objects.select_related("head")
    assert forces.count() == led.count() > 0
    for force in forces:
        (project,) = force.projects.all()
        assert force.head_id in (project.sponsoring_leader_id, project.municipal_leader_id)
        assert force.name == f"{project.name}专班" and force.duties
    client = Client()
    client.force_login(User.objects.get(username="dispatcher"))
    response = client.get("/projects/export.xlsx", {"year": 2026})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    name, head = rows[0].index("项目名称"), rows[0].index("专班班长")
    heads = {row[name]: row[head] for row in rows[1:]}
    for force in forces:
        assert heads[force.projects.get().name] == force.head.name
