"""The demo province: Bắc Ninh as the provincial press report of December 2022
describes it, Bắc Giang beside it, and their merger on 1 July 2025.

On 31 December 2022 the DoST of Bắc Ninh supervises 166 agencies:

    Văn phòng Tỉnh ủy (party_office)                              1
    Văn phòng Ủy ban nhân dân tỉnh (provincial_pc_office)         1
    departments (sở, ban, ngành), the DoST itself excluded       18
    district / town / city People's Committees (district_pc)      8
    sub-departments (chi cục) under their departments             9
    commune / ward / town People's Committees (commune_pc)      126
    vertical agencies (tax, treasury, market management)          3

outside its remit: the provincial People's Committee (the root of its oversight
scope), the DoST (kind `dost`) and the eight district offices.

The communes are the official list before 1 July 2025 from the package
`vietnamadminunits` (121, with their official codes) plus five illustrative
communes (`ILLUSTRATIVE_COMMUNES`): the package's list is the one of mid-2025,
after some communes were merged on 1 January 2025, so five are added back as
they might have been and merged into their neighbours on 1 January 2025 under
"Nghị quyết 1318/NQ-UBTVQH15 (minh họa)". Their names are plausible, not a
statement about the real resolution.

Bắc Giang has its own tree (People's Committee, offices, departments, districts
and the package's 192 communes), its own DoST officer, and is outside the
oversight scope of Bắc Ninh's DoST until the merger.

On 1 July 2025 everything changes through the restructuring services only
(merge_units, dissolve_unit): the two provincial People's Committees merge into
the new Ủy ban nhân dân tỉnh Bắc Ninh (Nghị quyết 202/2025/QH15), their matching
offices and departments merge, the districts and their offices are dissolved
(Nghị quyết 203/2025/QH15), and the 313 former communes merge into the 99 new
communes and wards along the package's mapping (Nghị quyết 1658/NQ-UBTVQH15).
People's roles are carried over by the services, with a link to the role they
came from.

People are generated deterministically (seeded) from lists of Vietnamese
family, middle and given names. The demo accounts (`DEMO_ACCOUNTS`, password
`DEMO_PASSWORD`) cover every role.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from govqms.core.models import AuditEntry
from govqms.core.text import fold
from govqms.organizations import adminunits, services
from govqms.organizations.models import (
    Membership,
    Role,
    Unit,
    UnitChange,
    UnitKind,
    User,
)

DEMO_PASSWORD = "govqms-demo-2026"
SEED = 2022

START = dt.date(2020, 1, 1)
REPORT_DAY = dt.date(2022, 12, 31)
JAN_2025 = dt.date(2025, 1, 1)
REFORM = dt.date(2025, 7, 1)

BASIS_2025_01 = "Nghị quyết 1318/NQ-UBTVQH15 (minh họa)"
BASIS_PROVINCES = "Nghị quyết 202/2025/QH15"
BASIS_DISTRICTS = "Nghị quyết 203/2025/QH15"
BASIS_COMMUNES = "Nghị quyết 1658/NQ-UBTVQH15"

BN, BG, NEW = "BN", "BG", "BN25"  # codes of the three provincial People's Committees
EMAIL_DOMAIN = "demo.invalid"  # reserved: mail to the demo people goes nowhere

# (code suffix, name, English name, kind, title of the head)
DEPARTMENTS = [
    ("SNV", "Sở Nội vụ", "Department of Home Affairs", UnitKind.DEPARTMENT, "Giám đốc Sở"),
    ("STP", "Sở Tư pháp", "Department of Justice", UnitKind.DEPARTMENT, "Giám đốc Sở"),
    (
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        "Department of Planning and Investment",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    ("STC", "Sở Tài chính", "Department of Finance", UnitKind.DEPARTMENT, "Giám đốc Sở"),
    (
        "SCT",
        "Sở Công Thương",
        "Department of Industry and Trade",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    (
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Department of Agriculture and Rural Development",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    (
        "SGTVT",
        "Sở Giao thông vận tải",
        "Department of Transport",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    ("SXD", "Sở Xây dựng", "Department of Construction", UnitKind.DEPARTMENT, "Giám đốc Sở"),
    (
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        "Department of Natural Resources and Environment",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    (
        "STTTT",
        "Sở Thông tin và Truyền thông",
        "Department of Information and Communications",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    (
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        "Department of Labour, Invalids and Social Affairs",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    (
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        "Department of Science and Technology",
        UnitKind.DOST,
        "Giám đốc Sở",
    ),
    (
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        "Department of Education and Training",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
    ),
    ("SYT", "Sở Y tế", "Department of Health", UnitKind.DEPARTMENT, "Giám đốc Sở"),
    ("TTR", "Thanh tra", "Provincial Inspectorate", UnitKind.DEPARTMENT, "Chánh Thanh tra tỉnh"),
    (
        "BQLKCN",
        "Ban Quản lý các khu công nghiệp",
        "Industrial Zones Management Board",
        UnitKind.DEPARTMENT,
        "Trưởng ban",
    ),
    ("SNGV", "Sở Ngoại vụ", "Department of Foreign Affairs", UnitKind.DEPARTMENT, "Giám đốc Sở"),
    ("BDT", "Ban Dân tộc", "Ethnic Minorities Committee", UnitKind.DEPARTMENT, "Trưởng ban"),
]
DOST_SUFFIX = "SKHCN"

# (code suffix, name, English name, kind, title of the head)
OFFICES = [
    ("VPTU", "Văn phòng Tỉnh ủy", "Office of the Provincial Party Committee", UnitKind.PARTY_OFFICE,
     "Chánh Văn phòng Tỉnh ủy"),
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", "Office of the Provincial People's Committee",
     UnitKind.PROVINCIAL_PC_OFFICE, "Chánh Văn phòng UBND tỉnh"),
]  # fmt: skip

# (department suffix, code suffix, name): Bắc Ninh's nine sub-departments.
SUB_DEPARTMENTS = [
    ("SNNPTNT", "TL", "Chi cục Thủy lợi"),
    ("SNNPTNT", "TTBVTV", "Chi cục Trồng trọt và Bảo vệ thực vật"),
    ("SNNPTNT", "CNTY", "Chi cục Chăn nuôi và Thú y"),
    ("SYT", "DSKHHGD", "Chi cục Dân số - Kế hoạch hóa gia đình"),
    ("SYT", "ATVSTP", "Chi cục An toàn vệ sinh thực phẩm"),
    ("SNV", "VTLT", "Chi cục Văn thư - Lưu trữ"),
    ("SNV", "TDKT", "Ban Thi đua - Khen thưởng"),
    ("STNMT", "BVMT", "Chi cục Bảo vệ môi trường"),
    ("SXD", "GDXD", "Chi cục Giám định xây dựng"),
]

# (code suffix, name, title of the head)
VERTICAL_AGENCIES = [
    ("CTHUE", "Cục Thuế tỉnh Bắc Ninh", "Cục trưởng"),
    ("KBNN", "Kho bạc Nhà nước tỉnh Bắc Ninh", "Giám đốc"),
    ("QLTT", "Cục Quản lý thị trường tỉnh Bắc Ninh", "Cục trưởng"),
]

# Five illustrative communes of 2022, merged into a neighbour (official code of the
# neighbour) on 1 January 2025: (code, type, name, district code, neighbour code).
ILLUSTRATIVE_COMMUNES = [
    ("XAC-MH01", "Phường", "Tiền An", "256", "09184"),
    ("XAC-MH02", "Phường", "Vệ An", "256", "09184"),
    ("XAC-MH03", "Xã", "Hán Quảng", "259", "09313"),
    ("XAC-MH04", "Xã", "Mỹ Hương", "264", "09523"),
    ("XAC-MH05", "Xã", "Lai Hạ", "264", "09529"),
]

# The commune of the demo commune accounts: Phường Tiền Ninh Vệ (which took in
# Tiền An and Vệ An on 1 January 2025), merged into the new Phường Kinh Bắc on
# 1 July 2025. The second commune (tenancy checks): Phường Vũ Ninh, then the new
# Phường Vũ Ninh.
DEMO_COMMUNE = "09184"
DEMO_COMMUNE_2 = "09163"
DEMO_DEPARTMENT = "STP"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    where: str  # "root", "bg_root", "department", "commune", "commune2"
    title: str


DEMO_ACCOUNTS = [
    DemoAccount("dost.admin", "Ngô Thị Thu Hà", Role.DOST_ADMIN, "root",
                "Trưởng phòng Quản lý Tiêu chuẩn Đo lường Chất lượng, Sở KH&CN"),
    DemoAccount("dost.officer", "Phạm Minh Đức", Role.DOST_OFFICER, "root",
                "Chuyên viên Sở KH&CN"),
    DemoAccount("bg.dost.officer", "Thân Văn Quyết", Role.DOST_OFFICER, "bg_root",
                "Chuyên viên Sở KH&CN tỉnh Bắc Giang"),
    DemoAccount("so.head", "Nguyễn Văn Hùng", Role.HEAD, "department", "Giám đốc Sở"),
    DemoAccount("so.secretary", "Trần Thị Lan", Role.ISO_SECRETARY, "department",
                "Chuyên viên Văn phòng Sở, thư ký ISO"),
    DemoAccount("so.staff", "Lê Minh Tuấn", Role.STAFF, "department", "Chuyên viên"),
    DemoAccount("so.process_owner", "Đỗ Thị Hồng Nhung", Role.PROCESS_OWNER, "department",
                "Trưởng phòng Hành chính tư pháp"),
    DemoAccount("so.steering", "Vũ Đức Thắng", Role.STEERING_MEMBER, "department",
                "Phó Giám đốc Sở, thành viên Ban chỉ đạo ISO"),
    DemoAccount("so.auditor", "Bùi Thị Thanh Huyền", Role.INTERNAL_AUDITOR, "department",
                "Chuyên viên, chuyên gia đánh giá nội bộ"),
    DemoAccount("xa.head", "Nguyễn Hữu Nghĩa", Role.HEAD, "commune", "Chủ tịch UBND phường"),
    DemoAccount("xa.secretary", "Trần Thị Thu Trang", Role.ISO_SECRETARY, "commune",
                "Công chức Văn phòng - Thống kê, thư ký ISO"),
    DemoAccount("xa.staff", "Đặng Văn Long", Role.STAFF, "commune",
                "Công chức Tư pháp - Hộ tịch"),
    DemoAccount("xa2.secretary", "Phạm Thị Ngọc Ánh", Role.ISO_SECRETARY, "commune2",
                "Công chức Văn phòng - Thống kê, thư ký ISO"),
]  # fmt: skip


def agency_name(suffix: str, name: str, province: str) -> str:
    """ "Sở Nội vụ tỉnh Bắc Ninh", "Văn phòng Tỉnh ủy Bắc Ninh", "Thanh tra tỉnh Bắc Ninh"."""
    if suffix in {s for s, *_rest in OFFICES}:
        return f"{name} {province}"
    return f"{name} tỉnh {province}"


def short_name(suffix: str, name: str) -> str:
    return "Thanh tra tỉnh" if suffix == "TTR" else name


ACCOUNT_TITLES = {a.username: a.title for a in DEMO_ACCOUNTS}

# ---------------------------------------------------------------- names

FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
    ("Phan", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Ngô", 2), ("Dương", 1), ("Đào", 1),
    ("Đinh", 1), ("Trịnh", 1), ("Lương", 1), ("Nghiêm", 1), ("Thân", 1), ("Chu", 1),
    ("Tạ", 1), ("Mai", 1), ("Hà", 1), ("Lý", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh", "Tiến",
               "Mạnh", "Ngọc", "Duy", "Trọng"]  # fmt: skip
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Hồng",
                 "Thùy", "Kim", "Bích", "Diệu"]  # fmt: skip
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Huy",
              "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Thành", "Toàn",
              "Trung", "Tuấn", "Việt", "Vinh", "Hoàng", "Kiên", "Lâm", "Nghĩa", "Tâm", "Khôi",
              "Quyết", "Thịnh", "Tùng"]  # fmt: skip
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương",
                "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung",
                "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Hiền", "Oanh",
                "Thúy", "Duyên"]  # fmt: skip


class _People:
    """Deterministic Vietnamese names and user names ("anhnt", "anhnt2", ...)."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.families = [name for name, _w in FAMILY_NAMES]
        self.weights = [w for _n, w in FAMILY_NAMES]
        self.taken: set[str] = set(User.objects.values_list("username", flat=True))

    def full_name(self) -> str:
        family = self.rng.choices(self.families, self.weights)[0]
        if self.rng.random() < 0.5:
            middle, given = self.rng.choice(MIDDLE_FEMALE), self.rng.choice(GIVEN_FEMALE)
        else:
            middle, given = self.rng.choice(MIDDLE_MALE), self.rng.choice(GIVEN_MALE)
        return f"{family} {middle} {given}"

    def username(self, full_name: str) -> str:
        words = fold(full_name).split()
        base = words[-1] + "".join(w[0] for w in words[:-1])
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}{n}"
        self.taken.add(name)
        return name

    def create(self, full_name: str | None = None, username: str | None = None, password=None):
        full_name = full_name or self.full_name()
        username = username or self.username(full_name)
        self.taken.add(username)
        return services.create_user(
            None,
            username=username,
            full_name=full_name,
            email=f"{username}@{EMAIL_DOMAIN}",
            password=password,
        )


