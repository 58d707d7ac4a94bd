"""Small builders for tests: a two-province world with a user for every role."""

import datetime as dt
from types import SimpleNamespace

from govqms.organizations import services
from govqms.organizations.models import AGENCY_ROLES, Role, UnitKind

START = dt.date(2020, 1, 1)
PASSWORD = "Mat-khau-thu-2026"


def make_unit(code, name, kind=UnitKind.COMMUNE_PC, parent=None, province="Bắc Ninh", **extra):
    return services.create_unit(
        None,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        province=province,
        valid_from=extra.pop("valid_from", START),
        **extra,
    )


def make_user(username, full_name="", unit=None, role=None, password=PASSWORD, **extra):
    user = services.create_user(
        None, username=username, full_name=full_name or username, password=password
    )
    if unit is not None and role is not None:
        services.add_membership(None, user=user, unit=unit, role=role, valid_from=START, **extra)
    return user


def build_world():
    """Province P (Bắc Ninh) with the DoST and agencies A and B; province Q with agency C.

    Users: one per agency role in A (`a_<role>`), an ISO secretary of B, a DoST
    officer and administrator over P, and a DoST officer over Q only."""
    w = SimpleNamespace()
    w.p = make_unit(
        "P", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCIAL_PC, in_dost_remit=False
    )
    w.dost = make_unit("P-DOST", "Sở Khoa học và Công nghệ", UnitKind.DOST, parent=w.p)
    w.a = make_unit("P-A", "Ủy ban nhân dân xã Đông Phong", parent=w.p)
    w.b = make_unit("P-B", "Ủy ban nhân dân phường Đức Giang", parent=w.p)
    w.q = make_unit(
        "Q", "Ủy ban nhân dân tỉnh Lạng Sơn", UnitKind.PROVINCIAL_PC, province="Lạng Sơn"
    )
    w.c = make_unit("Q-C", "Ủy ban nhân dân xã Chi Lăng", parent=w.q, province="Lạng Sơn")
    w.users = {}
    for role in AGENCY_ROLES:
        w.users[f"a_{role}"] = make_user(f"a_{role}", f"Người A {role}", w.a, role)
    w.b_secretary = make_user("b_secretary", "Trần Thị Bình", w.b, Role.ISO_SECRETARY)
    w.c_secretary = make_user("c_secretary", "Lê Văn Cường", w.c, Role.ISO_SECRETARY)
    w.dost_officer = make_user("dost_officer", "Phạm Minh Đức", w.p, Role.DOST_OFFICER)
    w.dost_admin = make_user("dost_admin", "Hoàng Thu Hà", w.p, Role.DOST_ADMIN)
    w.q_officer = make_user("q_officer", "Vũ Quang Huy", w.q, Role.DOST_OFFICER)
    w.a_secretary = w.users["a_iso_secretary"]
    w.a_head = w.users["a_head"]
    w.a_staff = w.users["a_staff"]
    return w
