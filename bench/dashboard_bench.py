"""Benchmark of the DoST dashboard (issue 4, item 9): server time of
/oversight/dashboard/ over the rollups of 10 million dossiers: one province of 200
agencies × 50 TTHC × 24 months (2025-2026). Target: <= 100 ms.

The rollup rows are generated directly in bulk (not through imports), consistent
with 10,000,000 dossiers: per agency, TTHC and month a monthly rollup (240,000 rows)
plus the agency's monthly total (4,800 rows), which is what the DoST dashboard
reads. `--daily` also writes the 7.3 million daily rows the monthly ones sum (the
dashboard never reads them; they only make the database realistic in size).

    .venv/bin/python bench/dashboard_bench.py [--daily] [--postgres URL]

`run()` returns (what, result, how) rows for bench/run.py.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGENCIES, TTHC, MONTHS, DOSSIERS = 200, 50, 24, 10_000_000
RUNS = 20


def child(database_url: str, daily: bool) -> dict:
    work = Path(tempfile.mkdtemp(prefix="govqms-dashboard-bench-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govqms.settings")
    os.environ.setdefault("GOVQMS_ALLOW_INSECURE_KEY", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["GOVQMS_REQUIRE_2FA_FOR_OVERSIGHT"] = "0"
    os.environ["STATIC_ROOT"] = str(work / "static")
    os.environ["MEDIA_ROOT"] = str(work / "media")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from govqms.kpis.models import (
        BUCKETS,
        COUNTERS,
        AgencyMonthlyRollup,
        DailyRollup,
        MonthlyRollup,
    )
    from govqms.kpis.services import next_month
    from govqms.organizations.models import Membership, Role, Unit, UnitKind, User
    from govqms.procedures.models import AdministrativeProcedure

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    start = dt.date(2020, 1, 1)
    root = Unit.objects.create(
        code="P", name="Ủy ban nhân dân tỉnh Bắc Ninh", kind=UnitKind.PROVINCIAL_PC,
        province="Bắc Ninh", valid_from=start, in_dost_remit=False,
    )  # fmt: skip
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = []
    for i in range(AGENCIES):
        u = Unit.objects.create(
            code=f"P-{i:03}", name=f"Ủy ban nhân dân xã Số {i:03}", kind=UnitKind.COMMUNE_PC,
            parent=root, province="Bắc Ninh", valid_from=start,
        )  # fmt: skip
        u.path = f"{root.path}{u.pk}/"
        u.save(update_fields=["path"])
        units.append(u.pk)
    procs = [
        AdministrativeProcedure.objects.create(
            code=f"1.{i:06}", name=f"Thủ tục hành chính số {i}", field="Hộ tịch",
            level="commune", time_limit_days=3,
        ).pk
        for i in range(TTHC)
    ]  # fmt: skip
    officer = User.objects.create_user("bench_officer", password="x", full_name="Cán bộ Sở")
    Membership.objects.create(user=officer, unit=root, role=Role.DOST_OFFICER, valid_from=start)

    rng = np.random.default_rng(4)
    months = []
    m = dt.date(2025, 1, 1)
    for _ in range(MONTHS):
        months.append(m)
        m = next_month(m)
    cells = AGENCIES * TTHC * MONTHS
    mean = DOSSIERS / cells
    received = rng.poisson(mean, cells)
    received = (received * (DOSSIERS / received.sum())).round().astype(int)
    early = rng.binomial(received, 0.6)
    on_time = rng.binomial(received - early, 0.6)
    late = received - early - on_time
    bucket_p = np.array([2, 5, 12, 20, 18, 14, 10, 8, 5, 3, 1.5, 0.8, 0.4, 0.2, 0.1])
    bucket_p = bucket_p / bucket_p.sum()
    t0 = time.perf_counter()
    rows, totals = [], {}
    k = 0
    for u in units:
        for p in procs:
            for month in months:
                b = rng.multinomial(received[k], bucket_p)
                values = {
                    "received": int(received[k]), "resolved": int(received[k]),
                    "early": int(early[k]), "on_time": int(on_time[k]), "late": int(late[k]),
                    "overdue_in": int(late[k]), "overdue_out": int(late[k]),
                    "hours_count": int(received[k]), "hours_sum": float(received[k] * 20.0),
                    "conform_checked": int(received[k]), "conformant": int(received[k] * 0.8),
                    "allot_checked": int(received[k]), "within_allotment": int(received[k] * 0.7),
                    **{name: int(v) for name, v in zip(BUCKETS, b, strict=True)},
                }  # fmt: skip
                rows.append(MonthlyRollup(unit_id=u, procedure_id=p, month=month, **values))
                t = totals.setdefault((u, month), dict.fromkeys(COUNTERS, 0))
                for name, v in values.items():
                    t[name] += v
                k += 1
        if len(rows) >= 20000:
            MonthlyRollup.objects.bulk_create(rows, batch_size=2000)
            rows = []
    MonthlyRollup.objects.bulk_create(rows, batch_size=2000)
    MonthlyRollup.objects.bulk_create(
        [MonthlyRollup(unit_id=u, month=mo, total=True, **t) for (u, mo), t in totals.items()],
        batch_size=2000,
    )
    AgencyMonthlyRollup.objects.bulk_create(
        [AgencyMonthlyRollup(unit_id=u, month=mo, **t) for (u, mo), t in totals.items()],
        batch_size=2000,
    )
    daily_rows = 0
    if daily:
        for u in units:
            batch = []
            for p in procs:
                d = dt.date(2025, 1, 1)
                while d < dt.date(2027, 1, 1):
                    batch.append(DailyRollup(unit_id=u, procedure_id=p, day=d, received=14))
                    d += dt.timedelta(days=1)
            DailyRollup.objects.bulk_create(batch, batch_size=5000)
            daily_rows += len(batch)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    load = time.perf_counter() - t0
    client = Client()
    client.force_login(officer)
    url = "/oversight/dashboard/?start=2025-01&end=2026-12"
    assert client.get(url).status_code == 200  # warm up (calendar, templates)
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    body = response.content.decode()
    assert "Ủy ban nhân dân xã Số 199" in body
    times.sort()
    return {
        "vendor": connection.vendor,
        "dossiers": int(received.sum()),
        "monthly_rows": MonthlyRollup.objects.count(),
        "daily_rows": daily_rows,
        "load_s": round(load, 1),
        "median_ms": round(times[len(times) // 2], 1),
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
        "min_ms": round(times[0], 1),
    }


def measure(database_url: str = "", daily: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", database_url or "", *(["--daily"] if daily else [])],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres_db(url: str) -> str:
    """A fresh database `govqms_bench_dashboard` on the server of `url`."""
    import psycopg

    base, _, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS govqms_bench_dashboard")
        conn.execute("CREATE DATABASE govqms_bench_dashboard")
    return f"{base}/govqms_bench_dashboard"


def run() -> list[tuple[str, str, str]]:
    rows = []
    targets = [("SQLite", "")]
    pg = os.environ.get("GOVQMS_TEST_POSTGRES_URL")
    if pg:
        targets.append(("PostgreSQL", _postgres_db(pg)))
    for label, url in targets:
        r = measure(url)
        rows.append(
            (
                f"DoST dashboard over rollups of {r['dossiers']:,} dossiers ({label})",
                f"{r['median_ms']} ms median, {r['p90_ms']} ms p90 (target ≤ 100 ms)",
                f"GET /oversight/dashboard/ for 24 months, {AGENCIES} agencies × {TTHC} TTHC; "
                f"{r['monthly_rows']:,} monthly rollup rows generated in bulk; "
                f"{RUNS} requests through Django's test client after one warm-up",
            )
        )
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", default=None)
    parser.add_argument("--daily", action="store_true")
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.daily)))
    else:
        for what, result, how in (
            run()
            if not (args.postgres or args.daily)
            else [("DoST dashboard", json.dumps(measure(args.postgres, args.daily)), "")]
        ):
            print(f"{what}: {result}\n    {how}")
