import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govqms.organizations import selectors, services
from govqms.organizations.models import Membership, Role, Unit, UnitChange
from tests.factories import make_unit, make_user

JULY_1 = dt.date(2025, 7, 1)
JUNE_30 = dt.date(2025, 6, 30)
BASIS = "Nghị quyết 1658/NQ-UBTVQH15"


def test_merge_of_two_communes_into_a_new_one(world, client):
    staff_b = make_user("b_staff", "Đỗ Văn Bắc", world.b, Role.STAFF)
    change = services.merge_units(
        world.dost_admin,
        [world.a, world.b],
        date=JULY_1,
        legal_basis=BASIS,
        into={
            "code": "P-AB",
            "name": "Ủy ban nhân dân phường Đông Đức",
            "kind": "commune_pc",
            "province": "Bắc Ninh",
        },
    )
    new = Unit.objects.get(code="P-AB")
    world.a.refresh_from_db()
    world.b.refresh_from_db()
    # Predecessors end the day before; the successor starts on the date, under the same parent.
    assert world.a.valid_to == JUNE_30 and world.b.valid_to == JUNE_30
    assert new.valid_from == JULY_1 and new.parent == world.p and new.valid_to is None
    assert change.kind == "merge" and change.legal_basis == BASIS
    # Memberships carried over: old ones end, new ones open with a link back.
    secretary_now = Membership.objects.active_on(JULY_1).get(user=world.a_secretary)
    assert secretary_now.unit == new and secretary_now.role == Role.ISO_SECRETARY
    assert secretary_now.carried_from.unit == world.a
    assert Membership.objects.active_on(JULY_1).filter(user=staff_b, unit=new).exists()
    assert not Membership.objects.active_on(JULY_1).filter(unit__in=[world.a, world.b]).exists()
    assert Membership.objects.filter(unit=world.a, valid_to=JUNE_30).count() == 6
    # Lineage on both sides.
    lineage_new = selectors.lineage(new)
    assert {u.code for u in lineage_new["came_from"][0][1]} == {"P-A", "P-B"}
    assert {u.code for u in selectors.lineage(world.a)["went_into"][0][1]} == {"P-AB"}
    # ... and on the page the carried-over secretary now sees.
    client.force_login(world.a_secretary)
    page = client.get(reverse("agency_detail", args=[new.pk])).content.decode()
    assert "Ủy ban nhân dân xã Đông Phong" in page and "Ủy ban nhân dân phường Đức Giang" in page
    assert BASIS in page
    # The DoST sees the predecessor's successor on the predecessor's page.
    client.force_login(world.dost_officer)
    page = client.get(reverse("agency_detail", args=[world.a.pk])).content.decode()
    assert "Ủy ban nhân dân phường Đông Đức" in page


def test_merge_into_a_surviving_unit_moves_children(world):
    district = make_unit("P-D", "Ủy ban nhân dân huyện Tiên Du", "district_pc", parent=world.p)
    district2 = make_unit("P-D2", "Ủy ban nhân dân huyện Quế Võ", "district_pc", parent=world.p)
    commune = make_unit("P-D2-X", "Ủy ban nhân dân xã Phù Lương", parent=district2)
    services.merge_units(None, [district, district2], date=JULY_1, legal_basis=BASIS, into=district)
    commune.refresh_from_db()
    district.refresh_from_db()
    assert district.valid_to is None
    assert commune.parent == district and commune.path.startswith(district.path)


def test_split_sends_people_where_told(world):
    head = world.a_head
    change = services.split_unit(
        None,
        world.a,
        date=JULY_1,
        legal_basis=BASIS,
        into=[
            {
                "code": "P-A1",
                "name": "Ủy ban nhân dân xã Đông Phong Bắc",
                "kind": "commune_pc",
                "province": "Bắc Ninh",
            },
            {
                "code": "P-A2",
                "name": "Ủy ban nhân dân xã Đông Phong Nam",
                "kind": "commune_pc",
                "province": "Bắc Ninh",
            },
        ],
        member_targets={head.pk: 1},
    )
    a1, a2 = Unit.objects.get(code="P-A1"), Unit.objects.get(code="P-A2")
    assert set(change.to_units.all()) == {a1, a2}
    assert Membership.objects.active_on(JULY_1).get(user=head).unit == a2
    assert Membership.objects.active_on(JULY_1).get(user=world.a_secretary).unit == a1


