"""Import profile pages: an agency's own profiles (create, edit, delete), the shared
ones (DoST administrators only), validation, permissions, the audit history, and an
import that follows an edited mapping."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.dossiers.imports.pipeline import FIELDS
from govqms.dossiers.models import Dossier, ImportBatch, ImportProfile
from govqms.dossiers.profiles import NATIONAL_PORTAL, TARGETS
from govqms.dossiers.services import profiles as svc


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def form_data(name="Một cửa huyện", **overrides):
    data = {
        "name": name,
        "format": "csv",
        "date_format": "dmy",
        "col_code": "Số hồ sơ",
        "col_received_at": "Ngày nhận",
        "col_kind": "Tình trạng",
        "col_at": "Lúc",
        "col_step": "Bước",
        "kind_values": "1 = received\n5 = supplement_requested\n9 = resolved",
        "status_values": "",
        "channel_values": "TT = online",
    }
    data.update(overrides)
    return data


def make_profile(unit, actor, name="Một cửa huyện", **mapping):
    return svc.create_profile(
        actor,
        unit,
        name=name,
        mapping={"code": "Số hồ sơ", "received_at": "Ngày nhận", **mapping},
        value_maps={},
    )


def test_targets_are_the_pipeline_fields():
    assert set(TARGETS) == set(FIELDS)


def test_secretary_creates_edits_and_deletes_a_profile(world, client):
    client.force_login(world.a_secretary)
    url = reverse("dossier_profile_new", args=[world.a.pk])
    response = client.post(url, form_data())
    profile = ImportProfile.objects.get(unit=world.a, name="Một cửa huyện")
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier_profile_detail", args=[world.a.pk, profile.pk])
    assert profile.mapping == {
        "code": "Số hồ sơ",
        "received_at": "Ngày nhận",
        "kind": "Tình trạng",
        "at": "Lúc",
        "step": "Bước",
    }
    assert profile.value_maps["kind"] == {
        "1": "received",
        "5": "supplement_requested",
        "9": "resolved",
    }
    assert profile.value_maps["channel"] == {"TT": "online"}
    assert profile.value_maps["_date_format"] == "dmy"

    # The list shows it next to the built-in national portal profile.
    body = client.get(reverse("dossier_profile_list", args=[world.a.pk])).content.decode()
    assert "Một cửa huyện" in body and NATIONAL_PORTAL in body

    # Edit: the code column is renamed, the step column dropped.
    edit = reverse("dossier_profile_edit", args=[world.a.pk, profile.pk])
    assert "Số hồ sơ" in client.get(edit).content.decode()
    response = client.post(edit, form_data(col_code="Mã HS", col_step=""))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.mapping["code"] == "Mã HS" and "step" not in profile.mapping

    # The history on the profile's page comes from the audit trail.
    entries = AuditEntry.objects.filter(
        object_type="dossiers.importprofile", object_id=str(profile.pk)
    )
    assert list(entries.order_by("seq").values_list("action", flat=True)) == [
        "dossier_profile_create",
        "dossier_profile_update",
    ]
    update = entries.get(action="dossier_profile_update")
    assert update.unit == world.a and update.actor == world.a_secretary
    assert update.changes["mapping"][0]["code"] == "Số hồ sơ"
    assert update.changes["mapping"][1]["code"] == "Mã HS"
    body = client.get(
        reverse("dossier_profile_detail", args=[world.a.pk, profile.pk])
    ).content.decode()
    assert "Mã HS" in body and "Changed" in body and "a_iso_secretary" in body

    # Delete.
    delete = reverse("dossier_profile_delete", args=[world.a.pk, profile.pk])
    assert client.get(delete).status_code == 200
    response = client.post(delete)
    assert response.status_code == 302
    assert not ImportProfile.objects.filter(pk=profile.pk).exists()
    assert AuditEntry.objects.filter(
        action="dossier_profile_delete", object_id=str(profile.pk), unit=world.a
    ).exists()


def test_validation_errors_are_shown_on_their_fields(world, client):
    client.force_login(world.a_secretary)
    url = reverse("dossier_profile_new", args=[world.a.pk])
    response = client.post(
        url,
        form_data(
            col_code="",  # required
            col_at="Ngày nhận",  # the same column as "received"
            kind_values="5 = waiting\nno equals sign",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "is required" in " ".join(form.errors["col_code"])
    assert "already feeds" in " ".join(form.errors["col_at"])
    kind_errors = " ".join(form.errors["kind_values"])
    assert "Line 2" in kind_errors
    body = response.content.decode()
    assert "form-errors" in body and "“Dossier code” is required" in body
    assert not ImportProfile.objects.filter(unit=world.a).exists()

    # An event kind that does not exist (the line parsed, the value unknown).
    response = client.post(url, form_data(kind_values="5 = waiting"))
    assert "“waiting” is not one of" in " ".join(response.context["form"].errors["kind_values"])

    # The same name twice in the agency.
    make_profile(world.a, world.a_secretary)
    response = client.post(url, form_data())
    assert "already has this name" in " ".join(response.context["form"].errors["name"])


def test_service_refuses_unknown_target_fields_and_duplicated_columns(world):
    with pytest.raises(ValidationError) as caught:
        svc.create_profile(
            world.a_secretary,
            world.a,
            name="X",
            mapping={"code": "Mã", "received_at": "Nhận", "colour": "Màu", "at": " mã "},
            value_maps={"priority": {"1": "high"}},
        )
    errors = caught.value.message_dict
    assert any("Unknown target field “colour”" in m for m in errors["mapping"])
    assert any("Unknown target field “priority”" in m for m in errors["value_maps"])
    assert any("already feeds" in m for m in errors["at"])  # headers match folded
    with pytest.raises(ValidationError) as caught:
        svc.create_profile(world.a_secretary, world.a, name="Y", mapping={"code": "Mã"})
    assert "received_at" in caught.value.message_dict


def test_permissions_on_agency_profiles(world, client):
    profile = make_profile(world.a, world.a_secretary)
    new = reverse("dossier_profile_new", args=[world.a.pk])
    edit = reverse("dossier_profile_edit", args=[world.a.pk, profile.pk])
    detail = reverse("dossier_profile_detail", args=[world.a.pk, profile.pk])
    # The head manages too.
    client.force_login(world.a_head)
    assert client.post(edit, form_data(name="Đổi tên")).status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Đổi tên"
    # Staff read only: the list and the profile, no button, no form.
    client.force_login(world.a_staff)
    body = client.get(detail).content.decode()
    assert "Đổi tên" in body and "edit-profile" not in body
    assert (
        "new-profile"
        not in client.get(reverse("dossier_profile_list", args=[world.a.pk])).content.decode()
    )
    assert client.get(new).status_code == 403
    assert client.post(edit, form_data(name="Staff")).status_code == 403
    with pytest.raises(PermissionDenied):
        svc.update_profile(
            world.a_staff, profile, name="S", fmt="csv", mapping=profile.mapping, value_maps={}
        )
    # Another agency: 404, even for the secretary.
    client.force_login(world.b_secretary)
    assert client.get(detail).status_code == 404
    assert client.post(edit, form_data(name="B")).status_code == 404
    # B's secretary cannot reach A's profile through B's URL either.
    assert (
        client.get(reverse("dossier_profile_edit", args=[world.b.pk, profile.pk])).status_code
        == 404
    )
    # The overseeing DoST officer reads, does not change.
    client.force_login(world.dost_officer)
    assert client.get(detail).status_code == 200
    assert client.post(edit, form_data(name="Officer")).status_code == 403
    profile.refresh_from_db()
    assert profile.name == "Đổi tên"


def test_shared_profiles_are_read_only_for_agencies(world, client):
    portal = ImportProfile.objects.get(name=NATIONAL_PORTAL)
    client.force_login(world.a_secretary)
    body = client.get(
        reverse("dossier_profile_detail", args=[world.a.pk, portal.pk])
    ).content.decode()
    assert "Mã hồ sơ" in body and "edit-profile" not in body
    assert "Supplement requested" in body  # status code 5, shown by its meaning
    # Not through the agency's edit and delete routes, nor the DoST console.
    assert (
        client.get(reverse("dossier_profile_edit", args=[world.a.pk, portal.pk])).status_code == 404
    )
    assert (
        client.post(reverse("dossier_profile_delete", args=[world.a.pk, portal.pk])).status_code
        == 404
    )
    assert client.get(reverse("shared_profile_edit", args=[portal.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        svc.delete_profile(world.a_secretary, portal)
    assert ImportProfile.objects.filter(pk=portal.pk).exists()


def test_dost_admin_manages_shared_profiles(world, client):
    client.force_login(world.dost_admin)
    response = client.post(reverse("shared_profile_new"), form_data(name="Phần mềm Một cửa VNPT"))
    shared = ImportProfile.objects.get(name="Phần mềm Một cửa VNPT")
    assert response.status_code == 302 and shared.unit is None
    body = client.get(reverse("shared_profile_list"), {"q": "vnpt"}).content.decode()
    assert "Phần mềm Một cửa VNPT" in body and NATIONAL_PORTAL not in body
    assert (
        "empty-state" in client.get(reverse("shared_profile_list"), {"q": "zzz"}).content.decode()
    )
    # Every agency sees it.
    client.force_login(world.c_secretary)
    assert (
        "Phần mềm Một cửa VNPT"
        in client.get(reverse("dossier_profile_list", args=[world.c.pk])).content.decode()
    )

    # The built-in portal profile: its status codes may be corrected, not its name;
    # the "_implies" rule the form does not show is kept; it cannot be deleted.
    client.force_login(world.dost_admin)
    portal = ImportProfile.objects.get(name=NATIONAL_PORTAL)
    edit = reverse("shared_profile_edit", args=[portal.pk])
    form = client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items()}
    data["kind_values"] = data["kind_values"].replace(
        "4 = transferred", "4 = transferred\n11 = stopped"
    )
    data["name"] = "Tên khác"
    response = client.post(edit, data)
    assert response.status_code == 302
    portal.refresh_from_db()
    assert portal.name == NATIONAL_PORTAL and portal.value_maps["kind"]["11"] == "stopped"
    assert portal.value_maps["_implies"] == {"kind": {"1": {"channel": "online"}}}
    response = client.post(reverse("shared_profile_delete", args=[portal.pk]))
    assert ImportProfile.objects.filter(pk=portal.pk).exists()
    # The shared one is deleted.
    assert client.post(reverse("shared_profile_delete", args=[shared.pk])).status_code == 302
    assert not ImportProfile.objects.filter(pk=shared.pk).exists()
    # Officers and agency members have no console.
    for user in (world.dost_officer, world.a_secretary, world.a_head):
        client.force_login(user)
        assert client.get(reverse("shared_profile_list")).status_code == 403


def test_agency_list_search_and_empty_state(world, client):
    make_profile(world.a, world.a_secretary, name="Phần mềm iGate")
    client.force_login(world.a_staff)
    url = reverse("dossier_profile_list", args=[world.a.pk])
    body = client.get(url, {"q": "igate"}).content.decode()
    assert "Phần mềm iGate" in body and NATIONAL_PORTAL not in body
    body = client.get(url, {"q": "cong dich vu"}).content.decode()  # accents folded
    assert NATIONAL_PORTAL in body
    body = client.get(url, {"q": "không có"}).content.decode()
    assert "empty-state" in body and "No profile matches" in body


def test_import_page_links_to_the_profiles(world, client):
    client.force_login(world.a_secretary)
    body = client.get(reverse("dossier_import", args=[world.a.pk])).content.decode()
    assert reverse("dossier_profile_list", args=[world.a.pk]) in body and "profiles-link" in body


CSV_OLD = "Số hồ sơ,Ngày nhận,Tình trạng,Lúc\nHS-1,05/01/2026 08:00,1,05/01/2026 08:00\n"
CSV_NEW = (
    "Mã HS;Ngày nhận;Trạng thái HS;Lúc\n"
    "HS-2;06/01/2026 08:00;1;06/01/2026 08:00\n"
    "HS-2;06/01/2026 08:00;9;07/01/2026 10:00\n"
)


def _upload(client, unit, profile, text, name):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post(
        reverse("dossier_import", args=[unit.pk]), {"file": upload, "profile": str(profile.pk)}
    )


def test_an_import_uses_the_edited_mapping(world, client):
    client.force_login(world.a_secretary)
    client.post(reverse("dossier_profile_new", args=[world.a.pk]), form_data(col_step=""))
    profile = ImportProfile.objects.get(unit=world.a)
    _upload(client, world.a, profile, CSV_OLD, "old.csv")
    assert Dossier.objects.filter(unit=world.a, code="HS-1").exists()

    # The export changes its headers: the profile follows.
    edit = reverse("dossier_profile_edit", args=[world.a.pk, profile.pk])
    client.post(edit, form_data(col_code="Mã HS", col_kind="Trạng thái HS", col_step=""))
    _upload(client, world.a, profile, CSV_NEW, "new.csv")
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "done", batch.errors
    dossier = Dossier.objects.get(unit=world.a, code="HS-2")
    assert dossier.status == "resolved"  # "9" through the edited profile's status codes
    assert list(dossier.events.values_list("kind", flat=True)) == ["received", "resolved"]
    # The old headers no longer match: the file is refused and the column named.
    _upload(client, world.a, profile, CSV_OLD, "old-again.csv")
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "failed" and "Mã HS" in str(batch.errors)
