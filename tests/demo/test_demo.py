"""The demo province: loaded once for the module (inside a transaction rolled back at
the end, so other modules never see it)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from govqms.core.models import AuditEntry
from govqms.core.services_calendar import load_official_overrides
from govqms.demo import province
from govqms.demo.assessments import load_demo_assessments
from govqms.demo.documents import load_demo_documents
from govqms.demo.dossiers import load_demo_dossiers
from govqms.demo.improvement import load_demo_improvement
from govqms.organizations import selectors
from govqms.organizations.models import Membership, Role, Unit, UnitChange, UnitKind, User
from govqms.procedures.demo import load_demo_procedures
from tests.factories import make_unit

REPORT_DAY = dt.date(2022, 12, 31)
EVE = dt.date(2025, 6, 30)
REFORM = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            summary = province.load_demo_province()
            # The documents for a few agencies only (the whole set takes a minute): enough
            # for `load_demo` to find them loaded and change nothing.
            load_demo_documents(units=Unit.objects.filter(code__in=["XA-09187", "BN25-STP"]))
            load_official_overrides()
            load_demo_procedures()
            # The dossiers of the same two agencies: `load_demo` finds them loaded.
            load_demo_dossiers(units=Unit.objects.filter(code__in=["XA-09187", "BN25-STP"]))
            # The improvement loop of the same two agencies: `load_demo` finds it loaded.
            load_demo_improvement(units=Unit.objects.filter(code__in=["XA-09187", "BN25-STP"]))
            # The assessment campaigns (2021, 2022 and this year's): `load_demo` finds them.
            load_demo_assessments()
            yield summary
            transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_refuses_to_load_over_other_data():
    """Runs before the module's demo is loaded (file order)."""
    if Unit.objects.filter(code="BN").exists():
        pytest.skip("the demo is already loaded in this module")
    make_unit("BN", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCIAL_PC)
    with pytest.raises(province.DemoConflict, match="BN"):
        province.load_demo_province()
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert Unit.objects.count() == 1


def in_remit_2022():
    return Unit.objects.active_on(REPORT_DAY).filter(province="Bắc Ninh", in_dost_remit=True)


def test_it_loads(demo):
    # Its time is printed by `load_demo`, not asserted: it depends on the machine's load.
    assert demo.loaded
    assert demo.seconds > 0


def test_166_agencies_in_the_remit_at_the_end_of_2022(demo):
    units = in_remit_2022()
    assert units.count() == 166
    by_kind = {}
    for unit in units:
        by_kind[unit.kind] = by_kind.get(unit.kind, 0) + 1
    assert by_kind == {
        UnitKind.PARTY_OFFICE: 1,
        UnitKind.PROVINCIAL_PC_OFFICE: 1,
        UnitKind.DEPARTMENT: 18,
        UnitKind.DISTRICT_PC: 8,
        UnitKind.SUB_DEPARTMENT: 9,
        UnitKind.COMMUNE_PC: 126,
        UnitKind.VERTICAL_AGENCY: 3,
    }
    assert demo.counts["2022 Bắc Ninh in the DoST's remit"] == 166
    # Outside: the root of the oversight scope, the DoST itself, the eight district offices.
    outside = Unit.objects.active_on(REPORT_DAY).filter(province="Bắc Ninh", in_dost_remit=False)
    assert sorted(outside.values_list("kind", flat=True)) == sorted(
        [UnitKind.PROVINCIAL_PC, UnitKind.DOST] + [UnitKind.DISTRICT_OFFICE] * 8
    )
    root = Unit.objects.get(code="BN")
    assert root.name == "Ủy ban nhân dân tỉnh Bắc Ninh" and root.parent is None
    # Everything in the remit sat under the provincial root in 2022 (paths are today's:
    # units that lived on were moved under the new province in 2025).
    dost = Unit.objects.get(code="BN-SKHCN")
    assert dost.kind == UnitKind.DOST and dost.name == "Sở Khoa học và Công nghệ tỉnh Bắc Ninh"


