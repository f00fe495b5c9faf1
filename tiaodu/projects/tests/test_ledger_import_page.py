"""The ledger import page: upload → preview → confirm, as a dispatcher uses it."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from tiaodu.projects.ledger.safety import LedgerFileError, check_ledger_file
from tiaodu.projects.models import LedgerImport, Project
from tiaodu.projects.tests.test_ledger_import import HEADERS, ROW_1, ROW_2, ledger
from tiaodu.testing import download_name

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]


def _upload(post, content: bytes, name: str = "台账.xlsx"):
    return post(
        reverse("projects:import"),
        {
            "file": SimpleUploadedFile(name, content),
            "year": "2026",
            "as_of": "2026-08-31",
        },
    )


def _xlsx(tmp_path, rows) -> bytes:
    return ledger(tmp_path / "in.xlsx", rows).read_bytes()


def _stored(settings):
    folder = settings.MEDIA_ROOT / "ledger-imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upload_preview_confirm(world, client, post, tmp_path, settings):
    client.force_login(world.alice)
    response = _upload(post, _xlsx(tmp_path, [ROW_1, ROW_2]))
    item = LedgerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:import_detail", args=[item.pk])
    assert [p.name for p in _stored(settings)] == [item.file_path.split("/")[1]]
    assert (item.status, item.new_count, item.updated_count, item.error_count) == (
        "checked",
        2,
        0,
        0,
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-new">2<' in page
    assert 'data-testid="confirm"' in page
    assert not Project.objects.filter(name="黄岛新港物流枢纽").exists()

    response = post(reverse("projects:import_confirm", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "applied"
    assert Project.objects.filter(name__in=["黄岛新港物流枢纽", "崂山生态廊道"]).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="applied"' in page
    assert reverse("projects:list") in page
    assert 'data-testid="confirm"' not in page


def test_confirm_checks_again(world, client, post, tmp_path):
    """The library may change between the preview and the confirmation."""
    client.force_login(world.alice)
    _upload(post, _xlsx(tmp_path, [ROW_1]))
    item = LedgerImport.objects.get()
    from tiaodu.projects.ledger import jobs

    jobs.confirm(actor=world.alice, item=item)
    item.status = "checked"
    item.save()
    post(reverse("projects:import_confirm", args=[item.pk]))
    item.refresh_from_db()
    assert (item.status, item.new_count, item.unchanged_count) == ("applied", 0, 1)


def test_errors_are_listed_and_downloadable(world, client, post, tmp_path):
    client.force_login(world.alice)
    bad = list(ROW_2)
    bad[HEADERS.index("所属区县")] = "火星区"
    bad[HEADERS.index("总投资（万元）")] = "-5"
    _upload(post, _xlsx(tmp_path, [ROW_1, bad]))
    item = LedgerImport.objects.get()
    assert item.status == "failed" and item.error_count == 2
    page = client.get(reverse("projects:import_detail", args=[item.pk])).content.decode()
    assert 'data-testid="error-table"' in page
    assert 'data-testid="confirm"' not in page
    rows = {(e["row"], e["column"]) for e in item.errors}
    assert rows == {(3, "D"), (3, "J")}
    assert "火星区" in page and '<td class="text-nowrap">3</td>' in page
    response = client.get(reverse("projects:import_errors", args=[item.pk]))
    assert response.status_code == 200
    assert download_name(response) == "台账-错误清单.xlsx"
    # The row that was fine is counted; the wrong one is counted among the rows with errors.
    assert (item.new_count, item.updated_count, item.unchanged_count, item.error_rows) == (
        1,
        0,
        0,
        1,
    )
    assert 'data-testid="count-new">1<' in page and 'data-testid="count-error-rows">1<' in page
    assert "共 2 处错误，涉及 1 行" in page
    book = load_workbook(io.BytesIO(response.content))
    listing = book.worksheets[-1]
    assert listing.max_row == 3
    assert not Project.objects.filter(name="黄岛新港物流枢纽").exists()
    # Confirming a file with errors writes nothing.
    post(reverse("projects:import_confirm", args=[item.pk]))
    assert not Project.objects.filter(name="黄岛新港物流枢纽").exists()


def test_the_form_starts_from_this_year_and_the_files_date(world, client):
    with time_machine.travel(dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.dora)
        page = client.get(reverse("projects:import")).content.decode()
    # The year in Asia/Shanghai (already 2027); the date is empty: the file's is taken.
    assert '<input type="date" name="as_of" class="form-control"' in page
    assert 'name="as_of" value=' not in page
    assert 'name="year" value="2027"' in page


def test_text_file_renamed_is_refused(world, client, post, settings):
    client.force_login(world.alice)
    content = "黄岛港区项目说明\n一期工程\n".encode()
    response = _upload(post, content, name="台账.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    with translation.override("zh-hans"), pytest.raises(LedgerFileError) as refused:
        check_ledger_file(io.BytesIO(content))
    assert escape(refused.value.message) in page
    assert LedgerImport.objects.count() == 0
    assert _stored(settings) == []


def test_other_personas_get_404(world, client, post, tmp_path):
    client.force_login(world.dora)
    _upload(post, _xlsx(tmp_path, [ROW_1]))
    item = LedgerImport.objects.get()
    detail = reverse("projects:import_detail", args=[item.pk])
    assert client.get(detail).status_code == 200
    # alice's region (the city) covers dora's district.
    client.force_login(world.alice)
    assert client.get(detail).status_code == 200
    for name in ("rita", "leo", "hank", "auditor", "sysadmin"):
        client.force_login(getattr(world, name))
        assert client.get(reverse("projects:import")).status_code == 404
        assert client.get(detail).status_code == 404
        for action in ("import_confirm", "import_retry", "import_discard"):
            assert post(reverse(f"projects:{action}", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert (item.status, item.attempt) == ("checked", 1)
    # alice's import is not dora's to see: dora's district does not cover the city.
    client.force_login(world.alice)
    _upload(post, _xlsx(tmp_path, [ROW_2]))
    other = LedgerImport.objects.exclude(pk=item.pk).get()
    client.force_login(world.dora)
    assert client.get(reverse("projects:import_detail", args=[other.pk])).status_code == 404


def test_the_page_polls_while_the_task_runs(
    world, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(
            reverse("projects:import"),
            {
                "file": SimpleUploadedFile("台账.xlsx", _xlsx(tmp_path, [ROW_1])),
                "year": "2026",
                "as_of": "2026-08-31",
            },
        )
    item = LedgerImport.objects.get()
    assert (item.running, item.phase, item.status, item.attempt) == (True, "queued", "uploaded", 1)
    detail = reverse("projects:import_detail", args=[item.pk])
    page = client.get(detail).content.decode()
    assert 'data-testid="progress"' in page and 'hx-trigger="every 1s"' in page
    assert "排队等待" in page and "正在校验台账…" in page
    assert 'data-testid="confirm"' not in page
    partial = client.get(detail, headers={"HX-Request": "true"})
    assert 'role="progressbar"' in partial.content.decode()
    assert "HX-Refresh" not in partial

    for callback in queued:  # the task runs (ImmediateBackend)
        callback()
    item.refresh_from_db()
    assert (item.running, item.status, item.new_count) == (False, "checked", 1)
    # The last phase saved: every row matched.
    assert (item.phase, item.rows_done, item.rows_total) == ("matching", 1, 1)
    done = client.get(detail, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    page = client.get(detail).content.decode()
    assert 'data-testid="progress"' not in page and 'data-testid="confirm"' in page
