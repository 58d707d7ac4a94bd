"""Dashboards: content, exports, tenancy; panels on the homes."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from govqms.core.audit import AuditEntry
from govqms.dossiers.models import Dossier
from tests.kpis.factories import VN, birth_registration, dossier, import_batch

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-03", "end": "2026-03"}


@pytest.fixture
def data(world):
    w = world
    tthc = birth_registration(w.b)
    mon = dt.date(2026, 3, 2)
    batch = [dossier(f"HS-{i:03}", mon, resolved=mon) for i in range(4)]
    batch += [dossier("HS-TRE-01", mon, resolved=mon + dt.timedelta(days=3))]
    import_batch(w.b, batch, "k1", now=dt.datetime(2026, 4, 1, tzinfo=VN))
    return w, tthc


def test_agency_dashboard_for_members_and_overseers(client, data):
    w, tthc = data
    url = reverse("kpi_agency_dashboard", args=[w.b.pk])
    client.force_login(w.b_secretary)
    body = client.get(url, PERIOD).content.decode()
    assert 'id="kpi-received">5<' in body and "1.001193" in body
    assert "echarts.min.js" in body and "saveAsImage" in body
    client.force_login(w.dost_officer)
    before = AuditEntry.objects.filter(action="oversight_read", unit=w.b).count()
    assert client.get(url, PERIOD).status_code == 200
    assert AuditEntry.objects.filter(action="oversight_read", unit=w.b).count() == before + 1
    for outsider in (w.a_secretary, w.c_secretary, w.q_officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_drill_down_to_late_dossiers(client, data):
    w, tthc = data
    client.force_login(w.dost_officer)
    body = client.get(reverse("kpi_oversight_dashboard"), PERIOD).content.decode()
    assert w.b.name in body and w.c.name not in body
    assert reverse("kpi_agency_dashboard", args=[w.b.pk]) in body
    body = client.get(
        reverse("kpi_procedure_dashboard", args=[w.b.pk, tthc.pk]), PERIOD
    ).content.decode()
    assert 'id="kpi-late">1<' in body
    body = client.get(reverse("kpi_late_dossiers", args=[w.b.pk, tthc.pk]), PERIOD)
    assert "HS-TRE-01" in body.content.decode() and "HS-000" not in body.content.decode()
    client.force_login(w.b_secretary)
    assert client.get(reverse("kpi_oversight_dashboard")).status_code == 403


def test_exports_csv_and_xlsx(client, data):
    w, tthc = data
    client.force_login(w.b_secretary)
    url = reverse("kpi_agency_dashboard", args=[w.b.pk])
    response = client.get(url, {**PERIOD, "export": "trend", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[1].startswith("2026-03,5,5,4,0,1")
    response = client.get(url, {**PERIOD, "export": "procedures", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "1.001193" and sheet["C2"].value == 5
    assert client.get(url, {"export": "nope"}).status_code == 404
    client.force_login(w.dost_officer)
    response = client.get(
        reverse("kpi_oversight_dashboard"), {**PERIOD, "export": "ranking", "format": "csv"}
    )
    assert w.b.name in response.content.decode("utf-8-sig")


def test_dashboards_read_no_dossier(client, data, django_assert_max_num_queries):
    """The dashboards never query the dossiers or their events."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w, tthc = data
    client.force_login(w.dost_officer)
    for url in (
        reverse("kpi_oversight_dashboard"),
        reverse("kpi_agency_dashboard", args=[w.b.pk]),
        reverse("kpi_procedure_dashboard", args=[w.b.pk, tthc.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, PERIOD).status_code == 200
        tables = " ".join(q["sql"] for q in queries.captured_queries)
        assert Dossier._meta.db_table + '"' not in tables.replace("dossiers_dossierevent", "")
        assert "dossiers_dossierevent" not in tables


def test_home_panels(client, data):
    w, tthc = data
    client.force_login(w.b_secretary)
    body = client.get(reverse("agency_detail", args=[w.b.pk])).content.decode()
    assert 'id="kpi-panel"' in body  # the last 12 months include March 2026
    client.force_login(w.dost_officer)
    body = client.get(reverse("agency_list")).content.decode()
    assert 'id="kpi-oversight-panel"' in body
