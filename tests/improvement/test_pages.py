"""The pages: list (filters, folded search, pagination, empty state, Excel), detail
and its forms, who may write, the home panels."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.improvement import services
from govqms.improvement.models import Nonconformity, Status

from .factories import make_nc, nc_with_action


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _login(client, user):
    client.force_login(user)
    return client


def test_empty_state(world, en):
    response = _login(en, world.a_staff).get(reverse("nc_list", args=[world.a.pk]))
    assert response.status_code == 200
    assert "No nonconformity has been recorded" in response.content.decode()
    assert 'id="nc-new"' not in response.content.decode()  # staff read only


def test_list_filters_and_folded_search(world, en):
    make_nc(world.a, title="Hồ sơ đăng ký khai sinh trả muộn", source_kind="complaint")
    make_nc(world.a, title="Thiếu biểu mẫu", source_kind="kpi", grade="major")
    nc, _ = nc_with_action(
        world.a, world.a_secretary, title="Không cập nhật văn bản", due=dt.date(2020, 1, 1)
    )
    make_nc(world.b, title="Đăng ký của cơ quan B")
    client = _login(en, world.a_secretary)
    url = reverse("nc_list", args=[world.a.pk])
    body = client.get(url, {"q": "dang ky"}).content.decode()
    assert "khai sinh" in body and "biểu mẫu" not in body and "cơ quan B" not in body
    body = client.get(url, {"source": "kpi"}).content.decode()
    assert "biểu mẫu" in body and "khai sinh" not in body
    body = client.get(url, {"grade": "major"}).content.decode()
    assert "biểu mẫu" in body and "khai sinh" not in body
    body = client.get(url, {"overdue": "on"}).content.decode()
    assert "Không cập nhật văn bản" in body and "khai sinh" not in body
    body = client.get(url, {"status": "in_progress"}).content.decode()
    assert "Không cập nhật văn bản" in body and "biểu mẫu" not in body
    body = client.get(url, {"q": "zzzz"}).content.decode()
    assert "No nonconformity matches these filters" in body
    assert "1 corrective action is overdue" in client.get(url).content.decode()


def test_list_paginates(world, en):
    for i in range(30):
        make_nc(world.a, title=f"Điểm không phù hợp số {i}")
    client = _login(en, world.a_staff)
    url = reverse("nc_list", args=[world.a.pk])
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('href="/agencies/') > 0 and "NC-" in second


def test_excel_export(world, en):
    make_nc(world.a, title="Hồ sơ trả muộn", clause="8.5.1")
    make_nc(world.a, title="Thiếu biểu mẫu", source_kind="kpi")
    response = _login(en, world.a_staff).get(
        reverse("nc_export", args=[world.a.pk]), {"source": "kpi"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Thiếu biểu mẫu" in values and "Hồ sơ trả muộn" not in values


def test_create_by_hand(world, en):
    client = _login(en, world.a_secretary)
    url = reverse("nc_create", args=[world.a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Mục tiêu chất lượng không đạt",
            "source_kind": "management_review",
            "source_label": "Họp xem xét của lãnh đạo 2026",
            "clause": "6.2",
            "grade": "minor",
            "detected_on": "2026-03-02",
        },
    )
    nc = Nonconformity.objects.get(unit=world.a)
    assert response.status_code == 302 and response["Location"].endswith(f"/{nc.pk}/")
    assert nc.source_kind == "management_review" and nc.clause == "6.2"
    assert nc.number == "NC-2026-001" and nc.raised_by == world.a_secretary


def test_detail_forms_through_the_cycle(world, en):
    client = _login(en, world.a_secretary)
    nc = make_nc(world.a, world.a_secretary)
    args = [world.a.pk, nc.pk]
    client.post(
        reverse("nc_correction", args=args),
        {"correction": "Đã xin lỗi", "correction_on": "2026-03-02"},
    )
    client.post(
        reverse("nc_analysis", args=args),
        {"why_1": "Vì sao?", "because_1": "Vì", "root_cause": "Thiếu người theo dõi"},
    )
    client.post(
        reverse("nc_action_add", args=args),
        {"text": "Phân công", "owner": world.a_staff.pk, "due_date": "2026-04-01"},
    )
    # Closing too early is refused with a clear message.
    response = client.post(reverse("nc_close", args=args), follow=True)
    assert "cannot be closed yet" in response.content.decode()
    action = nc.actions.get()
    # The owner (staff) marks their own action done.
    _login(client, world.a_staff).post(
        reverse("nc_action_done", args=[*args, action.pk]), {"evidence": "QĐ số 5"}
    )
    client = _login(client, world.a_secretary)
    client.post(reverse("nc_evaluate", args=args), {"effective": "yes", "comment": "Tốt"})
    response = client.post(reverse("nc_close", args=args), follow=True)
    nc.refresh_from_db()
    assert nc.status == Status.CLOSED
    body = response.content.decode()
    assert "closed" in body.lower()
    # The history tab reads the audit trail.
    assert "Corrective action done" in body and "Root cause analysed" in body


def test_staff_cannot_edit_but_owner_can_complete(world, en):
    nc, action = nc_with_action(world.a, world.a_secretary, owner=world.a_staff)
    other = nc.actions.create(
        text="Việc của người khác",
        owner=world.a_head,
        due_date=action.due_date,
        created_on=action.created_on,
    )
    client = _login(en, world.a_staff)
    args = [world.a.pk, nc.pk]
    body = client.get(reverse("nc_detail", args=args)).content.decode()
    assert 'id="analysis-form"' not in body and 'id="nc-close-btn"' not in body
    assert body.count("action-done-form") == 1  # only their own action
    for name, data in [
        ("nc_edit", None),
        ("nc_correction", {"correction": "x", "correction_on": "2026-03-02"}),
        ("nc_analysis", {"root_cause": "x"}),
        ("nc_close", {}),
        ("nc_evaluate", {"effective": "yes"}),
    ]:
        url = reverse(name, args=args)
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 403, name
    assert client.post(reverse("nc_action_done", args=[*args, other.pk])).status_code == 403
    assert client.post(reverse("nc_action_done", args=[*args, action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_other_agency_gets_404(world, en):
    nc = make_nc(world.a)
    client = _login(en, world.b_secretary)
    assert client.get(reverse("nc_detail", args=[world.a.pk, nc.pk])).status_code == 404
    # Its own agency id with another agency's nonconformity: 404 too.
    assert client.get(reverse("nc_detail", args=[world.b.pk, nc.pk])).status_code == 404
    assert client.post(reverse("nc_close", args=[world.b.pk, nc.pk])).status_code == 404


def test_dost_officer_reads_only_and_the_read_is_logged(world, en):
    nc, _ = nc_with_action(world.a, world.a_secretary)
    client = _login(en, world.dost_officer)
    response = client.get(reverse("nc_detail", args=[world.a.pk, nc.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="analysis-form"' not in body and "action-done-form" not in body
    assert AuditEntry.objects.filter(
        action="oversight_read", unit=world.a, actor=world.dost_officer
    ).exists()
    response = client.post(
        reverse("nc_correction", args=[world.a.pk, nc.pk]),
        {"correction": "x", "correction_on": "2026-03-02"},
    )
    assert response.status_code == 403
    assert client.get(reverse("nc_create", args=[world.a.pk])).status_code == 403
    assert (
        world.q_officer
        and _login(en, world.q_officer)
        .get(reverse("nc_detail", args=[world.a.pk, nc.pk]))
        .status_code
        == 404
    )


def test_agency_home_and_dost_home_show_overdue_counts(world, en):
    nc_with_action(world.a, world.a_secretary, due=dt.date(2020, 1, 1))
    body = _login(en, world.a_staff).get(reverse("agency_detail", args=[world.a.pk]))
    body = body.content.decode()
    assert 'id="improvement-panel"' in body and "1 action overdue" in body
    response = _login(en, world.dost_officer).get(reverse("home"), follow=True)
    body = response.content.decode()
    assert 'id="improvement-overdue-panel"' in body and world.a.name in body


def test_process_of_another_agency_refused(world):
    from govqms.documents.models import Document

    doc = Document.objects.create(
        unit=world.b, code="QT-01", title="Quy trình", kind="operational_procedure"
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.open_nonconformity(
            world.a_secretary, unit=world.a, source_kind="other", title="x", process=doc
        )


def test_edit_keeps_a_free_text_clause(world, en):
    nc = make_nc(world.a, title="Cũ", clause="8.5.1 a")
    client = _login(en, world.a_secretary)
    url = reverse("nc_edit", args=[world.a.pk, nc.pk])
    assert "8.5.1 a" in client.get(url).content.decode()
    response = client.post(url, {"title": "Mới", "clause": "8.5.1 a", "grade": "major"})
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.title == "Mới" and nc.clause == "8.5.1 a" and nc.grade == "major"
    assert AuditEntry.objects.filter(action="nc_update", object_id=str(nc.pk)).exists()


def test_filters_answer_htmx_with_the_results_only(world, en):
    make_nc(world.a, title="Đăng ký khai sinh")
    make_nc(world.a, title="Biểu mẫu")
    response = _login(en, world.a_staff).get(
        reverse("nc_list", args=[world.a.pk]), {"q": "dang ky"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Đăng ký khai sinh" in body and "Biểu mẫu" not in body
    assert "<nav" not in body and 'role="search"' not in body
