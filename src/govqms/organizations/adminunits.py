"""Official administrative units of Vietnam, read from the `vietnamadminunits` package.

The package (MIT licence, see docs/decisions/0001-administrative-units-package.md)
ships its data as files, read here directly:

- `data/dataset.db` (SQLite): `admin_units`, the 34 provinces and 3,321 communes
  in force since 1 July 2025; `admin_units_legacy`, the 63 provinces with their
  districts and communes before that date.
- `data/converter_2025.json`: `DICT_PROVINCE` (new province key -> old province
  keys); `DICT_PROVINCE_WARD_NO_DIVIDED[new province][new ward]` -> the old
  communes merged whole into it, as "oldprovince_olddistrict_oldward" keys;
  `DICT_PROVINCE_WARD_DIVIDED[new province][old key]` -> the new communes an old
  commune was divided between.

Units created from this data have codes derived from the official codes:

    XA-07210    a commune, ward or special zone in force since 1 July 2025
    XAC-09163   a commune before 1 July 2025 ("C" for cũ: the old code list reuses
                numbers that the new list gives to other communes)
    HUC-256     a district-level unit before 1 July 2025 (districts were abolished)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from django.utils.translation import gettext as _

from govqms.core.text import fold

from .imports import Column, ImportResult, UnitRow, import_unit_rows
from .models import UnitKind

PACKAGE = "vietnamadminunits"
REFORM_DATE = dt.date(2025, 7, 1)

WARD_TYPES = ("Thị trấn", "Phường", "Xã", "Đặc khu")
DISTRICT_TYPES = ("Thành phố", "Thị xã", "Quận", "Huyện")
PROVINCE_TYPES = ("Thành phố", "Tỉnh")


def package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "?"


def _key(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _split_type(name: str, types: tuple[str, ...], fallback_type: str | None) -> tuple[str, str]:
    """("Thị Xã Việt Yên", district types) -> ("Thị xã", "Việt Yên"). The type is
    read from the name first: the data has a few rows whose type column disagrees
    with the name ("Thị trấn Ngọc Lặc" typed as "Xã")."""
    lowered = name.lower()
    for kind in types:
        if lowered.startswith(kind.lower() + " "):
            return kind, name[len(kind) + 1 :].strip()
    return (fallback_type or "").strip(), name


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Ward:
    """A commune, ward or special zone in force since 1 July 2025."""

    code: str
    name: str  # "Phường Kinh Bắc"
    short_name: str  # "Kinh Bắc"
    ward_type: str  # "Phường"
    key: str
    province: str  # "Bắc Ninh"
    province_key: str
    province_code: str

    @property
    def unit_code(self) -> str:
        return commune_code(self.code)

    @property
    def unit_name(self) -> str:
        return commune_unit_name(self.ward_type, self.short_name)


@dataclass(frozen=True)
class LegacyWard:
    """A commune, ward or town before 1 July 2025."""

    code: str
    name: str
    short_name: str
    ward_type: str
    key: str
    district_code: str
    district_key: str
    province: str
    province_key: str

    @property
    def lineage_key(self) -> str:
        """The key the converter uses: "tinhbacninh_thanhphobacninh_phuongvuninh"."""
        return f"{self.province_key}_{self.district_key}_{self.key}"

    @property
    def unit_code(self) -> str:
        return commune_code(self.code, legacy=True)

    @property
    def unit_name(self) -> str:
        return commune_unit_name(self.ward_type, self.short_name)


@dataclass(frozen=True)
class LegacyDistrict:
    code: str
    name: str  # "Thị xã Quế Võ"
    short_name: str
    district_type: str
    key: str
    province: str
    province_key: str
    province_code: str
    wards: tuple[LegacyWard, ...]

    @property
    def unit_code(self) -> str:
        return district_unit_code(self.code)

    @property
    def unit_name(self) -> str:
        return district_unit_name(self.district_type, self.short_name)


# ---------------------------------------------------------------- names and codes


def commune_code(ward_code: str, *, legacy: bool = False) -> str:
    return f"{'XAC' if legacy else 'XA'}-{ward_code}"


def district_unit_code(district_code: str) -> str:
    return f"HUC-{district_code}"


def commune_unit_name(ward_type: str, short_name: str) -> str:
    """("Phường", "Kinh Bắc") -> "Ủy ban nhân dân phường Kinh Bắc"."""
    return f"Ủy ban nhân dân {ward_type.lower()} {short_name}".replace("  ", " ")


def district_unit_name(district_type: str, short_name: str) -> str:
    """("Thị xã", "Quế Võ") -> "Ủy ban nhân dân thị xã Quế Võ"."""
    return f"Ủy ban nhân dân {district_type.lower()} {short_name}"


def province_unit_name(province_type: str, short_name: str) -> str:
    """("Tỉnh", "Bắc Ninh") -> "Ủy ban nhân dân tỉnh Bắc Ninh"."""
    return f"Ủy ban nhân dân {province_type.lower()} {short_name}"


# ---------------------------------------------------------------- data access


def _data_file(name: str):
    """A data file of the package, found without importing the package (its
    `__init__` loads its parser and geodata libraries, which are not needed here)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None:
        raise LookupError(_("The package %s is not installed.") % PACKAGE)
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "data" / name
    return resources.files(PACKAGE).joinpath("data", name)  # pragma: no cover (zipped)


