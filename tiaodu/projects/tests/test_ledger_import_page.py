"""The ledger import page: upload → preview → confirm, as a dispatcher uses it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from tiaodu.projects.ledger.safety import LedgerFileError, check_ledger_file
from tiaodu.projects.models import LedgerImport, Project
from tiaodu.projects.tests.test_ledger_import import HEADERS, ROW_1, ROW_2, ledger

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, content: bytes, name: str = "台账.xlsx"):
    return client.post(
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


def test_upload_preview_confirm(world, client, tmp_path, settings):
    client.force_login(world.alice)
    response = _upload(client, _xlsx(tmp_path, [ROW_1, ROW_2]))
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

    response = client.post(reverse("projects:import_confirm", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "applied"
    assert Project.objects.filter(name__in=["黄岛新港物流枢纽", "崂山生态廊道"]).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="applied"' in page
    assert reverse("projects:list") in page
    assert 'data-testid="confirm"' not in page


def test_confirm_checks_again(world, client, tmp_path):
    """The library may change between the preview and the confirmation."""
    client.force_login(world.alice)
    _upload(client, _xlsx(tmp_path, [ROW_1]))
    item = LedgerImport.objects.get()
    from tiaodu.projects.ledger import jobs

    jobs.confirm(actor=world.alice, item=item)
    item.status = "checked"
    item.save()
    client.post(reverse("projects:import_confirm", args=[item.pk]))
    item.refresh_from_db()
    assert (item.status, item.new_count, item.unchanged_count) == ("applied", 0, 1)


def test_errors_are_listed_and_downloadable(world, client, tmp_path):
    client.force_login(world.alice)
    bad = list(ROW_2)
    bad[HEADERS.index("所属区县")] = "火星区"
    bad[HEADERS.index("总投资（万元）")] = "-5"
    _upload(client, _xlsx(tmp_path, [ROW_1, bad]))
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
    book = load_workbook(io.BytesIO(response.content))
    listing = book.worksheets[-1]
    assert listing.max_row == 3
    assert not Project.objects.filter(name="黄岛新港物流枢纽").exists()
    # Confirming a file with errors writes nothing.
    client.post(reverse("projects:import_confirm", args=[item.pk]))
    assert not Project.objects.filter(name="黄岛新港物流枢纽").exists()


def test_text_file_renamed_is_refused(world, client, settings):
    client.force_login(world.alice)
    content = "黄岛港区项目说明\n一期工程\n".encode()
    response = _upload(client, content, name="台账.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    with translation.override("zh-hans"), pytest.raises(LedgerFileError) as refused:
        check_ledger_file(io.BytesIO(content))
    assert escape(refused.value.message) in page
    assert LedgerImport.objects.count() == 0
    assert _stored(settings) == []


def test_other_personas_get_404(world, client, tmp_path):
    client.force_login(world.dora)
    _upload(client, _xlsx(tmp_path, [ROW_1]))
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
        assert client.post(reverse("projects:import_confirm", args=[item.pk])).status_code == 404
    # alice's import is not dora's to see: dora's district does not cover the city.
    client.force_login(world.alice)
    _upload(client, _xlsx(tmp_path, [ROW_2]))
    other = LedgerImport.objects.exclude(pk=item.pk).get()
    client.force_login(world.dora)
    assert client.get(reverse("projects:import_detail", args=[other.pk])).status_code == 404