def test_real_names_of_departments_and_districts(demo):
    departments = set(
        Unit.objects.filter(province="Bắc Ninh", code__startswith="BN-S").values_list(
            "short_name", flat=True
        )
    )
    assert {"Sở Nội vụ", "Sở Tư pháp", "Sở Lao động - Thương binh và Xã hội"} <= departments
    assert Unit.objects.get(code="BN-TTR").name == "Thanh tra tỉnh Bắc Ninh"
    districts = set(
        Unit.objects.filter(province="Bắc Ninh", kind=UnitKind.DISTRICT_PC).values_list(
            "name", flat=True
        )
    )
    assert districts == {
        "Ủy ban nhân dân thành phố Bắc Ninh",
        "Ủy ban nhân dân thành phố Từ Sơn",
        "Ủy ban nhân dân thị xã Quế Võ",
        "Ủy ban nhân dân thị xã Thuận Thành",
        "Ủy ban nhân dân huyện Yên Phong",
        "Ủy ban nhân dân huyện Tiên Du",
        "Ủy ban nhân dân huyện Gia Bình",
        "Ủy ban nhân dân huyện Lương Tài",
    }
    # Each district with its office, outside the remit.
    for district in Unit.objects.filter(province="Bắc Ninh", kind=UnitKind.DISTRICT_PC):
        office = Unit.objects.get(code=f"{district.code}-VP")
        assert office.parent == district and not office.in_dost_remit


def test_bac_giang_is_a_separate_tree_with_its_own_officer(demo):
    bg = Unit.objects.get(code="BG")
    bg_units = Unit.objects.active_on(REPORT_DAY).filter(province="Bắc Giang")
    assert bg_units.filter(kind=UnitKind.COMMUNE_PC).count() == 192
    assert bg_units.filter(kind=UnitKind.DISTRICT_PC).count() == 10
    assert not Unit.objects.get(code="BN").path.startswith(bg.path)
    officer = User.objects.get(username="bg.dost.officer")
    oversight_2022 = Membership.objects.active_on(REPORT_DAY).get(user=officer)
    assert oversight_2022.unit == bg and oversight_2022.role == Role.DOST_OFFICER
    bn_officer = Membership.objects.active_on(REPORT_DAY).get(user__username="dost.officer")
    assert bn_officer.unit.code == "BN"
    # In 2022 the Bắc Ninh officer's scope did not include Bắc Giang.
    assert not bg.path.startswith(bn_officer.unit.path)


def test_the_new_province_on_1_july_2025(demo):
    new_root = Unit.objects.get(code="BN25")
    assert new_root.valid_from == REFORM and new_root.kind == UnitKind.PROVINCIAL_PC
    after = Unit.objects.active_on(REFORM).filter(path__startswith=new_root.path)
    communes = after.filter(kind=UnitKind.COMMUNE_PC)
    assert communes.count() == 99
    assert set(communes.values_list("parent_id", flat=True)) == {new_root.pk}
    assert after.filter(kind=UnitKind.DEPARTMENT).count() == 18
    assert after.filter(kind=UnitKind.DOST).count() == 1
    assert after.filter(kind=UnitKind.SUB_DEPARTMENT).count() == 9
    assert not Unit.objects.active_on(REFORM).filter(kind=UnitKind.DISTRICT_PC).exists()
    assert not Unit.objects.active_on(REFORM).filter(kind=UnitKind.DISTRICT_OFFICE).exists()
    for code in ("BN", "BG"):
        assert Unit.objects.get(code=code).valid_to == EVE
    # Every former commune ended the day before, through a merge with its legal basis.
    former = Unit.objects.filter(kind=UnitKind.COMMUNE_PC, code__startswith="XAC-")
    assert former.count() == 121 + 192 + 5
    assert not former.filter(valid_to=None).exists()
    merges_2025 = UnitChange.objects.filter(date=REFORM, kind="merge")
    assert merges_2025.filter(legal_basis="Nghị quyết 1658/NQ-UBTVQH15").count() == 99
    assert merges_2025.filter(legal_basis="Nghị quyết 202/2025/QH15").count() == 1 + 2 + 19
    assert UnitChange.objects.filter(date=REFORM, kind="dissolve").count() == 2 * (8 + 10)


def test_a_merged_commune_shows_its_lineage(demo):
    kinh_bac = Unit.objects.get(code="XA-09187")
    assert kinh_bac.name == "Ủy ban nhân dân phường Kinh Bắc"
    lineage = selectors.lineage(kinh_bac)
    change, sources = lineage["came_from"][0]
    assert change.legal_basis == "Nghị quyết 1658/NQ-UBTVQH15" and change.date == REFORM
    assert {u.code for u in sources} == {
        "XAC-09172", "XAC-09184", "XAC-09187", "XAC-09214", "XAC-09226", "XAC-09235"
    }  # fmt: skip
    # Tiền Ninh Vệ had taken in two illustrative wards on 1 January 2025.
    tien_ninh_ve = Unit.objects.get(code="XAC-09184")
    came = selectors.lineage(tien_ninh_ve)["came_from"]
    assert came[0][0].legal_basis == "Nghị quyết 1318/NQ-UBTVQH15 (minh họa)"
    assert {u.code for c, units in came for u in units} == {"XAC-MH01", "XAC-MH02"}
    assert [
        u.code for _c, units in selectors.lineage(tien_ninh_ve)["went_into"] for u in units
    ] == ["XA-09187"]


