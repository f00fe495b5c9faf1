"""The problem page: what each reader sees and may do, the steps through their forms, a
refusal that changes nothing, the timeline, comments and their files.

Personas: dora (黄岛区 dispatcher) assigns, closes and escalates p1's problem; hank (市住建局)
starts and resolves it; rita (owner unit A, who raised it) confirms or sends it back; leo
(leader of p1) only reads; bob (unit B) and hank before the assignment do not find it.
"""

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.accounts import org_units
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import Role
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemLevel, ProblemStatus
from tiaodu.problems.models import Problem, ProblemComment
from tiaodu.testing import assert_nothing_written, download_name, make_user, problem_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _page(problem: Problem) -> str:
    return reverse("problems:detail", args=[problem.pk])


def _step(problem: Problem, action: str) -> str:
    return reverse("problems:step", args=[problem.pk, action])


@pytest.mark.parametrize(
    ("who", "actions"),
    [
        ("dora", ["assign", "escalate"]),
        ("alice", ["assign", "escalate"]),
        ("hank", ["start"]),
        ("rita", []),
        ("leo", []),
    ],
)
def test_each_reader_gets_the_steps_the_table_gives(
    client: Any, world: Any, who: str, actions: list[str]
) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(getattr(world, who))
    response = client.get(_page(problem))
    assert response.status_code == 200
    assert [action["name"] for action in response.context["actions"]] == actions
    html = response.content.decode()
    for action in ("assign", "start", "resolve", "close", "reject_resolution", "escalate"):
        assert (f'data-testid="action-{action}"' in html) == (action in actions)
    assert "用地指标未落实" in html and "二期用地指标尚未下达。" in html
    assert 'data-testid="department">青岛市住房和城乡建设局<' in html


@pytest.mark.parametrize("who", ["bob", "lena", "sam", "sysadmin", "auditor"])
def test_a_problem_outside_the_scope_is_not_found(client: Any, world: Any, who: str) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(getattr(world, who))
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        assert client.get(_page(problem)).status_code == 404
        assert client.post(_step(problem, "escalate"), {"escalate-reason": "x"}).status_code == 404
        assert (
            client.post(reverse("problems:comment", args=[problem.pk]), {"text": "x"}).status_code
            == 404
        )


def test_the_handler_finds_the_problem_only_once_assigned(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    client.force_login(world.hank)
    assert client.get(_page(problem)).status_code == 404
    services.assign_problem(actor=world.dora, problem=problem, department=world.housing_bureau)
    assert client.get(_page(problem)).status_code == 200


def test_the_assign_form_offers_the_departments_of_the_projects_regions(
    client: Any, world: Any
) -> None:
    create = org_units.create_org_unit
    district = create(
        actor=None, name="黄岛区发改局", kind=OrgUnitKind.DEPARTMENT, parent=world.huangdao
    )
    create(actor=None, name="崂山区住建局", kind=OrgUnitKind.DEPARTMENT, parent=world.laoshan)
    closed = create(actor=None, name="市撤并局", kind=OrgUnitKind.DEPARTMENT, parent=world.city)
    org_units.update_org_unit(actor=None, unit=closed, is_active=False)
    problem = problem_in(world, ProblemStatus.REPORTED)
    client.force_login(world.dora)
    form = client.get(_page(problem)).context["actions"][0]["form"]
    names = [unit.name for unit in form.fields["department"].queryset]
    assert names == ["青岛市住房和城乡建设局", district.name]
    assert [str(user) for user in form.fields["handler"].queryset] == ["Hank"]
    assert form.initial["deadline"] == dt.date(2026, 11, 19)


def test_assigning_through_the_form(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    client.force_login(world.dora)
    response = client.post(
        _step(problem, "assign"),
        {
            "assign-department": world.housing_bureau.pk,
            "assign-handler": world.hank.pk,
            "assign-deadline": "2026-11-30",
        },
    )
    assert response.status_code == 302 and response["Location"] == _page(problem)
    problem.refresh_from_db()
    assert (problem.status, problem.handler, problem.deadline) == (
        ProblemStatus.ASSIGNED,
        world.hank,
        dt.date(2026, 11, 30),
    )
    # The default deadline: the level's working days.
    other = problem_in(world, ProblemStatus.REPORTED, project="p6")
    client.post(_step(other, "assign"), {"assign-department": world.housing_bureau.pk})
    other.refresh_from_db()
    assert (other.handler, other.deadline) == (None, dt.date(2026, 11, 19))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"assign-deadline": "2026-11-04"}, "deadline", "限时办结日期不能早于今天。"),
        ({"assign-deadline": "明天"}, "deadline", None),
        ({"assign-department": ""}, "department", None),
        ({"assign-department": "999999"}, "department", None),
        ({"assign-handler": "OTHER"}, "handler", None),
    ],
)
def test_a_bad_assignment_changes_nothing(
    client: Any, world: Any, data: dict[str, str], field: str, message: str | None
) -> None:
    outsider = make_user("olga", Role.DEPARTMENT_HANDLER, world.unit_b)
    problem = problem_in(world, ProblemStatus.REPORTED)
    client.force_login(world.dora)
    posted = {"assign-department": str(world.housing_bureau.pk), **data}
    if posted.get("assign-handler") == "OTHER":
        posted["assign-handler"] = str(outsider.pk)
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        response = client.post(_step(problem, "assign"), posted)
        assert response.status_code == 200
        form = next(a["form"] for a in response.context["actions"] if a["name"] == "assign")
        assert field in form.errors
        if message:
            assert form.errors[field] == [message]
        assert 'data-testid="form-errors"' in response.content.decode()