# ---------------------------------------------------------------- building


@dataclass
class DemoSummary:
    loaded: bool  # False when the demo was already there
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[dict] = field(default_factory=list)


class DemoConflict(Exception):
    """The database holds other data under the demo's codes."""


def is_loaded() -> bool:
    return (
        Unit.objects.filter(code=NEW).exists()
        and User.objects.filter(username=DEMO_ACCOUNTS[0].username).exists()
    )


class _Builder:
    def __init__(self):
        self.people = _People()
        self.units: dict[str, Unit] = {}
        self.staffed: list[tuple[Unit, str]] = []  # (unit, profile) to staff on START
        self.reserved: dict[str, dict[str, User]] = {}  # unit code -> role -> demo user

    # -- units

    def unit(self, code, name, kind, parent=None, *, staff=None, **fields) -> Unit:
        fields.setdefault("valid_from", START)
        unit = services.create_unit(None, code=code, name=name, kind=kind, parent=parent, **fields)
        self.units[code] = unit
        if staff:
            self.staffed.append((unit, staff))
        return unit

    def province_tree(self, prefix: str, province: str, admin_code: str, *, with_extras: bool):
        root = self.unit(
            prefix,
            adminunits.province_unit_name("Tỉnh", province),
            UnitKind.PROVINCIAL_PC,
            province=province,
            admin_code=admin_code,
            in_dost_remit=False,
            short_name=f"UBND tỉnh {province}",
            name_en=f"{province} Provincial People's Committee",
        )
        for suffix, name, name_en, kind, _title in OFFICES:
            self.unit(
                f"{prefix}-{suffix}",
                agency_name(suffix, name, province),
                kind,
                root,
                province=province,
                short_name=name,
                name_en=name_en,
                staff="office",
            )
        for suffix, name, name_en, kind, _title in DEPARTMENTS:
            self.unit(
                f"{prefix}-{suffix}",
                agency_name(suffix, name, province),
                kind,
                root,
                province=province,
                short_name=short_name(suffix, name),
                name_en=name_en,
                in_dost_remit=kind != UnitKind.DOST,
                staff=None if kind == UnitKind.DOST else "department",
            )
        if with_extras:
            for dept, suffix, name in SUB_DEPARTMENTS:
                self.unit(
                    f"{prefix}-{dept}-{suffix}",
                    name,
                    UnitKind.SUB_DEPARTMENT,
                    self.units[f"{prefix}-{dept}"],
                    province=province,
                    staff="sub_department",
                )
            for suffix, name, _title in VERTICAL_AGENCIES:
                self.unit(
                    f"{prefix}-{suffix}",
                    name,
                    UnitKind.VERTICAL_AGENCY,
                    root,
                    province=province,
                    staff="vertical",
                )
        for district in adminunits.legacy_districts(province):
            d_unit = self.unit(
                district.unit_code,
                district.unit_name,
                UnitKind.DISTRICT_PC,
                root,
                province=province,
                admin_code=district.code,
                short_name=district.name,
                staff="district",
            )
            self.unit(
                f"{district.unit_code}-VP",
                f"Văn phòng HĐND và UBND {district.district_type.lower()} {district.short_name}",
                UnitKind.DISTRICT_OFFICE,
                d_unit,
                province=province,
                short_name="Văn phòng HĐND và UBND",
                in_dost_remit=False,
            )
            for ward in district.wards:
                self.unit(
                    ward.unit_code,
                    ward.unit_name,
                    UnitKind.COMMUNE_PC,
                    d_unit,
                    province=province,
                    admin_code=ward.code,
                    short_name=ward.name,
                    staff="commune",
                )
            if with_extras:
                for code, ward_type, name, district_code, _n in ILLUSTRATIVE_COMMUNES:
                    if district_code == district.code:
                        self.unit(
                            code,
                            adminunits.commune_unit_name(ward_type, name),
                            UnitKind.COMMUNE_PC,
                            d_unit,
                            province=province,
                            short_name=f"{ward_type} {name}",
                            staff="commune",
                        )
        return root

    # -- people

    TITLES = {
        "office": ("Chánh Văn phòng", "Chuyên viên, thư ký ISO", "Chuyên viên"),
        "department": ("Giám đốc Sở", "Chuyên viên Văn phòng Sở, thư ký ISO", "Chuyên viên"),
        "sub_department": ("Chi cục trưởng", "Chuyên viên, thư ký ISO", "Chuyên viên"),
        "vertical": ("Cục trưởng", "Chuyên viên, thư ký ISO", "Chuyên viên"),
        "district": ("Chủ tịch UBND", "Chuyên viên Văn phòng HĐND và UBND, thư ký ISO",
                     "Chuyên viên"),
        "commune": ("Chủ tịch UBND", "Công chức Văn phòng - Thống kê, thư ký ISO",
                    "Công chức"),
    }  # fmt: skip
    COMMUNE_STAFF = [
        "Công chức Tư pháp - Hộ tịch",
        "Công chức Địa chính - Xây dựng",
        "Công chức Văn hóa - Xã hội",
        "Công chức Tài chính - Kế toán",
    ]

    def member(self, user, unit, role, title, valid_from=START):
        return services.add_membership(
            None, user=user, unit=unit, role=role, title=title, valid_from=valid_from
        )

    def head_title(self, unit: Unit, profile: str) -> str:
        for suffix, _n, _e, _k, title in DEPARTMENTS + OFFICES:
            if unit.code.endswith(f"-{suffix}"):
                return title
        for suffix, _n, title in VERTICAL_AGENCIES:
            if unit.code.endswith(f"-{suffix}"):
                return title
        if unit.name.startswith("Ban "):
            return "Trưởng ban"
        head = self.TITLES[profile][0]
        if profile in ("district", "commune"):
            short = (unit.short_name or "").lower()
            for word in ("thị trấn", "thị xã", "thành phố", "phường", "xã", "huyện", "quận"):
                if short.startswith(word + " "):
                    return f"{head} {word}"
        return head

    def staff_unit(self, unit: Unit, profile: str, index: int, province_rich: bool) -> None:
        """A head and an ISO secretary everywhere; in Bắc Ninh also staff, and in some
        agencies process owners, steering members and internal auditors. A demo
        account reserved for a role here takes the place of a generated person."""
        reserved = self.reserved.pop(unit.code, {})
        titles = self.TITLES[profile]

        def assign(role, title):
            user = reserved.pop(role, None)
            if user is not None:
                title = ACCOUNT_TITLES[user.username]
            else:
                user = self.people.create()
            self.member(user, unit, role, title)

        assign(Role.HEAD, self.head_title(unit, profile))
        assign(Role.ISO_SECRETARY, titles[1])
        if province_rich:
            staff_count = 3 if profile in ("department", "district") else 2
            for n in range(staff_count):
                commune_title = self.COMMUNE_STAFF[(index + n) % len(self.COMMUNE_STAFF)]
                assign(Role.STAFF, commune_title if profile == "commune" else titles[2])
            if profile == "department":
                assign(Role.PROCESS_OWNER, "Trưởng phòng chuyên môn")
                assign(Role.PROCESS_OWNER, "Trưởng phòng chuyên môn")
                assign(Role.STEERING_MEMBER, "Phó Giám đốc Sở")
                assign(Role.INTERNAL_AUDITOR, "Chuyên viên, chuyên gia đánh giá nội bộ")
            elif profile != "commune" or index % 4 == 0:
                local = profile in ("district", "commune")
                assign(Role.PROCESS_OWNER, "Phó Chủ tịch UBND" if local else "Trưởng phòng")
                if profile == "district" or self.people.rng.random() < 0.3:
                    assign(Role.INTERNAL_AUDITOR, "Chuyên gia đánh giá nội bộ")
        # Demo accounts of roles this profile does not generate.
        for role, user in reserved.items():
            self.member(user, unit, role, ACCOUNT_TITLES[user.username])

    def create_demo_accounts(self) -> dict[str, User]:
        users = {}
        for account in DEMO_ACCOUNTS:
            users[account.username] = self.people.create(
                account.full_name, account.username, password=DEMO_PASSWORD
            )
        places = {
            "department": f"{BN}-{DEMO_DEPARTMENT}",
            "commune": adminunits.commune_code(DEMO_COMMUNE, legacy=True),
            "commune2": adminunits.commune_code(DEMO_COMMUNE_2, legacy=True),
        }
        for account in DEMO_ACCOUNTS:
            user = users[account.username]
            if account.where in places:
                self.reserved.setdefault(places[account.where], {})[account.role] = user
            else:
                root = self.units[BN if account.where == "root" else BG]
                self.member(user, root, account.role, account.title)
        return users

    def staff_everyone(self) -> None:
        # Bắc Ninh's DoST: two more officers besides the demo accounts.
        for _n in range(2):
            self.member(
                self.people.create(), self.units[BN], Role.DOST_OFFICER, "Chuyên viên Sở KH&CN"
            )
        for index, (unit, profile) in enumerate(self.staffed):
            self.staff_unit(unit, profile, index, province_rich=unit.province == "Bắc Ninh")

    # -- restructuring

    def one_head_for(self, sources: list[Unit], date: dt.date) -> None:
        """Before a merge: keep one head (a demo account's if there is one), and make
        the heads of the other merged units deputies, so the merged unit carries one
        head and several deputies over, as a real reorganisation would."""
        eve = date - dt.timedelta(days=1)
        heads = list(
            Membership.objects.active_on(eve)
            .filter(unit__in=sources, role=Role.HEAD)
            .select_related("user", "unit")
            .order_by("pk")
        )
        if len(heads) < 2:
            return
        demo = [h for h in heads if h.user.username in ACCOUNT_TITLES]
        keep = demo[0] if demo else heads[0]
        for head in heads:
            if head.pk == keep.pk:
                continue
            services.end_membership(None, head, valid_to=eve - dt.timedelta(days=1))
            services.add_membership(
                None,
                user=head.user,
                unit=head.unit,
                role=Role.STEERING_MEMBER,
                title=head.title.replace("Chủ tịch", "Phó Chủ tịch").replace(
                    "Giám đốc", "Phó Giám đốc"
                ),
                valid_from=eve,
            )

    def merge_illustrative(self) -> None:
        for code, _t, _name, _d, neighbour in ILLUSTRATIVE_COMMUNES:
            target = self.units[adminunits.commune_code(neighbour, legacy=True)]
            self.one_head_for([target, self.units[code]], JAN_2025)
            services.merge_units(
                None,
                [self.units[code], target],
                date=JAN_2025,
                legal_basis=BASIS_2025_01,
                into=target,
                note="Minh họa: sáp nhập đơn vị hành chính cấp xã giai đoạn 2023-2025.",
            )

    def reform_2025(self) -> None:
        bn, bg = self.units[BN], self.units[BG]
        services.merge_units(
            None,
            [bn, bg],
            date=REFORM,
            legal_basis=BASIS_PROVINCES,
            into={
                "code": NEW,
                "name": adminunits.province_unit_name("Tỉnh", "Bắc Ninh"),
                "kind": UnitKind.PROVINCIAL_PC,
                "province": "Bắc Ninh",
                "admin_code": "24",
                "in_dost_remit": False,
                "short_name": "UBND tỉnh Bắc Ninh",
                "name_en": "Bắc Ninh Provincial People's Committee",
                "parent": None,
            },
            note="Hợp nhất tỉnh Bắc Giang và tỉnh Bắc Ninh thành tỉnh Bắc Ninh.",
        )
        new_root = Unit.objects.get(code=NEW)
        self.units[NEW] = new_root
        for suffix, name, name_en, kind, _title in OFFICES + DEPARTMENTS:
            pair = [
                Unit.objects.get(code=f"{BN}-{suffix}"),
                Unit.objects.get(code=f"{BG}-{suffix}"),
            ]
            self.one_head_for(pair, REFORM)
            services.merge_units(
                None,
                pair,
                date=REFORM,
                legal_basis=BASIS_PROVINCES,
                into={
                    "code": f"{NEW}-{suffix}",
                    "name": agency_name(suffix, name, "Bắc Ninh"),
                    "kind": kind,
                    "province": "Bắc Ninh",
                    "short_name": short_name(suffix, name),
                    "name_en": name_en,
                    "in_dost_remit": kind != UnitKind.DOST,
                    "parent": new_root,
                },
            )
        legacy = {
            u.code: u
            for u in Unit.objects.filter(
                kind=UnitKind.COMMUNE_PC, code__startswith="XAC-"
            ).active_on(REFORM - dt.timedelta(days=1))
        }
        wards = {w.code: w for w in adminunits.province_wards("Bắc Ninh")}
        for new_code, former in adminunits.ward_mapping("Bắc Ninh").items():
            ward = wards[new_code]
            sources = [legacy[w.unit_code] for w in former]
            self.one_head_for(sources, REFORM)
            services.merge_units(
                None,
                sources,
                date=REFORM,
                legal_basis=BASIS_COMMUNES,
                into={
                    "code": ward.unit_code,
                    "name": ward.unit_name,
                    "kind": UnitKind.COMMUNE_PC,
                    "province": "Bắc Ninh",
                    "admin_code": ward.code,
                    "short_name": ward.name,
                    "in_dost_remit": True,
                    "parent": new_root,
                },
            )
        districts = Unit.objects.filter(kind=UnitKind.DISTRICT_PC).active_on(REFORM)
        for district in districts.filter(parent=new_root).order_by("code"):
            for office in district.children.filter(kind=UnitKind.DISTRICT_OFFICE).active_on(REFORM):
                services.dissolve_unit(None, office, date=REFORM, legal_basis=BASIS_DISTRICTS)
            services.dissolve_unit(
                None,
                district,
                date=REFORM,
                legal_basis=BASIS_DISTRICTS,
                note="Kết thúc hoạt động của đơn vị hành chính cấp huyện.",
            )


