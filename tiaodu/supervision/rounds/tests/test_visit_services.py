"""Recording visits, their scores, photos and findings, and raising a finding as a problem in
one step; every refusal changes nothing (see conftest for the personas)."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.media.errors import RefusalReason, UploadRefused
from tiaodu.core.models import AuditEvent
from tiaodu.core.tests.media_files import SCRIPT, encode, exif, mp4, scene
from tiaodu.problems.choices import ProblemCategory, ProblemLevel, ProblemSource, ProblemStatus
from tiaodu.problems.models import Problem
from tiaodu.supervision.rounds import services, visit_services
from tiaodu.supervision.rounds.choices import RoundAction
from tiaodu.supervision.rounds.models import Finding, SiteVisit, VisitPhoto
from tiaodu.supervision.rounds.tests.conftest import ROUND_TABLES, VISIT_DAY, assignment, visit
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db


def refused(error: type[Exception], call: Any, **kwargs: Any) -> Exception:
    with assert_nothing_written(*ROUND_TABLES), pytest.raises(error) as caught:
        call(**kwargs)
    return caught.value


def jpeg(seed: int = 3) -> bytes:
    return encode(scene(seed, (1200, 900)), exif=exif(taken="2026:11:04 10:20:00"))


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


# ----------------------------------------------------------------------------- visits


def test_a_member_records_the_groups_visit(world, under_way):
    made = visit(world, under_way, "p2")
    assert (made.group.name, made.project.name, made.visited_on) == (
        "第一组",
        "黄岛区安置房建设项目",
        VISIT_DAY,
    )
    assert made.recorded_by == world.hank and made.score is None
    event = AuditEvent.objects.get(object_type="supervision.sitevisit")
    assert event.parent_type == "projects.project" and event.parent_id == str(made.project_id)


def test_a_dispatcher_of_the_projects_region_records_a_visit_too(world, under_way):
    made = visit_services.record_visit(
        actor=world.dora, assignment=assignment(under_way, world, "p1"), visited_on=VISIT_DAY
    )
    assert made.recorded_by == world.dora


@pytest.mark.parametrize("who", ["bob", "rita", "leo", "lena", "sysadmin"])
def test_others_do_not_record_a_visit(world, under_way, who):
    # lena leads group two: p1 is group one's.
    refused(PermissionDenied, visit_services.record_visit, actor=getattr(world, who),
            assignment=assignment(under_way, world, "p1"), visited_on=VISIT_DAY)  # fmt: skip


def test_dora_does_not_record_a_visit_outside_her_district(world, under_way):
    refused(PermissionDenied, visit_services.record_visit, actor=world.dora,
            assignment=assignment(under_way, world, "p3"), visited_on=VISIT_DAY)  # fmt: skip


@pytest.mark.parametrize(
    "day", [None, dt.date(2026, 11, 1), dt.date(2026, 11, 6), dt.date(2026, 11, 14)]
)
def test_the_day_lies_in_the_round_and_not_in_the_future(world, under_way, day):
    # Today is 5 November; the round runs from 2 to 13 November.
    error = refused(ValidationError, visit_services.record_visit, actor=world.hank,
                    assignment=assignment(under_way, world, "p1"), visited_on=day)  # fmt: skip
    assert "visited_on" in error.message_dict  # type: ignore[attr-defined]


def test_visits_are_recorded_only_while_the_round_is_under_way(world, tour):
    refused(ValidationError, visit_services.record_visit, actor=world.hank,
            assignment=assignment(tour, world, "p1"), visited_on=VISIT_DAY)  # fmt: skip
    services.move_round(actor=world.alice, field_round=tour, action=RoundAction.START)
    made = visit(world, tour, "p1")
    services.move_round(actor=world.alice, field_round=tour, action=RoundAction.FINISH)
    made.refresh_from_db()
    made = SiteVisit.objects.select_related("round", "group", "project__region").get(pk=made.pk)
    refused(ValidationError, visit_services.update_visit, actor=world.hank, visit=made,
            visited_on=VISIT_DAY, findings="改")  # fmt: skip
    refused(ValidationError, visit_services.score_visit, actor=world.hank, visit=made,
            score=Decimal(90))  # fmt: skip


def test_one_visit_per_project_and_round_which_is_then_changed(world, under_way):
    made = visit(world, under_way, "p1")
    error = refused(ValidationError, visit, world=world, field_round=under_way, key="p1")
    assert "黄岛港区集装箱码头三期" in str(error)
    changed = visit_services.update_visit(actor=world.hank, visit=made, visited_on=dt.date(2026, 11, 3),
                                          visitors="李华", findings="桩基完成。", comment="")  # fmt: skip
    assert (changed.visited_on, changed.findings, changed.comment) == (
        dt.date(2026, 11, 3),
        "桩基完成。",
        "",
    )
    update = AuditEvent.objects.get(object_type="supervision.sitevisit", action="update")
    assert update.changes["visited_on"] == ["2026-11-04", "2026-11-03"]


# ----------------------------------------------------------------------------- scores


def test_a_total_score(world, under_way):
    made = visit_services.score_visit(
        actor=world.hank, visit=visit(world, under_way), score=Decimal("88.5")
    )
    assert made.score == Decimal("88.5") and not made.scored_by_criteria


def test_a_score_by_criteria_adds_up_to_the_total(world, under_way):
    parts = {"progress": Decimal(36), "investment": Decimal("25.5"), "quality_safety": Decimal(28)}
    made = visit_services.score_visit(actor=world.hank, visit=visit(world, under_way), parts=parts)
    assert made.score == Decimal("89.5")
    assert [(c, p) for c, p, _most in made.breakdown] == [
        ("progress", Decimal(36)), ("investment", Decimal("25.5")), ("quality_safety", Decimal(28))
    ]  # fmt: skip
    again = visit_services.score_visit(
        actor=world.hank, visit=made, parts=parts, score=Decimal("89.5")
    )
    assert again.score == Decimal("89.5")
    cleared = visit_services.score_visit(actor=world.hank, visit=made)
    assert cleared.score is None and not cleared.scored_by_criteria


@pytest.mark.parametrize(
    "arguments, field",
    [
        ({"score": Decimal("100.5")}, "score"),
        ({"score": Decimal(-1)}, "score"),
        ({"score": Decimal("90.25")}, "score"),
        ({"score": "九十"}, "score"),
        ({"parts": {"progress": Decimal(41), "investment": Decimal(1), "quality_safety": Decimal(1)}}, "score_progress"),
        ({"parts": {"progress": Decimal(30), "investment": None, "quality_safety": Decimal(20)}}, "score_investment"),
        ({"parts": {"progress": Decimal(30), "investment": Decimal(20), "quality_safety": Decimal(20)},
          "score": Decimal(80)}, "score"),
    ],
)  # fmt: skip
def test_bad_scores_are_refused_with_the_field_to_correct(world, under_way, arguments, field):
    made = visit(world, under_way)
    error = refused(
        ValidationError, visit_services.score_visit, actor=world.hank, visit=made, **arguments
    )
    assert field in error.message_dict  # type: ignore[attr-defined]


def test_only_a_recorder_scores(world, under_way):
    made = visit(world, under_way)
    for who in ("bob", "lena", "rita"):
        refused(PermissionDenied, visit_services.score_visit, actor=getattr(world, who),
                visit=made, score=Decimal(60))  # fmt: skip


# ----------------------------------------------------------------------------- photos


def test_photos_are_accepted_by_content_and_re_encoded(world, under_way, media_root):
    made = visit(world, under_way)
    stored = visit_services.add_photos(
        actor=world.hank, visit=made,
        uploads=[(io.BytesIO(jpeg(1)), "工地东侧.jpg"), (io.BytesIO(jpeg(2)), "塔吊.JPG")],
    )  # fmt: skip
    assert [p.original_name for p in stored] == ["工地东侧.jpg", "塔吊.JPG"]
    first = VisitPhoto.objects.get(pk=stored[0].pk)
    assert first.content_type == "image/jpeg" and first.thumbnail
    assert first.taken_at is not None and first.taken_at.date() == dt.date(2026, 11, 4)
    content = first.file.read()
    assert content[:3] == b"\xff\xd8\xff" and b"Exif" not in content[:200]
    assert len(files_under(media_root)) == 4  # two photos, two thumbnails
    assert AuditEvent.objects.filter(object_type="supervision.visitphoto").count() == 2


def test_a_web_page_named_jpg_is_refused_and_nothing_is_stored(world, under_way, media_root):
    made = visit(world, under_way)
    uploads = [(io.BytesIO(jpeg(1)), "好照片.jpg"), (io.BytesIO(SCRIPT), "site.jpg")]
    error = refused(
        UploadRefused, visit_services.add_photos, actor=world.hank, visit=made, uploads=uploads
    )
    assert str(error).startswith("site.jpg")
    assert error.reason == RefusalReason.MARKUP  # type: ignore[attr-defined]
    assert files_under(media_root) == []


def test_videos_and_too_many_photos_are_refused(world, under_way, media_root, monkeypatch):
    made = visit(world, under_way)
    error = refused(UploadRefused, visit_services.add_photos, actor=world.hank, visit=made,
                    uploads=[(io.BytesIO(mp4()), "walk.mp4")])  # fmt: skip
    assert "walk.mp4" in str(error)
    monkeypatch.setattr(visit_services, "MAX_PHOTOS_PER_VISIT", 1)
    refused(ValidationError, visit_services.add_photos, actor=world.hank, visit=made,
            uploads=[(io.BytesIO(jpeg(1)), "a.jpg"), (io.BytesIO(jpeg(2)), "b.jpg")])  # fmt: skip
    refused(ValidationError, visit_services.add_photos, actor=world.hank, visit=made, uploads=[])
    refused(PermissionDenied, visit_services.add_photos, actor=world.bob, visit=made,
            uploads=[(io.BytesIO(jpeg(1)), "a.jpg")])  # fmt: skip
    assert files_under(media_root) == []


def test_a_photo_is_removed_by_a_recorder(world, under_way):
    made = visit(world, under_way)
    [photo] = visit_services.add_photos(
        actor=world.hank, visit=made, uploads=[(io.BytesIO(jpeg()), "a.jpg")]
    )
    refused(PermissionDenied, visit_services.remove_photo, actor=world.rita, photo=photo)
    visit_services.remove_photo(actor=world.hank, photo=photo)
    assert not VisitPhoto.objects.exists()


# ----------------------------------------------------------------------------- findings


def test_findings_need_a_category_and_a_line(world, under_way):
    made = visit(world, under_way)
    refused(
        ValidationError,
        visit_services.add_finding,
        actor=world.hank,
        visit=made,
        category="weather",
        title="雨",
    )
    refused(
        ValidationError,
        visit_services.add_finding,
        actor=world.hank,
        visit=made,
        category="land",
        title=" ",
    )
    refused(
        PermissionDenied,
        visit_services.add_finding,
        actor=world.rita,
        visit=made,
        category="land",
        title="缺地",
    )
    finding = visit_services.add_finding(
        actor=world.hank, visit=made, category=ProblemCategory.UTILITIES, title="施工用电未接入",
        detail="临时用电需供电公司增容。",
    )  # fmt: skip
    assert (finding.category, finding.problem) == ("utilities", None)


def test_a_finding_becomes_a_problem_in_one_step(world, under_way):
    made = visit(world, under_way, "p1")
    finding = visit_services.add_finding(
        actor=world.hank, visit=made, category=ProblemCategory.LAND, title="二期用地指标未落实",
        detail="需市自然资源局协调。",
    )  # fmt: skip
    problem = visit_services.raise_finding_problem(actor=world.alice, finding=finding)
    assert problem.source == ProblemSource.FIELD_ROUND
    assert (problem.project, problem.category, problem.title) == (
        world.projects["p1"],
        "land",
        "二期用地指标未落实",
    )
    assert (problem.status, problem.level, problem.raised_by) == (
        ProblemStatus.REPORTED,
        ProblemLevel.DISTRICT,
        world.alice,
    )
    assert problem.description.startswith("需市自然资源局协调。\n\n")
    assert "2026年四季度重点项目拉练" in problem.description and "第一组" in problem.description
    assert Finding.objects.get(pk=finding.pk).problem == problem
    assert problem.field_finding == finding
    link = AuditEvent.objects.get(object_type="supervision.finding", action="update")
    assert link.changes["problem"] == ["", "二期用地指标未落实"]

    # A second attempt is refused and writes nothing: no second problem.
    error = refused(
        ValidationError, visit_services.raise_finding_problem, actor=world.alice, finding=finding
    )
    assert Problem.objects.count() == 1
    assert str(error)
    refused(ValidationError, visit_services.remove_finding, actor=world.hank, finding=finding)


def test_only_a_dispatcher_of_the_projects_region_raises_a_finding(world, under_way):
    made = visit(world, under_way, "p1")
    finding = visit_services.add_finding(
        actor=world.hank, visit=made, category="funding", title="资金未到位"
    )
    for who in ("hank", "lena", "rita", "bob", "leo"):
        refused(
            PermissionDenied,
            visit_services.raise_finding_problem,
            actor=getattr(world, who),
            finding=finding,
        )
    problem = visit_services.raise_finding_problem(actor=world.dora, finding=finding)
    assert problem.raised_by == world.dora


def test_a_finding_not_yet_raised_is_removed(world, under_way):
    made = visit(world, under_way, "p1")
    finding = visit_services.add_finding(
        actor=world.hank, visit=made, category="site", title="场地未平整"
    )
    refused(PermissionDenied, visit_services.remove_finding, actor=world.bob, finding=finding)
    visit_services.remove_finding(actor=world.hank, finding=finding)
    assert not Finding.objects.exists()
