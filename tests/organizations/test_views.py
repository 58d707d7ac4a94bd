import datetime as dt

from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.organizations.models import Membership, Role
from tests.factories import make_unit


def test_home_sends_each_user_to_their_start(world, client):
    client.force_login(world.dost_officer)
    assert client.get(reverse("home"))["Location"] == reverse("agency_list")
    client.force_login(world.a_staff)
    assert client.get(reverse("home"))["Location"] == reverse("agency_detail", args=[world.a.pk])
    assert client.get(reverse("home"), follow=False).status_code == 302
    client.logout()
    assert "/accounts/login/" in client.get(reverse("home"))["Location"]


def test_dost_home_filters_searches_and_paginates(world, client):
    district = make_unit("P-D", "Ủy ban nhân dân huyện Tiên Du", "district_pc", parent=world.p)
    for i in range(30):
        make_unit(f"P-D-{i:02}", f"Ủy ban nhân dân xã Phật Tích {i:02}", parent=district)
    client.force_login(world.dost_officer)
    url = reverse("agency_list")
    page = client.get(url).content.decode()
    assert "Phật Tích 00" in page and "Phật Tích 29" not in page  # 25 a page
    assert "Phật Tích 29" in client.get(url, {"page": 2}).content.decode()
    # Search without accents.
    body = client.get(url, {"q": "phat tich 07"}).content.decode()
    assert "Phật Tích 07" in body and "Đông Phong" not in body
    # Filter by parent and kind.
    body = client.get(url, {"parent": district.pk}).content.decode()
    assert "Phật Tích 00" in body and "Đông Phong" not in body
    body = client.get(url, {"kind": "department"}).content.decode()
    assert 'id="empty-state"' in body
    body = client.get(url, {"kind": "dost"}).content.decode()
    assert "Sở Khoa học và Công nghệ" in body
    # Remit filter: the provincial root is outside the remit.
    body = client.get(url, {"remit": "no"}).content.decode()
    assert world.p.name in body and world.a.name not in body


def test_agency_home_shows_people_roles_and_children(world, client):
    client.force_login(world.a_head)
    body = client.get(reverse("agency_detail", args=[world.a.pk])).content.decode()
    for role in ("a_staff", "a_iso_secretary", "a_internal_auditor"):
        assert role in body
    assert 'id="oversight-banner"' not in body


def test_iso_secretary_adds_and_ends_a_membership(world, client):
    client.force_login(world.a_secretary)
    url = reverse("membership_add", args=[world.a.pk])
    response = client.post(
        url,
        {
            "username": "new_staff",
            "full_name": "Ngô Thị Lan",
            "email": "lan@example.vn",
            "role": Role.STAFF,
            "title": "Công chức Văn phòng - Thống kê",
            "valid_from": "2026-01-05",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="new_staff")
    assert membership.unit == world.a and membership.valid_from == dt.date(2026, 1, 5)
    assert AuditEntry.objects.filter(
        unit=world.a, object_type="organizations.membership", action="create"
    ).exists()
    # The same role twice is refused with a message, not a crash.
    response = client.post(
        url, {"username": "new_staff", "role": Role.STAFF, "valid_from": "2026-02-01"}
    )
    assert response.status_code == 200 and "new_staff" in response.content.decode()
    # Agency managers may not grant oversight roles.
    response = client.post(
        url, {"username": "x", "role": Role.DOST_OFFICER, "valid_from": "2026-02-01"}
    )
    assert (
        response.status_code == 200
        and not Membership.objects.filter(role=Role.DOST_OFFICER, unit=world.a).exists()
    )
    end = reverse("membership_end", args=[world.a.pk, membership.pk])
    assert client.post(end, {"valid_to": "2026-03-01"}).status_code == 302
    membership.refresh_from_db()
    assert membership.valid_to == dt.date(2026, 3, 1)


def test_staff_cannot_manage_people(world, client):
    client.force_login(world.a_staff)
    assert client.get(reverse("membership_add", args=[world.a.pk])).status_code == 403


def test_audit_page_filters(world, client):
    client.force_login(world.dost_officer)
    client.get(reverse("agency_detail", args=[world.a.pk]))
    client.force_login(world.a_secretary)
    url = reverse("agency_audit", args=[world.a.pk])
    body = client.get(url, {"action": "oversight_read"}).content.decode()
    assert "dost_officer" in body and "audit-create" not in body
    body = client.get(url, {"action": "create"}).content.decode()
    assert "audit-create" in body and "audit-oversight_read" not in body
    body = client.get(url, {"actor": "nobody"}).content.decode()
    assert "audit-create" not in body
    body = client.get(url, {"date_from": "2999-01-01"}).content.decode()
    assert "audit-create" not in body


def test_agency_import_page(world, client, tmp_path):
    client.force_login(world.dost_admin)
    csv = tmp_path / "co-quan.csv"
    csv.write_text(
        "code,name,kind,parent_code,province,valid_from,valid_to,in_dost_remit\n"
        "P-SO-TP,Sở Tư pháp,department,P,Bắc Ninh,2020-01-01,,1\n"
        "P-SO-XX,Sở Thử,department,KHONG-CO,Bắc Ninh,2020-01-01,,1\n",
        encoding="utf-8",
    )
    with csv.open("rb") as fh:
        response = client.post(reverse("agency_import"), {"file": fh})
    body = response.content.decode()
    assert 'id="import-errors"' in body and "co-quan.csv" in body and "KHONG-CO" in body
    assert not world.p.children.filter(code="P-SO-TP").exists()