# ---------------------------------------------------------------- counting


def measure() -> dict[str, int]:
    """The figures the demo is checked against (also printed by `load_demo`)."""
    before = Unit.objects.active_on(REPORT_DAY)
    remit_2022 = before.filter(province="Bắc Ninh", in_dost_remit=True)
    counts: dict[str, int] = {"units": Unit.objects.count()}
    counts["2022 Bắc Ninh in the DoST's remit"] = remit_2022.count()
    for row in remit_2022.values("kind").annotate(n=Count("pk")).order_by("kind"):
        counts[f"2022 Bắc Ninh in remit: {row['kind']}"] = row["n"]
    counts["2022 Bắc Ninh outside the remit"] = before.filter(
        province="Bắc Ninh", in_dost_remit=False
    ).count()
    counts["2022 Bắc Giang agencies"] = before.filter(province="Bắc Giang").count()
    counts["2022 Bắc Giang communes"] = before.filter(
        province="Bắc Giang", kind=UnitKind.COMMUNE_PC
    ).count()
    new_root = Unit.objects.filter(code=NEW).first()
    if new_root:
        after = Unit.objects.active_on(REFORM).filter(path__startswith=new_root.path)
        counts["2025-07-01 new Bắc Ninh agencies"] = after.count()
        counts["2025-07-01 new Bắc Ninh in remit"] = after.filter(in_dost_remit=True).count()
        for row in after.values("kind").annotate(n=Count("pk")).order_by("kind"):
            counts[f"2025-07-01 new Bắc Ninh: {row['kind']}"] = row["n"]
        counts["2025-07-01 district units still active"] = (
            Unit.objects.active_on(REFORM).filter(kind=UnitKind.DISTRICT_PC).count()
        )
    for row in UnitChange.objects.values("kind").annotate(n=Count("pk")).order_by("kind"):
        counts[f"restructurings: {row['kind']}"] = row["n"]
    counts["users"] = User.objects.count()
    counts["memberships"] = Membership.objects.count()
    counts["memberships active today"] = Membership.objects.active_on().count()
    counts["memberships carried over"] = Membership.objects.exclude(carried_from=None).count()
    counts["audit entries"] = AuditEntry.objects.count()
    return counts