@contextlib.contextmanager
def _database() -> Iterator[sqlite3.Connection]:
    with resources.as_file(_data_file("dataset.db")) as path:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:
            yield connection
        finally:
            connection.close()


@cache
def _converter() -> dict:
    return json.loads(_data_file("converter_2025.json").read_text(encoding="utf-8"))


@cache
def _provinces(legacy: bool) -> tuple[dict, ...]:
    table = "admin_units_legacy" if legacy else "admin_units"
    with _database() as db:
        rows = db.execute(
            f"SELECT DISTINCT province, provinceShort, provinceKey, provinceShortKey, provinceCode "
            f"FROM {table} ORDER BY provinceCode"  # noqa: S608 (a constant table name)
        ).fetchall()
    return tuple(dict(r) for r in rows)


def provinces(*, legacy: bool = False) -> list[dict]:
    """[{province, provinceShort, provinceKey, provinceShortKey, provinceCode}] of one era."""
    return [dict(p) for p in _provinces(legacy)]


def find_province(name: str, *, legacy: bool = False) -> dict:
    """The province matching `name` ("Bắc Ninh", "Tỉnh Bắc Ninh", "bac ninh", "tinhbacninh"
    or its code). Raises LookupError with a message for the user."""
    wanted = _key(name)
    for province in _provinces(legacy):
        keys = {
            province["provinceKey"],
            province["provinceShortKey"],
            _key(province["province"]),
            province["provinceCode"],
        }
        if wanted in keys:
            return dict(province)
    if legacy:
        message = _("No province “%(name)s” in the list before 1 July 2025 (63 provinces).")
    else:
        message = _(
            "No province “%(name)s” in the list in force since 1 July 2025 (34 provinces); "
            "for a province that was merged, use the list from before that date."
        )
    raise LookupError(message % {"name": name})


@cache
def _province_wards(province_key: str) -> tuple[Ward, ...]:
    with _database() as db:
        rows = db.execute(
            "SELECT ward, wardShort, wardType, wardCode, wardKey, provinceShort, provinceKey, "
            "provinceCode FROM admin_units WHERE provinceKey = ? ORDER BY wardCode",
            (province_key,),
        ).fetchall()
    wards = []
    for r in rows:
        ward_type, short = _split_type(r["ward"], WARD_TYPES, r["wardType"])
        wards.append(
            Ward(
                code=r["wardCode"],
                name=f"{ward_type} {short}",
                short_name=short,
                ward_type=ward_type,
                key=r["wardKey"],
                province=r["provinceShort"],
                province_key=r["provinceKey"],
                province_code=r["provinceCode"],
            )
        )
    return tuple(wards)


