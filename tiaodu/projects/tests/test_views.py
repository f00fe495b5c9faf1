"""The project pages through HTTP, as a dispatcher uses them."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.projects.models import AnnualPlan, Procedure, Project
from tiaodu.testing import download_name


def test_create_project_with_its_first_plan(world, client):
    client.force_login(world.dora)
    response = client.post(
        reverse("projects:create"),
        {
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
            "plan-lists": [world.key_list.pk],
        },
    )
    project = Project.objects.get(name="前湾港区冷链物流园")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    plan = AnnualPlan.objects.get(project=project)
    assert (plan.year, plan.nature, str(plan.planned_investment)) == (2026, "new_start", "30000.00")
    assert [item.name for item in plan.current_lists] == ["市重点项目"]
    assert (
        AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk)).count()
        == 1
    )


def test_create_with_errors_writes_nothing_and_says_where(world, client):
    client.force_login(world.dora)
    count, events = Project.objects.count(), AuditEvent.objects.count()
    response = client.post(
        reverse("projects:create"),
        {
            "name": "",
            "region": world.laoshan.pk,  # not dora's district: not offered
            "category": "industry",
            "total_investment": "abc",
            "plan-year": "2026",
            "plan-nature": "continuing",
            "plan-level": "county",
            "plan-reserve_stage": "pre_construction",
            "plan-planned_investment": "10",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "region", "total_investment"}
    assert Project.objects.count() == count
    assert AuditEvent.objects.count() == events


def test_reserve_stage_on_a_non_reserve_plan_is_explained(world, client):
    client.force_login(world.alice)
    project = world.projects["p1"]
    response = client.post(
        reverse("projects:plan_edit", args=[project.pk, 2026]),
        {
            "plan-nature": "new_start",
            "plan-level": "municipal",
            "plan-reserve_stage": "pre_construction",
            "plan-planned_investment": "10",
        },
    )
    assert response.status_code == 200
    assert "reserve_stage" in response.context["form"].errors
    assert AnnualPlan.objects.get(project=project, year=2026).reserve_stage == ""


def test_add_a_years_plan_and_procedures(world, client):
    client.force_login(world.alice)
    project = world.projects["p4"]
    response = client.post(
        reverse("projects:plan_create", args=[project.pk]),
        {
            "plan-year": "2027",
            "plan-nature": "reserve",
            "plan-level": "county",
            "plan-reserve_stage": "preliminary_design",
            "plan-planned_investment": "0",
        },
    )
    assert response.status_code == 302
    assert AnnualPlan.objects.get(project=project, year=2027).reserve_stage == "preliminary_design"

    data = {"form-TOTAL_FORMS": "8", "form-INITIAL_FORMS": "8"}
    from tiaodu.projects.choices import ProcedureKind

    for index, kind in enumerate(ProcedureKind.values):
        data.update({f"form-{index}-kind": kind, f"form-{index}-status": "pending"})
    data.update(
        {
            "form-0-status": "done",
            "form-0-completed_on": "2026-02-03",
            "form-0-document_number": "崂发改审批〔2026〕5号",
        }
    )
    response = client.post(reverse("projects:procedures", args=[project.pk]), data)
    assert response.status_code == 302
    done = Procedure.objects.get(project=project, kind="project_approval")
    assert (done.status, done.document_number) == ("done", "崂发改审批〔2026〕5号")
    assert Procedure.objects.filter(project=project).count() == 8
    page = client.get(reverse("projects:detail", args=[project.pk]), {"tab": "procedures"})
    assert "崂发改审批〔2026〕5号" in page.content.decode()


def test_filters_narrow_the_list_and_the_export(world, client):
    client.force_login(world.alice)
    url = reverse("projects:list")
    cases = [
        ({"nature": "new_start"}, {"p1", "p3", "p5"}),
        ({"region": world.laoshan.pk}, {"p3", "p4"}),
        ({"list": world.key_list.pk}, {"p1", "p2", "p3"}),
        ({"q": "崂山"}, {"p3", "p4"}),
        ({"q": "崂山", "nature": "continuing"}, {"p4"}),
        ({"year": 2025}, set()),
    ]
    for params, expected in cases:
        response = client.get(url, {"year": 2026, **params})
        rows = {plan.project.name for plan in response.context["table"].data}
        assert rows == {world.projects[k].name for k in expected}, params
        export = client.get(reverse("projects:export"), {"year": 2026, **params})
        sheet = load_workbook(io.BytesIO(export.content)).active
        names = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert names == rows, params


def test_sorting_by_total_investment(world, client):
    client.force_login(world.alice)
    response = client.get(reverse("projects:list"), {"year": 2026, "sort": "total_investment"})
    amounts = [
        row.record.project.total_investment for row in response.context["table"].page.object_list
    ]
    assert amounts == sorted(amounts)


def test_htmx_request_returns_only_the_results(world, client):
    client.force_login(world.alice)
    response = client.get(reverse("projects:list"), {"year": 2026}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html


def test_export_is_audited(world, client):
    client.force_login(world.dora)
    response = client.get(reverse("projects:export"), {"year": 2026, "nature": "new_start"})
    event = AuditEvent.objects.filter(action="export").get()
    assert event.actor == world.dora
    assert event.message == "年度：2026；建设性质：新开工"
    # The ledger of 2026, named for the date of its newest year-to-date figure (none is
    # stated in this world: today's).
    assert download_name(response) == f"台账-2026-截至{clock.today().isoformat()}.xlsx"


def test_api_lists_only_the_callers_projects(world, client):
    client.force_login(world.bob)
    response = client.get("/api/v1/projects/")
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["items"]] == ["崂山科创园一期"]
    client.logout()
    assert client.get("/api/v1/projects/").status_code == 401


def test_adding_a_year_that_exists_is_refused(world, client):
    client.force_login(world.alice)
    project = world.projects["p1"]
    response = client.post(
        reverse("projects:plan_create", args=[project.pk]),
        {
            "plan-year": "2026",
            "plan-nature": "continuing",
            "plan-level": "county",
            "plan-planned_investment": "1",
        },
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    plan = AnnualPlan.objects.get(project=project, year=2026)
    assert (plan.nature, plan.level, str(plan.planned_investment)) == (
        "new_start",
        "municipal",
        "2000.00",
    )


def test_a_year_that_is_not_a_number_falls_back_to_the_default(world, client):
    client.force_login(world.alice)
    response = client.get(reverse("projects:list"), {"year": "abc"})
    assert response.status_code == 200
    assert response.context["year"] == 2026
    page = client.get(
        reverse("projects:plan_create", args=[world.projects["p1"].pk]), {"year": "x"}
    )
    assert page.status_code == 200


def test_export_writes_typed_text_as_text_never_as_a_formula(world, client):
    from tiaodu.projects import services

    client.force_login(world.alice)
    services.update_project(
        actor=world.alice, project=world.projects["p1"], name='=HYPERLINK("http://x","点击")'
    )
    export = client.get(reverse("projects:export"), {"year": 2026, "q": "HYPERLINK"})
    cell = load_workbook(io.BytesIO(export.content)).active.cell(row=2, column=3)
    assert cell.value == '=HYPERLINK("http://x","点击")'
    assert cell.data_type == "s"


def test_a_registered_tab_is_listed_and_read_only_when_shown(world, client, monkeypatch):
    from tiaodu.projects import detail_tabs

    shown_for = []

    def context(actor, project):
        shown_for.append((actor.username, project.name))
        return {"extra": "值"}

    tab = detail_tabs.ProjectTab(
        key="extra", label="附加", template="projects/_detail_people.html", context=context
    )
    monkeypatch.setattr(detail_tabs, "_tabs", {"extra": tab})
    client.force_login(world.dora)
    url = reverse("projects:detail", args=[world.projects["p1"].pk])
    overview = client.get(url)
    keys = [key for key, _label in overview.context["tabs"]]
    assert keys == ["overview", "plans", "extra", "procedures", "people", "history"]
    assert shown_for == []
    shown = client.get(url, {"tab": "extra"})
    assert shown_for == [("dora", "黄岛港区集装箱码头三期")]
    assert shown.context["extra"] == "值"
    assert shown.context["tab_template"] == "projects/_detail_people.html"


def test_the_plan_form_sets_the_special_bond_funds(world, client):
    from decimal import Decimal

    from tiaodu.projects import services

    client.force_login(world.alice)
    project = world.projects["p1"]
    url = reverse("projects:plan_edit", args=[project.pk, 2026])
    data = {
        "plan-nature": "new_start",
        "plan-level": "municipal",
        "plan-planned_investment": "2000",
        "plan-bond_funds": "800",
    }
    assert client.post(url, data).status_code == 302
    plan = AnnualPlan.objects.get(project=project, year=2026)
    assert plan.bond_funds == Decimal("800.00")
    detail = client.get(reverse("projects:detail", args=[project.pk]), {"tab": "plans"})
    assert 'data-testid="bond-funds">800.00<' in detail.content.decode()
    # Blank is none; less than what the ledger says was spent is refused, and nothing changes.
    services.save_annual_plan(
        actor=world.alice,
        project=project,
        year=2026,
        ytd_as_of=date(2026, 6, 30),
        bond_funds_spent=Decimal(500),
    )
    response = client.post(url, {**data, "plan-bond_funds": "300"})
    assert response.status_code == 200
    assert "不能多于下达的资金（300.00万元）" in response.content.decode()
    assert AnnualPlan.objects.get(pk=plan.pk).bond_funds == Decimal("800.00")
    services.save_annual_plan(
        actor=world.alice, project=project, year=2026, bond_funds_spent=Decimal(0)
    )
    assert client.post(url, {**data, "plan-bond_funds": ""}).status_code == 302
    assert AnnualPlan.objects.get(pk=plan.pk).bond_funds == 0