def account_rows() -> list[dict]:
    """The demo accounts with their current roles (for the table `load_demo` prints)."""
    today = timezone.localdate()
    users = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    }
    rows = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        memberships = (
            Membership.objects.active_on(today)
            .filter(user=user)
            .select_related("unit", "carried_from__unit")
        )
        for m in memberships:
            rows.append(
                {
                    "username": user.username,
                    "password": DEMO_PASSWORD,
                    "full_name": user.full_name,
                    "role": m.role,
                    "unit": f"{m.unit.name} ({m.unit.code})",
                    "unit_code": m.unit.code,
                    "carried_from": (
                        f"{m.carried_from.unit.name} ({m.carried_from.unit.code})"
                        if m.carried_from
                        else ""
                    ),
                }
            )
    return rows


def print_accounts(stdout) -> None:
    rows = account_rows()
    headers = ("username", "password", "role", "full name", "agency (today)", "carried over from")
    data = [
        (r["username"], r["password"], r["role"], r["full_name"], r["unit"], r["carried_from"])
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *data, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    stdout.write(line.rstrip() + "\n")
    stdout.write("  ".join("-" * w for w in widths) + "\n")
    for row in data:
        cells = "  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True))
        stdout.write(cells.rstrip() + "\n")


def load_demo_province(stdout=None) -> DemoSummary:
    """Load the demo (once): nothing happens when it is already there. Returns the
    counts and the demo accounts; writes progress to `stdout` if given."""

    def say(text):
        if stdout is not None:
            stdout.write(text + "\n")

    if is_loaded():
        return DemoSummary(loaded=False, counts=measure(), accounts=account_rows())
    taken = list(Unit.objects.filter(code__in=[BN, BG, NEW]).values_list("code", flat=True))
    taken += list(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise DemoConflict(
            "The database already holds agencies or users under the demo's codes "
            f"({', '.join(taken)}): load the demo into an empty database."
        )
    started = time.monotonic()
    with transaction.atomic():
        builder = _Builder()
        say("Bắc Ninh and Bắc Giang as on 31 December 2022 ...")
        builder.province_tree(BN, "Bắc Ninh", "27", with_extras=True)
        builder.province_tree(BG, "Bắc Giang", "24", with_extras=False)
        say("People and roles ...")
        builder.create_demo_accounts()
        builder.staff_everyone()
        say("1 January 2025: five illustrative communes merged into their neighbours ...")
        builder.merge_illustrative()
        say("1 July 2025: the two provinces merge, districts end, 313 communes become 99 ...")
        builder.reform_2025()
    seconds = time.monotonic() - started
    return DemoSummary(loaded=True, seconds=seconds, counts=measure(), accounts=account_rows())


__all__ = [
    "DEMO_ACCOUNTS",
    "DemoConflict",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoSummary",
    "account_rows",
    "is_loaded",
    "load_demo_province",
    "measure",
    "print_accounts",
]
