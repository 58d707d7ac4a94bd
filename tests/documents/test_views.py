import io

import openpyxl
from django.urls import reverse

from govqms.documents.models import Document, VersionStatus
from tests.documents.factories import PROCEDURE, make_effective_procedure, make_procedure


def test_register_lists_filters_and_exports(world, client):
    make_effective_procedure(world)
    make_procedure(world.a, code="QT-02", title="Quy trình chứng thực bản sao")
    client.force_login(world.a_staff)
    url = reverse("document_register", args=[world.a.pk])
    body = client.get(url).content.decode()
    assert "QT-01" in body and "QT-02" in body
    body = client.get(url, {"q": "chung thuc"}).content.decode()
    assert "QT-02" in body and "QT-01" not in body
    body = client.get(url, {"status": "effective"}).content.decode()
    assert "QT-01" in body and "QT-02" not in body
    body = client.get(url, {"status": "none"}).content.decode()
    assert "QT-02" in body and "QT-01" not in body
    response = client.get(
        reverse("document_register_export", args=[world.a.pk]), {"q": "khai sinh"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "QT-01" and rows[1][5] == 1


def test_empty_register_invites_the_first_document(world, client):
    client.force_login(world.a_secretary)
    body = client.get(reverse("document_register", args=[world.a.pk])).content.decode()
    assert 'id="empty-state"' in body and reverse("document_create", args=[world.a.pk]) in body


def test_create_and_edit_a_structured_draft(world, client):
    client.force_login(world.a_secretary)
    response = client.post(
        reverse("document_create", args=[world.a.pk]),
        {
            "code": "QT-05",
            "title": "Quy trình đăng ký kết hôn",
            "kind": "operational_procedure",
            "division": "Tư pháp - Hộ tịch",
            "review_interval_months": 12,
            "audience_roles": ["staff"],
        },
    )
    document = Document.objects.get(code="QT-05")
    version = document.versions.get()
    assert response["Location"] == reverse("version_edit", args=[version.pk])
    page = client.get(response["Location"]).content.decode()
    assert "steps-TOTAL_FORMS" in page
    data = {"purpose": "Hướng dẫn đăng ký kết hôn", "fees": "Miễn lệ phí", "change_note": "Lần đầu"}
    tables = {
        "references": [{"text": "TCVN ISO 9001:2015"}],
        "definitions": [],
        "dossier_components": [{"name": "Tờ khai", "original": 1, "copy": 0, "sets": 1}],
        "steps": [
            {
                "step": "B1",
                "name": "Tiếp nhận",
                "responsible": "Một cửa",
                "hours": "0.5",
                "form": "",
            },
            {
                "step": "B2",
                "name": "Giải quyết",
                "responsible": "Tư pháp",
                "hours": "7.5",
                "form": "Giấy chứng nhận",
            },
        ],
        "forms": [],
        "records": [],
    }
    for key, rows in tables.items():
        data[f"{key}-TOTAL_FORMS"] = len(rows)
        data[f"{key}-INITIAL_FORMS"] = 0
        for i, row in enumerate(rows):
            for field, value in row.items():
                data[f"{key}-{i}-{field}"] = value
    response = client.post(reverse("version_edit", args=[version.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.content["steps"][0] == {
        "step": "B1",
        "name": "Tiếp nhận",
        "responsible": "Một cửa",
        "hours": 0.5,
        "form": "",
    }
    assert version.content["steps"][1]["hours"] == 7.5
    assert version.content["references"] == ["TCVN ISO 9001:2015"]
    assert version.change_note == "Lần đầu"
    page = client.get(reverse("version_detail", args=[version.pk])).content.decode()
    assert "Giấy chứng nhận" in page and "Hướng dẫn đăng ký kết hôn" in page


def test_sign_off_through_the_pages(world, client):
    document = make_procedure(world.a)
    version = document.versions.get()
    client.force_login(world.a_secretary)
    client.post(reverse("version_submit", args=[version.pk]), {"comment": "Trình xem xét"})
    client.post(reverse("version_decide", args=[version.pk]), {"decision": "approve"})
    client.force_login(world.a_staff)
    assert (
        client.post(
            reverse("version_decide", args=[version.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    client.force_login(world.a_head)
    page = client.get(reverse("version_detail", args=[version.pk])).content.decode()
    assert 'id="decide-form"' in page
    client.post(reverse("version_decide", args=[version.pk]), {"decision": "approve"})
    client.post(reverse("version_effective", args=[version.pk]), {"effective_from": "2026-02-02"})
    version.refresh_from_db()
    assert version.status == VersionStatus.EFFECTIVE
    page = client.get(reverse("version_detail", args=[version.pk])).content.decode()
    assert world.a_secretary.full_name in page and world.a_head.full_name in page


def test_old_issue_shows_withdrawn_and_diff(world, client):
    document, first = make_effective_procedure(world)
    client.force_login(world.a_secretary)
    client.post(reverse("document_revise", args=[document.pk]), {"description": "Đổi phí"})
    second = document.versions.get(issue_no=2)
    from govqms.documents.services import versions

    versions.edit_draft(world.a_secretary, second, content=dict(PROCEDURE, fees="20.000 đồng"))
    versions.submit_for_review(world.a_secretary, second)
    versions.decide(world.a_secretary, second, approve=True)
    versions.decide(world.a_head, second, approve=True)
    versions.make_effective(world.a_secretary, second)
    page = client.get(reverse("version_detail", args=[first.pk])).content.decode()
    assert 'id="withdrawn-banner"' in page and "HẾT HIỆU LỰC" in page
    page = client.get(reverse("version_diff", args=[second.pk, first.pk])).content.decode()
    assert "20.000" in page and "diff-fees" in page


def test_agency_configures_its_sign_off_steps(world, client):
    url = reverse("document_approval_steps", args=[world.a.pk])
    client.force_login(world.a_staff)
    assert client.get(url).status_code == 200
    assert client.post(url, {"steps": "X | head"}).status_code == 403
    client.force_login(world.a_head)
    response = client.post(url, {"steps": "Kiểm tra | process_owner\nPhê duyệt | head"})
    assert response.status_code == 302
    from govqms.documents.services import versions

    assert [(s.label, s.role) for s in versions.steps_for(world.a)] == [
        ("Kiểm tra", "process_owner"),
        ("Phê duyệt", "head"),
    ]
    response = client.post(url, {"steps": "Kiểm tra | thủ quỹ"})
    assert "Line 1" in response.content.decode() or "Dòng 1" in response.content.decode()