def province_wards(province: str) -> list[Ward]:
    """The communes, wards and special zones of a province since 1 July 2025."""
    return list(_province_wards(find_province(province)["provinceKey"]))


@cache
def _legacy_districts(province_key: str) -> tuple[LegacyDistrict, ...]:
    with _database() as db:
        rows = db.execute(
            "SELECT province, provinceShort, provinceKey, provinceCode, district, districtType, "
            "districtCode, districtKey, ward, wardType, wardCode, wardKey "
            "FROM admin_units_legacy WHERE provinceKey = ? ORDER BY districtCode, wardCode",
            (province_key,),
        ).fetchall()
    grouped: dict[str, list] = {}
    for r in rows:
        grouped.setdefault(r["districtCode"], []).append(r)
    districts = []
    for code, members in grouped.items():
        first = members[0]
        district_type, short = _split_type(first["district"], DISTRICT_TYPES, first["districtType"])
        wards = []
        for r in members:
            if not r["ward"]:  # island districts without communes
                continue
            ward_type, ward_short = _split_type(r["ward"], WARD_TYPES, r["wardType"])
            wards.append(
                LegacyWard(
                    code=r["wardCode"],
                    name=f"{ward_type} {ward_short}",
                    short_name=ward_short,
                    ward_type=ward_type,
                    key=r["wardKey"],
                    district_code=code,
                    district_key=r["districtKey"],
                    province=r["provinceShort"],
                    province_key=r["provinceKey"],
                )
            )
        districts.append(
            LegacyDistrict(
                code=code,
                name=f"{district_type} {short}",
                short_name=short,
                district_type=district_type,
                key=first["districtKey"],
                province=first["provinceShort"],
                province_key=first["provinceKey"],
                province_code=first["provinceCode"],
                wards=tuple(wards),
            )
        )
    return tuple(districts)


def legacy_districts(province: str) -> list[LegacyDistrict]:
    """The districts of a province before 1 July 2025, each with its communes."""
    return list(_legacy_districts(find_province(province, legacy=True)["provinceKey"]))


def legacy_wards(province: str) -> list[LegacyWard]:
    return [w for d in legacy_districts(province) for w in d.wards]


@cache
def _legacy_by_lineage_key(province_keys: tuple[str, ...]) -> dict[str, LegacyWard]:
    return {
        ward.lineage_key: ward
        for key in province_keys
        for district in _legacy_districts(key)
        for ward in district.wards
    }


def former_provinces(province: str) -> list[dict]:
    """The provinces before 1 July 2025 that make up a province now."""
    new = find_province(province)
    old_keys = _converter()["DICT_PROVINCE"].get(new["provinceKey"], [])
    return [p for p in _provinces(True) if p["provinceKey"] in old_keys]