def test_rename_keeps_identity_and_history(world):
    services.rename_unit(
        world.dost_admin,
        world.a,
        date=JULY_1,
        legal_basis=BASIS,
        name="Ủy ban nhân dân phường Đông Phong",
    )
    world.a.refresh_from_db()
    assert world.a.name == "Ủy ban nhân dân phường Đông Phong" and world.a.valid_to is None
    change = UnitChange.objects.get(kind="rename")
    assert change.details["old_name"] == "Ủy ban nhân dân xã Đông Phong"
    assert Unit.objects.search("phuong dong phong").get() == world.a


def test_move_repaths_the_subtree(world):
    district = make_unit("P-D", "Ủy ban nhân dân huyện Yên Phong", "district_pc", parent=world.p)
    child = make_unit("P-D-1", "Ủy ban nhân dân xã Tam Giang", parent=district)
    services.move_unit(None, district, new_parent=world.dost, date=JULY_1, legal_basis=BASIS)
    child.refresh_from_db()
    assert child.path.startswith(world.dost.path)
    with pytest.raises(ValidationError):
        services.move_unit(None, world.dost, new_parent=child, date=JULY_1, legal_basis=BASIS)


def test_dissolve_needs_a_home_for_children(world):
    district = make_unit("P-D", "Ủy ban nhân dân thị xã Thuận Thành", "district_pc", parent=world.p)
    commune = make_unit("P-D-1", "Ủy ban nhân dân phường Hồ", parent=district)
    with pytest.raises(ValidationError):
        services.dissolve_unit(None, district, date=JULY_1, legal_basis=BASIS)
    services.dissolve_unit(None, district, date=JULY_1, legal_basis=BASIS, children_to=world.p)
    commune.refresh_from_db()
    district.refresh_from_db()
    assert commune.parent == world.p and district.valid_to == JUNE_30


def test_restructuring_needs_date_basis_and_rights(world):
    with pytest.raises(ValidationError):
        services.rename_unit(None, world.a, date=JULY_1, legal_basis=" ", name="X")
    with pytest.raises(PermissionDenied):
        services.rename_unit(world.a_head, world.a, date=JULY_1, legal_basis=BASIS, name="X")
    with pytest.raises(PermissionDenied):
        services.merge_units(
            world.dost_officer, [world.a, world.b], date=JULY_1, legal_basis=BASIS, into=world.a
        )
    with pytest.raises(PermissionDenied):  # the other province's officer
        services.rename_unit(world.q_officer, world.a, date=JULY_1, legal_basis=BASIS, name="X")


def test_dost_admin_records_a_merge_on_the_page(world, client):
    client.force_login(world.dost_admin)
    url = reverse("agency_restructure")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "merge",
            "sources": "P-A, P-B",
            "date": "2025-07-01",
            "legal_basis": BASIS,
            "target_code": "P-AB",
            "target_name": "Ủy ban nhân dân phường Đông Đức",
        },
    )
    new = Unit.objects.get(code="P-AB")
    assert response.status_code == 302 and response["Location"].endswith(f"/agencies/{new.pk}/")
    assert Membership.objects.active_on(JULY_1).get(user=world.b_secretary).unit == new


def test_restructuring_page_refuses_bad_input_and_other_provinces(world, client):
    client.force_login(world.dost_admin)
    url = reverse("agency_restructure")
    common = {"date": "2025-07-01", "legal_basis": BASIS}
    # Another province's unit is unknown to this administrator.
    response = client.post(url, {"kind": "rename", "sources": "Q-C", "target_name": "X", **common})
    assert "Q-C" in response.content.decode() and response.status_code == 200
    # A merge needs a target.
    response = client.post(url, {"kind": "merge", "sources": "P-A,P-B", **common})
    assert response.status_code == 200 and not UnitChange.objects.exists()
    # A split line without a name.
    response = client.post(url, {"kind": "split", "sources": "P-A", "split_units": "X1", **common})
    assert response.status_code == 200 and not UnitChange.objects.exists()
    # A DoST officer is read-only.
    client.force_login(world.dost_officer)
    assert client.get(url).status_code == 403