def test_a_handler_of_another_department_is_refused_by_the_service(client: Any, world: Any) -> None:
    transport = org_units.create_org_unit(
        actor=None, name="青岛市交通运输局", kind=OrgUnitKind.DEPARTMENT, parent=world.city
    )
    problem = problem_in(world, ProblemStatus.REPORTED)
    client.force_login(world.dora)
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        response = client.post(
            _step(problem, "assign"),
            {"assign-department": transport.pk, "assign-handler": world.hank.pk},
        )
        form = response.context["actions"][0]["form"]
        assert form.errors["handler"] == ["经办人须是青岛市交通运输局的部门经办。"]


def test_the_handler_options_follow_the_department(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.REPORTED)
    url = reverse("problems:handler_options", args=[problem.pk])
    client.force_login(world.dora)
    html = client.get(f"{url}?assign-department={world.housing_bureau.pk}").content.decode()
    assert f'<option value="{world.hank.pk}">Hank（青岛市住房和城乡建设局）</option>' in html
    html = client.get(f"{url}?assign-department={world.unit_a.pk}").content.decode()
    assert "Hank" not in html
    client.force_login(world.hank)
    assert client.get(url).status_code == 404


def test_the_loop_through_the_pages(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(world.hank)
    assert client.post(_step(problem, "start")).status_code == 302
    # Resolving without saying how changes nothing.
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        response = client.post(_step(problem, "resolve"), {"resolve-resolution": "  "})
        form = response.context["actions"][0]["form"]
        assert form.errors["resolution"] == ["请说明问题的办理结果。"]
    client.post(_step(problem, "resolve"), {"resolve-resolution": "指标已下达。"})
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.RESOLVED
    # The owner sends it back, with a reason only.
    client.force_login(world.rita)
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        response = client.post(
            _step(problem, "reject_resolution"), {"reject_resolution-reason": ""}
        )
        assert response.status_code == 200
    client.post(_step(problem, "reject_resolution"), {"reject_resolution-reason": "仍未下达"})
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.IN_PROGRESS
    client.force_login(world.hank)
    html = client.get(_page(problem)).content.decode()
    assert 'data-testid="rejection-reason"' in html and "仍未下达" in html
    client.post(_step(problem, "resolve"), {"resolve-resolution": "已下达。"})
    client.force_login(world.dora)
    response = client.post(_step(problem, "close"))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    page = client.get(_page(problem))
    assert page.context["actions"] == [] and not page.context["can_comment"]
    kinds = [entry.kind for entry in page.context["entries"]]
    assert kinds == ["raised", "assigned", "started", "resolved", "rejected", "resolved", "closed"]


def test_a_step_the_table_does_not_give_is_refused(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        client.force_login(world.rita)
        response = client.post(_step(problem, "close"))
        assert response.status_code == 200
        assert [str(message) for message in response.context["messages"]] == [
            "状态为“已交办”的问题不能“销号”。"
        ]
        response = client.post(
            _step(problem, "assign"), {"assign-department": world.housing_bureau.pk}
        )
        assert response.status_code == 200
    assert client.post(_step(problem, "delete")).status_code == 404
    assert client.get(_step(problem, "start")).status_code == 405


def test_escalating_with_a_reason(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(world.dora)
    html = client.get(_page(problem)).content.decode()
    assert "市级" in html  # the level it goes to
    client.post(_step(problem, "escalate"), {"escalate-reason": "区级无法协调"})
    client.post(_step(problem, "escalate"), {"escalate-reason": ""})
    problem.refresh_from_db()
    assert (problem.level, problem.escalations) == (ProblemLevel.JOINT_MEETING, 2)
    page = client.get(_page(problem))
    assert [a["name"] for a in page.context["actions"]] == ["assign"]
    entries = page.context["entries"]
    assert [entry.kind for entry in entries] == [
        "raised",
        "assigned",
        "escalated",
        "comment",
        "escalated",
    ]
    assert [(str(label), value) for label, value in entries[2].details] == [("问题级别", "市级")]
    assert entries[3].text == "区级无法协调"


def test_a_comment_with_a_file_and_its_download(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(world.hank)
    upload = SimpleUploadedFile("协调会纪要.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("problems:comment", args=[problem.pk]), {"text": "附纪要。", "file": upload}
    )
    assert response.status_code == 302 and response["Location"].endswith("#timeline")
    comment = ProblemComment.objects.get()
    html = client.get(_page(problem)).content.decode()
    download = reverse("problems:attachment", args=[comment.pk])
    assert download in html and "协调会纪要.pdf" in html and "附纪要。" in html
    for reader in (world.hank, world.rita, world.leo, world.alice):
        client.force_login(reader)
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="file-{comment.pk}.pdf"; '
            "filename*=UTF-8''%E5%8D%8F%E8%B0%83%E4%BC%9A%E7%BA%AA%E8%A6%81.pdf"
        )
        assert download_name(response) == "协调会纪要.pdf"
    for outsider in (world.bob, world.sam, world.auditor):
        client.force_login(outsider)
        assert client.get(download).status_code == 404


def test_a_refused_comment_changes_nothing(client: Any, world: Any, media_root: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(world.rita)
    with assert_nothing_written(Problem, ProblemComment, AuditEvent):
        fake = SimpleUploadedFile(
            "纪要.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
        )
        url = reverse("problems:comment", args=[problem.pk])
        response = client.post(url, {"text": "见附件", "file": fake})
        assert response.status_code == 200
        assert response.context["comment_form"].errors["file"] == [
            "请附 PDF、JPEG 或 PNG 图片、Word 或 Excel（.docx、.xlsx）文件。"
        ]
        response = client.post(url, {"text": " "})
        assert response.context["comment_form"].errors["text"] == ["请填写留言内容。"]
        # leo reads the problem but takes no part in it.
        client.force_login(world.leo)
        assert client.post(url, {"text": "领导关注"}).status_code == 302
    assert list(media_root.rglob("*.*")) == []


def test_a_comment_without_a_file_has_no_download(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    comment = services.comment_problem(actor=world.rita, problem=problem, text="请尽快协调")
    client.force_login(world.rita)
    assert client.get(reverse("problems:attachment", args=[comment.pk])).status_code == 404


def test_a_reassignment_keeps_the_deadline_unless_changed(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    services.escalate_problem(actor=world.dora, problem=problem)
    client.force_login(world.dora)
    form = client.get(_page(problem)).context["actions"][0]["form"]
    # City level would give 15 working days, to 26 November; the deadline stays the 19th.
    assert form.initial["deadline"] == dt.date(2026, 11, 19)
    assert "2026-11-26" in str(form.fields["deadline"].help_text)


def test_a_page_that_starts_like_a_pdf_is_stored_and_served_as_a_pdf(
    client: Any, world: Any, media_root: Any
) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(world.hank)
    page = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"
    upload = SimpleUploadedFile("evil.html", page, content_type="text/html")
    url = reverse("problems:comment", args=[problem.pk])
    assert client.post(url, {"text": "见附件", "file": upload}).status_code == 302
    comment = ProblemComment.objects.get()
    assert (comment.original_name, comment.content_type) == ("evil.pdf", "application/pdf")
    assert (comment.file.name or "").endswith(".pdf")
    assert [path.suffix for path in media_root.rglob("*.*")] == [".pdf"]
    assert "evil.pdf" in client.get(_page(problem)).content.decode()
    response = client.get(reverse("problems:attachment", args=[comment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert download_name(response) == "evil.pdf"


def test_a_file_kept_under_a_misleading_name_downloads_under_its_contents_extension(
    client: Any, world: Any
) -> None:
    # A comment stored before names followed the content: the stored file says what it is.
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    comment = services.comment_problem(actor=world.hank, problem=problem, text="旧附件")
    comment.file.save("0123abcd.pdf", ContentFile(PDF), save=False)
    comment.original_name, comment.content_type = "evil.html", "application/pdf"
    comment.save()
    client.force_login(world.hank)
    response = client.get(reverse("problems:attachment", args=[comment.pk]))
    assert download_name(response) == "evil.pdf"
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'


def test_a_zip_attached_as_a_workbook_is_refused_in_chinese(client: Any, world: Any) -> None:
    problem = problem_in(world, ProblemStatus.ASSIGNED)
    client.force_login(world.hank)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("report.txt", "不是 Excel")
    upload = SimpleUploadedFile("台账.xlsx", archive.getvalue())
    with assert_nothing_written(ProblemComment, AuditEvent):
        response = client.post(
            reverse("problems:comment", args=[problem.pk]), {"text": "见附件", "file": upload}
        )
    assert response.context["comment_form"].errors["file"] == [
        "请附 PDF、JPEG 或 PNG 图片、Word 或 Excel（.docx、.xlsx）文件。"
    ]
