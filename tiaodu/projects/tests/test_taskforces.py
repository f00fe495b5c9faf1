"""Task forces (专班, DOMAIN.md §8): written by the dispatchers of their projects' regions,
and a reach of their members to their projects (`visibility`)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tiaodu.accounts import services as account_services
from tiaodu.accounts.models import Person
from tiaodu.core.models import AuditEvent
from tiaodu.projects import services
from tiaodu.projects.ledger.importer import apply_import, plan_import
from tiaodu.projects.models import TaskForce
from tiaodu.projects.permissions import can_edit_task_force
from tiaodu.projects.selectors import plans_visible_to, projects_visible_to
from tiaodu.testing import assert_nothing_written, make_user, who_passes

AS_OF = dt.date(2026, 8, 31)


def keys_of(world, queryset):
    by_pk = {p.pk: key for key, p in world.projects.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


def person(name, user=None):
    return account_services.create_person(actor=None, name=name, user=user)


@pytest.fixture
def crew(world):
    """A task force on p2 and p4 (two districts): head 王班长, member tina (who signs in and
    holds no role) and sam (the service officer of p3)."""
    tina = make_user("tina", None, None)
    head = person("王班长")
    task_force = services.save_task_force(
        actor=world.alice,
        name="安置房专班",
        head=head,
        responsible_person=person("赵责任"),
        members=[person("田娜", user=tina), world.sam.person],
        projects=[world.projects["p2"], world.projects["p4"]],
        duties="协调征地拆迁",
    )
    return task_force, tina


def test_a_dispatcher_creates_a_task_force_and_it_is_audited(world):
    head = person("刘班长")
    task_force = services.save_task_force(
        actor=world.dora, name="码头专班", head=head, projects=[world.projects["p1"]]
    )
    assert list(task_force.projects.all()) == [world.projects["p1"]]
    event = AuditEvent.objects.get(object_type="projects.taskforce", object_id=str(task_force.pk))
    assert event.action == "create" and "刘班长" in event.changes["head"][1]


def test_members_are_set_again_on_update(world, crew):
    task_force, _tina = crew
    services.save_task_force(
        actor=world.alice,
        task_force=task_force,
        name="安置房专班",
        head=task_force.head,
        members=[],
        projects=[world.projects["p2"]],
    )
    task_force.refresh_from_db()
    assert list(task_force.members.all()) == []
    assert list(task_force.projects.all()) == [world.projects["p2"]]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": " "}, "name", "请填写专班名称。"),
        ({"head": None}, "head", "请选择专班班长。"),
        ({"projects": []}, "projects", "请至少选择一个专班服务的项目。"),
        ({"projects": ["p3"]}, "projects", "这些项目不在您的辖区内：崂山科创园一期。"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(world, fields, field, message):
    head = person("刘班长")
    data = {"name": "码头专班", "head": head, "projects": [world.projects["p1"]]}
    data.update(fields)
    if fields.get("projects"):
        data["projects"] = [world.projects[key] for key in fields["projects"]]
    with assert_nothing_written(TaskForce, AuditEvent), pytest.raises(ValidationError) as caught:
        services.save_task_force(actor=world.dora, **data)
    assert caught.value.message_dict[field] == [message]


def test_only_dispatchers_of_every_project_region_change_a_task_force(world, crew):
    task_force, _tina = crew
    assert who_passes(world, lambda user: can_edit_task_force(user, task_force)) == {"alice"}
    with assert_nothing_written(TaskForce, AuditEvent), pytest.raises(PermissionDenied):
        services.save_task_force(
            actor=world.dora,
            task_force=task_force,
            name="改名",
            head=task_force.head,
            projects=[world.projects["p2"]],
        )
    with pytest.raises(PermissionDenied):
        services.save_task_force(
            actor=world.rita, name="x", head=task_force.head, projects=[world.projects["p1"]]
        )


def test_a_member_sees_its_projects_and_no_others(world, crew, client):
    _task_force, tina = crew
    assert keys_of(world, projects_visible_to(tina)) == {"p2", "p4"}
    assert {plan.project_id for plan in plans_visible_to(tina)} == {
        world.projects["p2"].pk,
        world.projects["p4"].pk,
    }
    # The service officer of p3 now also sees the projects of its task force.
    assert keys_of(world, projects_visible_to(world.sam)) == {"p2", "p3", "p4"}
    # Nobody else's scope changed.
    assert keys_of(world, projects_visible_to(world.bob)) == {"p3"}
    assert keys_of(world, projects_visible_to(world.rita)) == {"p1", "p6"}
    client.force_login(tina)
    assert client.get(reverse("projects:detail", args=[world.projects["p2"].pk])).status_code == 200
    for key in ("p1", "p3", "p5", "p6"):
        url = reverse("projects:detail", args=[world.projects[key].pk])
        assert client.get(url).status_code == 404


def test_a_head_who_signs_in_sees_the_projects(world):
    head = person("刘班长", user=world.bob)
    services.save_task_force(
        actor=world.dora, name="码头专班", head=head, projects=[world.projects["p1"]]
    )
    assert keys_of(world, projects_visible_to(world.bob)) == {"p1", "p3"}


def test_the_project_page_shows_its_task_force(world, crew, client):
    client.force_login(world.dora)
    url = reverse("projects:detail", args=[world.projects["p2"].pk])
    html = client.get(url, {"tab": "taskforce"}).content.decode()
    assert "专班" in html and "王班长" in html and "赵责任" in html and "协调征地拆迁" in html
    assert "田娜" in html
    empty = client.get(
        reverse("projects:detail", args=[world.projects["p1"].pk]), {"tab": "taskforce"}
    ).content.decode()
    assert "尚无专班服务本项目" in empty and 'data-testid="add-task-force"' in empty


def test_the_list_and_the_detail_page_show_only_what_the_reader_sees(world, crew, client):
    task_force, _tina = crew
    client.force_login(world.dora)
    html = client.get(reverse("projects:taskforces")).content.decode()
    assert "安置房专班" in html
    detail = client.get(task_force.get_absolute_url()).content.decode()
    assert "黄岛区安置房建设项目" in detail
    # dora does not see p4 (崂山区), nor may she edit a task force reaching outside her region.
    assert "崂山区污水处理厂扩建" not in detail and 'data-testid="edit-task-force"' not in detail
    client.force_login(world.rita)
    assert "安置房专班" not in client.get(reverse("projects:taskforces")).content.decode()
    assert client.get(task_force.get_absolute_url()).status_code == 404


def test_the_dispatcher_creates_one_through_the_form(world, client):
    head = person("刘班长")
    client.force_login(world.dora)
    url = reverse("projects:taskforce_create")
    page = client.get(url, {"project": world.projects["p1"].pk}).content.decode()
    assert "黄岛港区集装箱码头三期专班" in page
    response = client.post(
        url,
        {
            "name": "码头专班",
            "head": head.pk,
            "projects": [world.projects["p1"].pk],
            "duties": "每周调度",
        },
    )
    task_force = TaskForce.objects.get(name="码头专班")
    assert response.status_code == 302 and response["Location"] == task_force.get_absolute_url()
    assert task_force.head == head and task_force.duties == "每周调度"


def test_the_form_refuses_bad_input_and_writes_nothing(world, client):
    client.force_login(world.dora)
    url = reverse("projects:taskforce_create")
    with assert_nothing_written(TaskForce, AuditEvent):
        response = client.post(url, {"name": "码头专班", "projects": [world.projects["p3"].pk]})
    html = response.content.decode()
    assert response.status_code == 200 and "请选择专班班长。" in html
    client.force_login(world.rita)
    assert client.get(url).status_code == 404


# The ledger (DOMAIN.md §5): a column for the head, 专班班长, written and read again.


def export(world, client, tmp_path):
    client.force_login(world.alice)
    response = client.get(reverse("projects:export"), {"year": 2026, "as_of": AS_OF})
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    return path


def heads_in(path):
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    name, head = rows[0].index("项目名称"), rows[0].index("专班班长")
    return {row[name]: row[head] for row in rows[1:]}


def set_heads(path, heads):
    workbook = load_workbook(path)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    name, head = header.index("项目名称") + 1, header.index("专班班长") + 1
    for row in range(2, sheet.max_row + 1):
        project = sheet.cell(row, name).value
        if project in heads:
            sheet.cell(row, head).value = heads[project]
    workbook.save(path)


def import_ledger(world, path):
    plan = plan_import(actor=world.alice, source=path, year=2026, as_of=AS_OF)
    assert plan.errors == []
    apply_import(actor=world.alice, plan=plan)
    return plan


def test_the_export_names_the_head_and_imports_again_unchanged(world, crew, client, tmp_path):
    path = export(world, client, tmp_path)
    heads = heads_in(path)
    assert heads["黄岛区安置房建设项目"] == "王班长" and heads["崂山区污水处理厂扩建"] == "王班长"
    assert heads["黄岛港区集装箱码头三期"] in (None, "")
    with assert_nothing_written(TaskForce, Person, AuditEvent):
        plan = import_ledger(world, path)
    assert plan.counts["updated"] == 0 and plan.counts["new"] == 0


def test_the_import_sets_a_head_or_makes_the_task_force(world, crew, client, tmp_path):
    task_force, _tina = crew
    path = export(world, client, tmp_path)
    # A new head for p2's task force, a task force for p1 whose head is on record (王班长),
    # and a blank cell for p4 that changes nothing.
    set_heads(
        path,
        {
            "黄岛区安置房建设项目": "新班长",
            "黄岛港区集装箱码头三期": "王班长",
            "崂山区污水处理厂扩建": None,
        },
    )
    plan = import_ledger(world, path)
    assert plan.counts == {"new": 0, "updated": 2, "unchanged": 4}
    task_force.refresh_from_db()
    assert task_force.head.name == "新班长"  # p4 shares it: the last non-blank cell wins
    made = world.projects["p1"].task_forces.get()
    assert made.name == "黄岛港区集装箱码头三期专班" and made.head == Person.objects.get(
        name="王班长"
    )
    assert AuditEvent.objects.filter(
        object_type="projects.taskforce", object_id=str(made.pk)
    ).exists()
    update = AuditEvent.objects.filter(
        object_type="projects.taskforce", object_id=str(task_force.pk), action="update"
    ).get()
    assert update.changes["head"] == ["王班长", "新班长"]


def test_a_district_cannot_change_the_head_of_a_task_force_beyond_it(world, crew, client, tmp_path):
    client.force_login(world.dora)
    response = client.get(reverse("projects:export"), {"year": 2026, "as_of": AS_OF})
    path = tmp_path / "dora.xlsx"
    path.write_bytes(response.content)
    set_heads(path, {"黄岛区安置房建设项目": "新班长"})
    with assert_nothing_written(TaskForce, Person, AuditEvent):
        plan = plan_import(actor=world.dora, source=path, year=2026, as_of=AS_OF)
    assert [(error.header, error.value) for error in plan.errors] == [("专班班长", "新班长")]
    assert plan.errors[0].fix == (
        "专班“安置房专班”还服务您管辖范围以外的项目：只有其全部项目所在区域的调度员才能"
        "更换班长；请保持该单元格原值。"
    )