def ward_mapping(province: str) -> dict[str, list[LegacyWard]]:
    """New commune code -> the former communes merged whole into it (the province's
    communes since 1 July 2025, in code order)."""
    new = find_province(province)
    old_keys = tuple(sorted(_converter()["DICT_PROVINCE"].get(new["provinceKey"], [])))
    legacy = _legacy_by_lineage_key(old_keys)
    table = _converter()["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new["provinceKey"], {})
    mapping: dict[str, list[LegacyWard]] = {}
    for ward in _province_wards(new["provinceKey"]):
        mapping[ward.code] = [legacy[k] for k in table.get(ward.key, []) if k in legacy]
    return mapping


def divided_wards(province: str) -> dict[str, list[tuple[str, bool]]]:
    """Former commune code -> [(new commune code, is the default successor)] for the
    former communes divided between several new ones (none in Bắc Ninh)."""
    new = find_province(province)
    old_keys = tuple(sorted(_converter()["DICT_PROVINCE"].get(new["provinceKey"], [])))
    legacy = _legacy_by_lineage_key(old_keys)
    by_key = {w.key: w.code for w in _province_wards(new["provinceKey"])}
    table = _converter()["DICT_PROVINCE_WARD_DIVIDED"].get(new["provinceKey"], {})
    result = {}
    for old_key, targets in table.items():
        if old_key in legacy:
            result[legacy[old_key].code] = [
                (by_key[t["newWardKey"]], bool(t["isDefaultNewWard"]))
                for t in targets
                if t["newWardKey"] in by_key
            ]
    return result


# ---------------------------------------------------------------- import


def source_name(province: str, *, legacy: bool = False) -> str:
    era = _("before 1 July 2025") if legacy else _("since 1 July 2025")
    return f"{PACKAGE} {package_version()} · {province} ({era})"


def admin_unit_rows(
    province: str,
    *,
    parent_code: str,
    legacy: bool = False,
    valid_from: dt.date | None = None,
    in_dost_remit: bool = True,
) -> list[UnitRow]:
    """The rows an import of a province's communes creates: since 1 July 2025 the
    communes directly under `parent_code`; with `legacy`, the districts under it and
    the communes under their districts."""
    rows: list[UnitRow] = []
    if legacy:
        info = find_province(province, legacy=True)
        for district in _legacy_districts(info["provinceKey"]):
            rows.append(
                UnitRow(
                    row=len(rows) + 1,
                    code=district.unit_code,
                    name=district.unit_name,
                    kind=UnitKind.DISTRICT_PC,
                    parent_code=parent_code,
                    province=district.province,
                    valid_from=valid_from,
                    in_dost_remit=in_dost_remit,
                    short_name=district.name,
                    admin_code=district.code,
                )
            )
            for ward in district.wards:
                rows.append(
                    UnitRow(
                        row=len(rows) + 1,
                        code=ward.unit_code,
                        name=ward.unit_name,
                        kind=UnitKind.COMMUNE_PC,
                        parent_code=district.unit_code,
                        province=ward.province,
                        valid_from=valid_from,
                        in_dost_remit=in_dost_remit,
                        short_name=ward.name,
                        admin_code=ward.code,
                    )
                )
    else:
        info = find_province(province)
        for ward in _province_wards(info["provinceKey"]):
            rows.append(
                UnitRow(
                    row=len(rows) + 1,
                    code=ward.unit_code,
                    name=ward.unit_name,
                    kind=UnitKind.COMMUNE_PC,
                    parent_code=parent_code,
                    province=ward.province,
                    valid_from=valid_from or REFORM_DATE,
                    in_dost_remit=in_dost_remit,
                    short_name=ward.name,
                    admin_code=ward.code,
                )
            )
    return rows


def import_admin_units(
    province: str,
    *,
    parent_code: str,
    legacy: bool = False,
    valid_from: dt.date | None = None,
    actor=None,
    dry_run: bool = False,
) -> ImportResult:
    """Create (or confirm) a province's official communes under `parent_code`, by the
    same validate-then-apply rules as a file import: idempotent by code, every
    problem reported before anything is written, one transaction.

    Since 1 July 2025 (default): the communes start on `valid_from` or 1 July 2025.
    With `legacy`: the districts and communes before that date; `valid_from` is
    then required (the data does not say since when each unit existed)."""
    source = source_name(province, legacy=legacy)
    if legacy and valid_from is None:
        raise ValueError(_("The list before 1 July 2025 needs a start date (valid from)."))
    rows = admin_unit_rows(province, parent_code=parent_code, legacy=legacy, valid_from=valid_from)
    columns = {
        "code": Column(_("code")),
        "name": Column(_("name")),
        "kind": Column(_("kind")),
        "parent_code": Column(_("parent")),
        "province": Column(_("province")),
        "valid_from": Column(_("valid from")),
        "valid_to": Column(_("valid to")),
        "in_dost_remit": Column(_("in the DoST's remit")),
        "short_name": Column(_("short name")),
        "admin_code": Column(_("administrative unit code")),
    }
    return import_unit_rows(rows, filename=source, columns=columns, actor=actor, dry_run=dry_run)
