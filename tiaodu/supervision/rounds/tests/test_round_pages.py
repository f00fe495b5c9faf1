"""The field-round pages for the organiser, a district dispatcher, the group members and
those outside: what each sees, the flows through the services, a refusal answered with a
message and nothing written, and 404 outside the reader's scope."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.accounts.navigation import menu_for
from tiaodu.core.tests.media_files import SCRIPT, encode, exif, scene
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.models import Problem
from tiaodu.supervision.rounds import visit_services
from tiaodu.supervision.rounds.choices import RoundStatus
from tiaodu.supervision.rounds.models import FieldRound, Finding, SiteVisit, VisitPhoto
from tiaodu.supervision.rounds.tests.conftest import ROUND_TABLES, assignment, visit
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db


def photo(name: str = "现场.jpg", seed: int = 4) -> SimpleUploadedFile:
    data = encode(scene(seed, (800, 600)), exif=exif(taken="2026:11:04 09:30:00"))
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def rows(response: Any) -> list[str]:
    return [
        item["assignment"].project.name for row in response.context["rows"] for item in row["items"]
    ]


# ----------------------------------------------------------------------------- the list


def test_the_menu_offers_field_rounds_to_dispatchers_and_leaders(world):
    for who, shown in [("alice", True), ("dora", True), ("lena", True), ("leo", True),
                       ("rita", False), ("hank", False), ("sysadmin", False)]:  # fmt: skip
        urls = [item.url_name for item in menu_for(getattr(world, who))]
        assert ("supervision:rounds" in urls) is shown, who


def test_the_list_shows_the_readers_rounds(client, world, tour):
    plan_laoshan = {"kind": "inspection", "title": "崂山区督查", "region": world.laoshan.pk,
                    "start_date": "2026-11-09", "end_date": "2026-11-10", "organised_by": "",
                    "notes": ""}  # fmt: skip
    client.force_login(world.alice)
    response = client.post(reverse("supervision:round_create"), plan_laoshan)
    laoshan = FieldRound.objects.get(title="崂山区督查")
    assert response.status_code == 302 and response["Location"] == laoshan.get_absolute_url()
    titles = {
        "alice": {"2026年四季度重点项目拉练", "崂山区督查"},
        "dora": {"2026年四季度重点项目拉练"},  # the city round covers 黄岛区; 崂山区's does not
        "lena": {"2026年四季度重点项目拉练", "崂山区督查"},
        "hank": {"2026年四季度重点项目拉练"},  # a member of group one
        "bob": set(),
    }
    for who, expected in titles.items():
        client.force_login(getattr(world, who))
        response = client.get(reverse("supervision:rounds"))
        assert response.status_code == 200
        assert {r.title for r in response.context["rounds"]} == expected, who
    response = client.get(reverse("supervision:rounds"), {"kind": "inspection_tour"})
    client.force_login(world.alice)
    response = client.get(reverse("supervision:rounds"), {"kind": "inspection", "year": "2026"})
    assert [r.title for r in response.context["rounds"]] == ["崂山区督查"]
    client.force_login(world.sysadmin)
    assert client.get(reverse("supervision:rounds")).status_code == 404


def test_a_bad_round_form_says_what_to_fix_and_writes_nothing(client, world):
    client.force_login(world.alice)
    with assert_nothing_written(*ROUND_TABLES):
        response = client.post(
            reverse("supervision:round_create"),
            {"kind": "inspection", "title": "", "region": world.city.pk,
             "start_date": "2026-11-10", "end_date": "2026-11-09"},
        )  # fmt: skip
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"title", "end_date"}
        assert 'data-testid="form-errors"' in response.content.decode()
    client.force_login(world.rita)
    assert client.get(reverse("supervision:round_create")).status_code == 404


# ----------------------------------------------------------------------------- the round


def test_the_round_page_shows_each_reader_its_projects(client, world, under_way):
    made = visit_services.score_visit(actor=world.hank, visit=visit(world, under_way, "p1"),
                                      score=Decimal("92"))  # fmt: skip
    visit_services.score_visit(
        actor=world.lena, visit=visit(world, under_way, "p3"), score=Decimal(75)
    )
    url = under_way.get_absolute_url()
    client.force_login(world.alice)
    response = client.get(url)
    assert response.status_code == 200
    assert rows(response) == [
        "黄岛区安置房建设项目",
        "黄岛港区集装箱码头三期",
        "崂山区污水处理厂扩建",
        "崂山科创园一期",
    ]
    assert [(r.rank, r.visit.project.name) for r in response.context["ranking"]] == [
        (1, "黄岛港区集装箱码头三期"), (2, "崂山科创园一期")
    ]  # fmt: skip
    assert [(r.region, r.average) for r in response.context["regions"]] == [
        ("黄岛区", Decimal("92.00")), ("崂山区", Decimal("75.00"))
    ]  # fmt: skip
    assert response.context["totals"]["average"] == Decimal("83.50")
    html = response.content.decode()
    assert made.get_absolute_url() in html and 'data-testid="round-finish"' in html

    client.force_login(world.dora)
    response = client.get(url)
    assert rows(response) == ["黄岛区安置房建设项目", "黄岛港区集装箱码头三期"]
    assert [r.visit.project.name for r in response.context["ranking"]] == ["黄岛港区集装箱码头三期"]
    assert response.context["actions"] == []
    assert 'data-testid="record-visit"' in response.content.decode()  # p2, her district

    client.force_login(world.hank)  # member of group one: its projects, though not his units'
    response = client.get(url)
    assert rows(response) == ["黄岛区安置房建设项目", "黄岛港区集装箱码头三期"]
    for who in ("bob", "rita", "leo", "sysadmin"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404, who


def test_the_organiser_forms_a_group_and_starts_the_round(client, world, tour):
    client.force_login(world.alice)
    response = client.post(reverse("supervision:group_add", args=[tour.pk]), {"name": "第三组"})
    group = tour.groups.get(name="第三组")
    assert response["Location"] == group.get_absolute_url()
    page = client.get(group.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="add-member"' in page.content.decode()
    client.post(reverse("supervision:member_add", args=[group.pk]),
                {"user": world.dora.pk, "name": "", "unit": "", "is_leader": "on"})  # fmt: skip
    client.post(reverse("supervision:assign_projects", args=[group.pk]),
                {"projects": [world.projects["p5"].pk]})  # fmt: skip
    assert [str(m) for m in group.members.all()] == ["Dora（黄岛区）"]
    assert list(group.assignments.values_list("project__name", flat=True)) == ["市南区老旧小区改造"]
    bad = client.post(reverse("supervision:member_add", args=[group.pk]), {"name": ""})
    assert bad.status_code == 400 and "name" in bad.context["member_form"].errors
    client.post(reverse("supervision:round_move", args=[tour.pk]), {"action": "start"})
    assert FieldRound.objects.get(pk=tour.pk).status == RoundStatus.UNDER_WAY
    client.force_login(world.dora)  # not the organiser: no change, a message
    client.post(reverse("supervision:round_move", args=[tour.pk]), {"action": "finish"})
    assert FieldRound.objects.get(pk=tour.pk).status == RoundStatus.UNDER_WAY
    assert client.get(group.get_absolute_url()).context["can_arrange"] is False
    client.force_login(world.bob)
    assert client.get(group.get_absolute_url()).status_code == 404


# ----------------------------------------------------------------------------- visits


def visit_form(**extra: Any) -> dict[str, Any]:
    data = {
        "visited_on": "2026-11-04", "visitors": "李华、王强", "findings": "桩基施工完成80%。",
        "score": "", "score_progress": "36", "score_investment": "25.5", "score_quality_safety": "28",
        "comment": "进度较快，安全文明施工较好。",
        "finding-TOTAL_FORMS": "2", "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0", "finding-MAX_NUM_FORMS": "10",
        "finding-0-category": "utilities", "finding-0-title": "施工用电未接入", "finding-0-detail": "",
        "finding-1-category": "", "finding-1-title": "", "finding-1-detail": "",
    }  # fmt: skip
    data.update(extra)
    return data


def test_a_member_records_a_visit_from_the_phone_form(client, world, under_way, media_root):
    client.force_login(world.hank)
    url = reverse("supervision:visit_new", args=[assignment(under_way, world, "p1").pk])
    form = client.get(url)
    assert form.status_code == 200
    assert (
        form.context["form"].initial["visitors"]
        == "Hank（青岛市住房和城乡建设局）、王强（市发改委）"
    )
    response = client.post(url, visit_form(photos=[photo("东侧.jpg", 1), photo("塔吊.jpg", 2)]))
    made = SiteVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.score == Decimal("89.5") and made.score_investment == Decimal("25.5")
    assert list(made.finding_items.values_list("category", "title")) == [
        ("utilities", "施工用电未接入")
    ]
    assert sorted(made.photos.values_list("original_name", flat=True)) == ["东侧.jpg", "塔吊.jpg"]
    # Asking to record it again opens the change form.
    assert client.get(url)["Location"] == reverse("supervision:visit_edit", args=[made.pk])


def test_a_web_page_among_the_photos_refuses_the_visit_and_writes_nothing(
    client, world, under_way, media_root
):
    client.force_login(world.hank)
    url = reverse("supervision:visit_new", args=[assignment(under_way, world, "p1").pk])
    with assert_nothing_written(*ROUND_TABLES):
        page = SimpleUploadedFile("site.jpg", SCRIPT, content_type="image/jpeg")
        response = client.post(url, visit_form(photos=[photo(), page]))
        assert response.status_code == 400
        assert response.context["form"].errors["photos"][0].startswith("site.jpg")
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_bad_scores_come_back_on_the_form(client, world, under_way):
    client.force_login(world.hank)
    url = reverse("supervision:visit_new", args=[assignment(under_way, world, "p1").pk])
    with assert_nothing_written(*ROUND_TABLES):
        response = client.post(url, visit_form(score_progress="45", score_investment=""))
        assert response.status_code == 400
        # Over its 40 points, and a part missing: both said at once.
        assert set(response.context["form"].errors) == {"score_progress", "score_investment"}
        response = client.post(url, visit_form(score_investment="", **{"finding-0-category": ""}))
        assert response.status_code == 400
        assert "score_investment" in response.context["form"].errors
        assert set(response.context["new_findings"].errors[0]) == {"category"}


def test_the_visit_page_and_raising_a_finding_in_one_step(client, world, under_way, media_root):
    made = visit(world, under_way, "p1")
    finding = visit_services.add_finding(
        actor=world.hank, visit=made, category="land", title="二期用地未落实"
    )
    visit_services.add_photos(
        actor=world.hank, visit=made, uploads=[(io.BytesIO(photo().read()), "a.jpg")]
    )
    [stored] = VisitPhoto.objects.all()
    url = made.get_absolute_url()
    raise_url = reverse("supervision:finding_raise", args=[finding.pk])

    client.force_login(world.hank)  # a member: may change the visit, not raise
    html = client.get(url).content.decode()
    assert 'data-testid="edit-visit"' in html and raise_url not in html

    client.force_login(world.alice)
    page = client.get(url)
    assert page.status_code == 200 and raise_url in page.content.decode()
    response = client.post(raise_url)
    assert response["Location"] == f"{url}#finding-{finding.pk}"
    problem = Problem.objects.get()
    assert problem.source == ProblemSource.FIELD_ROUND and Finding.objects.get().problem == problem
    html = client.get(url).content.decode()
    assert 'data-testid="raised"' in html and raise_url not in html
    with assert_nothing_written(*ROUND_TABLES):
        again = client.post(raise_url, follow=True)
    assert Problem.objects.count() == 1
    assert any(m.level_tag == "error" for m in again.context["messages"])

    photo_url = reverse("supervision:visit_photo", args=[stored.pk])
    for who, status in [("alice", 200), ("dora", 200), ("rita", 200), ("hank", 200),
                        ("bob", 404), ("lena", 404), ("sysadmin", 404)]:  # fmt: skip
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == status, who
        assert client.get(photo_url).status_code == status, who
        assert client.post(raise_url).status_code == (302 if status == 200 else 404), who
    assert Problem.objects.count() == 1


def test_photos_are_added_one_by_one_with_json_answers(client, world, under_way):
    made = visit(world, under_way, "p1")
    client.force_login(world.hank)
    url = reverse("supervision:visit_photos", args=[made.pk])
    good = client.post(url, {"photos": photo()}, HTTP_ACCEPT="application/json")
    assert good.status_code == 201 and good.json()["photos"][0]["name"] == "现场.jpg"
    bad = client.post(
        url, {"photos": SimpleUploadedFile("x.jpg", SCRIPT)}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400 and bad.json()["error"].startswith("x.jpg")
    assert VisitPhoto.objects.count() == 1
    client.force_login(world.rita)  # sees the visit, does not record it
    assert client.post(url, {"photos": photo()}, HTTP_ACCEPT="application/json").status_code == 403


def test_the_project_page_tab_lists_the_visits(client, world, under_way):
    visit_services.score_visit(
        actor=world.hank, visit=visit(world, under_way, "p1"), score=Decimal(88)
    )
    client.force_login(world.rita)
    response = client.get(
        reverse("projects:detail", args=[world.projects["p1"].pk]), {"tab": "visits"}
    )
    assert response.status_code == 200
    assert [v.project.name for v in response.context["visits"]] == ["黄岛港区集装箱码头三期"]
    assert response.context["average"] == Decimal("88.00")
    assert 'data-testid="project-visit"' in response.content.decode()
    client.force_login(world.bob)
    response = client.get(
        reverse("projects:detail", args=[world.projects["p3"].pk]), {"tab": "visits"}
    )
    assert 'data-testid="no-visits"' in response.content.decode()


def test_a_member_finds_the_round_on_the_home_page(client, world, under_way):
    visit(world, under_way, "p1")
    client.force_login(world.hank)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-rounds"' in html and under_way.get_absolute_url() in html
    client.force_login(world.bob)
    assert 'data-testid="home-rounds"' not in client.get(reverse("core:home")).content.decode()
