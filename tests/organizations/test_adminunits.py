"""Official administrative units from the vietnamadminunits package."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from govqms.core.models import AuditEntry
from govqms.organizations import adminunits, services
from govqms.organizations.models import Unit, UnitKind
from tests.factories import make_unit


def test_bac_ninh_since_july_2025_has_99_communes_and_wards():
    wards = adminunits.province_wards("Bắc Ninh")
    assert len(wards) == 99
    assert len({w.code for w in wards}) == 99
    assert {w.ward_type for w in wards} == {"Xã", "Phường"}
    kinh_bac = next(w for w in wards if w.code == "09187")
    assert kinh_bac.name == "Phường Kinh Bắc"
    assert kinh_bac.unit_name == "Ủy ban nhân dân phường Kinh Bắc"
    assert kinh_bac.unit_code == "XA-09187"
    # Any spelling of the province finds it.
    for name in ("Tỉnh Bắc Ninh", "bac ninh", "BAC NINH", "tinhbacninh", "24"):
        assert adminunits.find_province(name)["provinceShort"] == "Bắc Ninh"


def test_legacy_districts_and_communes():
    districts = adminunits.legacy_districts("Bắc Ninh")
    assert len(districts) == 8
    assert sum(len(d.wards) for d in districts) == 121
    que_vo = next(d for d in districts if d.code == "259")
    assert que_vo.unit_name == "Ủy ban nhân dân thị xã Quế Võ"
    assert que_vo.unit_code == "HUC-259"
    chu = next(w for w in adminunits.legacy_wards("Bắc Ninh") if w.name == "Thị trấn Chờ")
    assert chu.unit_name == "Ủy ban nhân dân thị trấn Chờ" and chu.unit_code == "XAC-09193"
    bac_giang = adminunits.legacy_districts("Bắc Giang")
    assert len(bac_giang) == 10 and sum(len(d.wards) for d in bac_giang) == 192
    # The package spells one district "Thị Xã Việt Yên": names are rebuilt from type + name.
    assert any(d.unit_name == "Ủy ban nhân dân thị xã Việt Yên" for d in bac_giang)


def test_mapping_from_new_communes_to_former_ones():
    mapping = adminunits.ward_mapping("Bắc Ninh")
    assert len(mapping) == 99 and all(mapping.values())
    former = [w.code for ws in mapping.values() for w in ws]
    # Every former commune of Bắc Ninh and Bắc Giang goes into exactly one new one.
    legacy = {w.code for p in ("Bắc Ninh", "Bắc Giang") for w in adminunits.legacy_wards(p)}
    assert len(former) == len(set(former)) == 121 + 192
    assert set(former) == legacy
    assert {w.name for w in mapping["09187"]} == {
        "Phường Kinh Bắc",
        "Phường Tiền Ninh Vệ",
        "Phường Suối Hoa",
        "Phường Hòa Long",
        "Phường Vạn An",
        "Phường Khúc Xuyên",
    }
    assert [p["provinceShort"] for p in adminunits.former_provinces("Bắc Ninh")] == [
        "Bắc Giang",
        "Bắc Ninh",
    ]
    assert adminunits.divided_wards("Bắc Ninh") == {}
    divided = adminunits.divided_wards("Cần Thơ")
    assert divided and all(len(targets) >= 2 for targets in divided.values())


def test_unknown_province():
    with pytest.raises(LookupError, match="Bắc Giang"):
        adminunits.find_province("Bắc Giang")  # merged: only in the list before 2025
    assert adminunits.find_province("Bắc Giang", legacy=True)["provinceCode"] == "24"


@pytest.mark.django_db
def test_import_since_2025_is_idempotent():
    root = make_unit("BN25", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCIAL_PC,
                     valid_from=dt.date(2025, 7, 1), in_dost_remit=False)  # fmt: skip
    result = adminunits.import_admin_units("Bắc Ninh", parent_code="BN25")
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 99
    communes = Unit.objects.filter(parent=root, kind=UnitKind.COMMUNE_PC)
    assert communes.count() == 99
    ward = communes.get(code="XA-09187")
    assert ward.name == "Ủy ban nhân dân phường Kinh Bắc" and ward.admin_code == "09187"
    assert ward.valid_from == dt.date(2025, 7, 1) and ward.province == "Bắc Ninh"

    entries = AuditEntry.objects.count()
    again = adminunits.import_admin_units("Bắc Ninh", parent_code="BN25")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 99)
    assert AuditEntry.objects.count() == entries and Unit.objects.count() == 100


@pytest.mark.django_db
def test_legacy_import_with_districts():
    make_unit("BN", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCIAL_PC, in_dost_remit=False)
    with pytest.raises(ValueError):
        adminunits.import_admin_units("Bắc Ninh", parent_code="BN", legacy=True)
    start = dt.date(2020, 1, 1)
    result = adminunits.import_admin_units(
        "Bắc Ninh", parent_code="BN", legacy=True, valid_from=start
    )
    assert result.ok and result.created == 8 + 121
    district = Unit.objects.get(code="HUC-256")
    assert district.kind == UnitKind.DISTRICT_PC and district.parent.code == "BN"
    assert district.children.count() == 17
    assert Unit.objects.get(code="XAC-09163").parent == district
    again = adminunits.import_admin_units(
        "Bắc Ninh", parent_code="BN", legacy=True, valid_from=start
    )
    assert again.unchanged == 129 and not again.changed


@pytest.mark.django_db
def test_renamed_commune_is_reported_not_overwritten():
    make_unit("BN25", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCIAL_PC,
              valid_from=dt.date(2025, 7, 1))  # fmt: skip
    adminunits.import_admin_units("Bắc Ninh", parent_code="BN25")
    ward = Unit.objects.get(code="XA-09187")
    services.rename_unit(
        None, ward, date=dt.date(2026, 1, 1), legal_basis="Quyết định thử", name="Tên khác"
    )
    with translation.override("en"):
        result = adminunits.import_admin_units("Bắc Ninh", parent_code="BN25")
    assert [(e.code, e.column) for e in result.errors] == [("structural_change", "name")]
    assert "vietnamadminunits" in result.errors[0].file
    assert Unit.objects.get(code="XA-09187").name == "Tên khác"


@pytest.mark.django_db
def test_unknown_parent_is_an_error_and_nothing_is_created():
    result = adminunits.import_admin_units("Bắc Ninh", parent_code="NOWHERE")
    assert result.errors and {e.code for e in result.errors} == {"unknown_parent"}
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_command(capsys):
    make_unit("BN25", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCIAL_PC,
              valid_from=dt.date(2025, 7, 1))  # fmt: skip
    call_command("import_admin_units", "--province", "Bắc Ninh", "--parent", "BN25", "--dry-run")
    assert Unit.objects.count() == 1
    call_command("import_admin_units", "--province", "Bắc Ninh", "--parent", "BN25")
    assert Unit.objects.count() == 100
    call_command("import_admin_units", "--province", "Bắc Ninh", "--list")
    assert "Phường Kinh Bắc" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_admin_units", "--province", "Atlantis", "--parent", "BN25")
    with pytest.raises(CommandError):
        call_command("import_admin_units", "--province", "Bắc Ninh", "--parent", "BN25", "--legacy")