def test_memberships_are_carried_over(demo):
    today = dt.date.today()
    secretary = Membership.objects.active_on(today).get(user__username="xa.secretary")
    assert secretary.unit.code == "XA-09187" and secretary.role == Role.ISO_SECRETARY
    assert secretary.carried_from.unit.code == "XAC-09184"
    assert secretary.carried_from.valid_to == EVE and secretary.valid_from == REFORM
    head = Membership.objects.active_on(today).get(user__username="so.head")
    assert head.unit.code == "BN25-STP" and head.carried_from.unit.code == "BN-STP"
    # People of an illustrative ward: carried twice, Tiền An -> Tiền Ninh Vệ -> Kinh Bắc.
    # Its head became a deputy (steering committee member) before the merge.
    old = Membership.objects.filter(unit__code="XAC-MH01", role=Role.STEERING_MEMBER).get()
    step1 = old.carried_to.get()
    step2 = step1.carried_to.get()
    assert (step1.unit.code, step2.unit.code) == ("XAC-09184", "XA-09187")
    # The DoST now supervises the whole new province, Bắc Giang's former communes included.
    admin = User.objects.get(username="dost.admin")
    assert [u.code for u in selectors.oversight_roots(admin)] == ["BN25"]
    supervised = selectors.supervised_units(admin, kind=UnitKind.COMMUNE_PC)
    assert supervised.count() == 99
    bg_officer = User.objects.get(username="bg.dost.officer")
    assert [u.code for u in selectors.oversight_roots(bg_officer)] == ["BN25"]


def test_each_merged_unit_has_one_head(demo):
    today = dt.date.today()
    heads = (
        Membership.objects.active_on(today)
        .filter(role=Role.HEAD, unit__valid_to=None)
        .values_list("unit__code", flat=True)
    )
    counts = {}
    for code in heads:
        counts[code] = counts.get(code, 0) + 1
    assert counts and max(counts.values()) == 1, {c: n for c, n in counts.items() if n > 1}
    assert counts.get("XA-09187") == 1 and counts.get("BN25-STP") == 1


def test_people_everywhere_in_the_remit(demo):
    units = list(in_remit_2022())
    memberships = Membership.objects.active_on(REPORT_DAY).filter(unit__in=units)
    roles_by_unit = {}
    for unit_id, role in memberships.values_list("unit_id", "role"):
        roles_by_unit.setdefault(unit_id, []).append(role)
    for unit in units:
        roles = roles_by_unit.get(unit.pk, [])
        assert Role.HEAD in roles and Role.ISO_SECRETARY in roles, unit
        assert roles.count(Role.STAFF) >= 2, unit
    all_roles = set(memberships.values_list("role", flat=True))
    assert all_roles == {r for r in Role.values if not r.startswith("dost_")}
    names = list(User.objects.values_list("full_name", flat=True))
    assert all(len(n.split()) >= 3 for n in names)
    vietnamese = re.compile(
        r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]"
    )
    assert sum(bool(vietnamese.search(n.lower())) for n in names) > 0.9 * len(names)


def test_every_role_has_a_demo_account(demo):
    roles = {a.role for a in province.DEMO_ACCOUNTS}
    assert roles == set(Role.values)
    rows = province.account_rows()
    assert {r["username"] for r in rows} == {a.username for a in province.DEMO_ACCOUNTS}
    for account in province.DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(province.DEMO_PASSWORD)
        assert Membership.objects.active_on().filter(user=user, role=account.role).exists()
    commune_rows = [r for r in rows if r["username"].startswith("xa.")]
    assert all(r["unit_code"] == "XA-09187" for r in commune_rows)
    assert all("XAC-09184" in r["carried_from"] for r in commune_rows)


def test_running_it_again_changes_nothing(demo):
    before = (
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        UnitChange.objects.count(),
        AuditEntry.objects.count(),
    )
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    after = (
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        UnitChange.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before
    text = out.getvalue()
    assert "already loaded" in text
    assert "xa.secretary" in text and province.DEMO_PASSWORD in text
    assert province.load_demo_province().loaded is False


def test_the_audit_trail_verifies(demo):
    out = io.StringIO()
    call_command("verify-audit-trail", stdout=out)  # raises CommandError when broken
    assert str(AuditEntry.objects.count()) in out.getvalue()
    assert AuditEntry.objects.filter(action="restructure_merge").exists()
