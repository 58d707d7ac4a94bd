"""Benchmark of the foundation (run by `make bench` through bench/run.py).

Builds a national-size tree (34 provinces, each with its People's Committee, 20
departments and 100 communes: 4,114 agencies) in a throw-away SQLite database (or the
database of BENCH_DATABASE_URL), then times what users wait for.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="govqms-bench-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govqms.settings")
os.environ.setdefault("GOVQMS_ALLOW_INSECURE_KEY", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT"] = "0"
os.environ["STATIC_ROOT"] = str(WORK / "static")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from govqms.core import audit  # noqa: E402
from govqms.organizations import services  # noqa: E402
from govqms.organizations.models import Role  # noqa: E402

START = dt.date(2020, 1, 1)
PROVINCES, DEPARTMENTS, COMMUNES = 34, 20, 100


def timed(fn, repeat=1):
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def build():
    first = None
    for p in range(PROVINCES):
        root = services.create_unit(
            None,
            code=f"T{p:02}",
            name=f"Ủy ban nhân dân tỉnh Thử {p:02}",
            kind="provincial_pc",
            province=f"Tỉnh {p:02}",
            valid_from=START,
            in_dost_remit=False,
        )
        for d in range(DEPARTMENTS):
            services.create_unit(
                None,
                parent=root,
                code=f"T{p:02}-S{d:02}",
                name=f"Sở thử {d:02} tỉnh {p:02}",
                kind="department",
                province=root.province,
                valid_from=START,
            )
        for c in range(COMMUNES):
            unit = services.create_unit(
                None,
                parent=root,
                code=f"T{p:02}-X{c:03}",
                name=f"Ủy ban nhân dân xã Đức {c:03}",
                kind="commune_pc",
                province=root.province,
                valid_from=START,
            )
            first = first or unit
        if p == 0:
            bench_root = root
    return bench_root, first


def run() -> list[tuple[str, str, str]]:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    results = []
    t0 = time.perf_counter()
    root, commune = build()
    n_units = PROVINCES * (1 + DEPARTMENTS + COMMUNES)
    build_s = time.perf_counter() - t0
    results.append(
        (
            "create_unit through the service (with audit entry)",
            f"{n_units / build_s:,.0f} agencies/s",
            f"{n_units:,} agencies in {build_s:.1f} s",
        )
    )

    officer = services.create_user(None, username="officer", password="x-bench-2026")
    services.add_membership(None, user=officer, unit=root, role=Role.DOST_OFFICER, valid_from=START)
    secretary = services.create_user(None, username="secretary", password="x-bench-2026")
    services.add_membership(
        None, user=secretary, unit=commune, role=Role.ISO_SECRETARY, valid_from=START
    )
    for i in range(40):
        u = services.create_user(None, username=f"staff{i}", full_name=f"Nguyễn Văn {i}")
        services.add_membership(None, user=u, unit=commune, role=Role.STAFF, valid_from=START)

    client = Client()
    client.force_login(officer)
    for label, url in [
        ("DoST home, first page (121 agencies in the subtree)", "/agencies/"),
        ("DoST home, search without accents", "/agencies/?q=duc+007"),
        ("Agency home with 42 people (oversight read, logged)", f"/agencies/{commune.pk}/"),
        ("Agency audit trail page", f"/agencies/{commune.pk}/audit/"),
        ("API: units visible to the officer", "/api/units/"),
    ]:
        assert client.get(url).status_code == 200, url
        ms = timed(lambda url=url: client.get(url), repeat=15) * 1000
        results.append((label, f"{ms:.1f} ms", "median of 15"))

    def append_many():
        for _ in range(1000):
            audit.record(actor=None, action="bench", unit=commune, changes={"x": [1, 2]})

    s = timed(append_many)
    results.append(
        ("audit.record (hash-chained append)", f"{1000 / s:,.0f} entries/s", "1,000 appends")
    )
    from govqms.core.models import AuditEntry

    total = AuditEntry.objects.count()
    s = timed(lambda: audit.verify_chain())
    results.append(
        ("verify-audit-trail", f"{total / s:,.0f} entries/s", f"{total:,} entries in {s:.2f} s")
    )
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run()))
