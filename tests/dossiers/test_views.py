"""Pages: the list with its filters and folded search, a dossier, the import page
(inline and as a background task), and the command line with its progress bar."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from govqms.dossiers.models import Dossier, ImportBatch, ImportProfile
from govqms.dossiers.profiles import NATIONAL_PORTAL
from govqms.dossiers.services import imports
from tests.dossiers.factories import make_tthc, portal_csv
from tests.dossiers.test_csv import GOOD


@pytest.fixture
def imported(world):
    make_tthc()
    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL)
    imports.import_file(None, world.a, io.BytesIO(portal_csv(GOOD)), fmt="csv", profile=profile)
    return world


def test_list_filters_and_search(imported, client):
    client.force_login(imported.a_staff)
    url = reverse("dossier_list", args=[imported.a.pk])
    body = client.get(url).content.decode()
    assert "B-001" in body and "B-008" in body and "import-link" not in body
    body = client.get(url, {"q": "b-00"}).content.decode()
    assert "B-001" in body
    body = client.get(url, {"status": "withdrawn"}).content.decode()
    assert "B-007" in body and "B-001" not in body
    body = client.get(url, {"outcome": "early", "procedure": "1.001193"}).content.decode()
    assert "B-001" in body and "B-002" not in body
    body = client.get(url, {"received_from": "2026-01-06"}).content.decode()
    assert "empty-state" in body


def test_dossier_page_shows_events(imported, client):
    client.force_login(imported.a_staff)
    dossier = Dossier.objects.get(code="B-002")
    body = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "Thẩm định" in body and "Lê Văn Cường" in body


def test_import_page_inline_and_in_the_background(
    imported, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(imported.a_secretary)
    url = reverse("dossier_import", args=[imported.a.pk])
    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL)
    assert client.get(url).status_code == 200
    upload = io.BytesIO(portal_csv(GOOD))
    upload.name = "dvc.csv"
    response = client.post(url, {"file": upload, "profile": str(profile.pk)})
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and batch.status == "done"
    assert batch.dossiers_unchanged == 6  # the same rows as the fixture's import
    page = client.get(reverse("dossier_import_batch", args=[batch.pk])).content.decode()
    assert "batch-counts" in page
    # A large file goes to the task queue (here run at once by the immediate backend).
    monkeypatch.setattr(imports, "INLINE_BYTES", 10)
    extra = "B-099,1.001193,,05/01/2026 10:00,2,05/01/2026 10:00,Tiếp nhận,An"
    upload = io.BytesIO(portal_csv([*GOOD, extra]))
    upload.name = "lon.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload, "profile": str(profile.pk)})
    batch = ImportBatch.objects.latest("pk")
    assert batch.filename == "lon.csv"
    # The task runs when the request's transaction commits.
    batch.refresh_from_db()
    assert batch.status == "done" and batch.dossiers_created == 1
    # While running, the progress fragment polls every second.
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", total=100, processed=40)
    fragment = client.get(
        reverse("dossier_import_batch", args=[batch.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'style="width: 40%"' in fragment
    assert "40 %" in fragment


def test_staff_may_not_import(imported, client):
    client.force_login(imported.a_staff)
    assert client.get(reverse("dossier_import", args=[imported.a.pk])).status_code == 403


def test_command_with_progress_bar(world, tmp_path, capsys):
    make_tthc()
    path = tmp_path / "dvc.csv"
    path.write_bytes(portal_csv(GOOD))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_dossiers", str(path), unit="P-A", stdout=out, stderr=err)
    assert "6" in out.getvalue() and Dossier.objects.count() == 6
    # The bar fills as the file is read: full at the end, with the rows counted.
    assert re.search(r"\[#{30}\] 100 % · \d+ rows", capsys.readouterr().err)
