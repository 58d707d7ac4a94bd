"""Benchmark of the dossier evidence import (issue 4, item 9): events per second end
to end (read the CSV through the national portal profile, validate, deduplicate,
apply in one transaction, classify), against the raw floor of the same run:
SQLite `executemany` into a bare table of the event columns, PostgreSQL `COPY` into
such a table. Targets: SQLite >= 20,000 events/s, PostgreSQL >= 50,000 events/s.

    .venv/bin/python bench/dossier_import_bench.py [--events N] [--postgres URL]

PostgreSQL runs when `--postgres URL` or GOVQMS_TEST_POSTGRES_URL is given (a
throw-away database `govqms_bench_dossiers` is created on that server). Each
database runs in a child process (Django is set up once per process). `run()`
returns (what, result, how) rows for bench/run.py, including the importing
process's CPU time per phase and the load average (on a busy machine the
wall-clock figures depend on the neighbours). For iteration use a smaller size
(`--events 200000`); GOVQMS_BENCH_PROFILE=/tmp/p writes a cProfile of the first
import to /tmp/p.sqlite and /tmp/p.postgresql.
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
EVENTS = 1_000_000
PER_DOSSIER = 10
KINDS = ["2", "4", "4", "4", "4", "4", "4", "4", "9", "10"]  # portal codes
STEPS = ["Tiếp nhận", "Thẩm định", "Thẩm định", "Xem xét", "Trình ký", "Ký duyệt",
         "Đóng dấu", "Vào sổ", "Hoàn thành", "Trả kết quả"]  # fmt: skip


def write_csv(path: Path, events: int) -> int:
    """A national portal export of `events` events (10 per dossier, 2024-2025)."""
    from govqms.dossiers.profiles import NATIONAL_PORTAL_MAPPING as M

    header = [M[k] for k in ("code", "procedure_code", "channel", "received_at", "kind", "at",
                             "step", "actor")]  # fmt: skip
    start = dt.datetime(2024, 1, 2, 8, 0)
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for d in range(events // PER_DOSSIER):
            received = start + dt.timedelta(minutes=7 * d)
            r = received.strftime("%Y-%m-%d %H:%M:%S")
            code = f"HS-{d:07d}"
            proc = "1.001193" if d % 2 else "2.000635"
            channel = "Trực tuyến" if d % 3 else "Trực tiếp"
            for i in range(PER_DOSSIER):
                at = (received + dt.timedelta(hours=5 * i, minutes=i)).strftime("%Y-%m-%d %H:%M:%S")
                f.write(f"{code},{proc},{channel},{r},{KINDS[i]},{at},{STEPS[i]},CB{d % 40:02d}\n")
                n += 1
    return n


def child(database_url: str, events: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="govqms-dossier-bench-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govqms.settings")
    os.environ.setdefault("GOVQMS_ALLOW_INSECURE_KEY", "1")
    os.environ["STATIC_ROOT"] = str(work / "static")
    os.environ["MEDIA_ROOT"] = str(work / "media")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from decimal import Decimal

    from govqms.dossiers.models import DossierEvent, ImportProfile
    from govqms.dossiers.profiles import NATIONAL_PORTAL
    from govqms.dossiers.services.imports import import_file
    from govqms.organizations import services
    from govqms.procedures.models import AdministrativeProcedure

    unit = services.create_unit(
        None,
        code="BENCH-XA",
        name="Ủy ban nhân dân xã Đông Phong",
        kind="commune_pc",
        parent=None,
        province="Bắc Ninh",
        valid_from=dt.date(2020, 1, 1),
    )
    for code, name, days in (("1.001193", "Đăng ký khai sinh", 3), ("2.000635", "Cấp bản sao", 1)):
        AdministrativeProcedure.objects.create(
            code=code, name=name, level="commune", time_limit_days=Decimal(days)
        )
    csv_path = work / "dvc.csv"
    n = write_csv(csv_path, events)
    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL, unit=None)

    profiler = None
    if os.environ.get("GOVQMS_BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    load_before = os.getloadavg()[0]
    children0 = _children_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    result = import_file(None, unit, csv_path, fmt="csv", profile=profile)
    e2e, cpu = time.perf_counter() - t0, time.process_time() - c0
    cpu_children = _children_cpu() - children0
    load_after = os.getloadavg()[0]
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{os.environ['GOVQMS_BENCH_PROFILE']}.{connection.vendor}")
    assert result.ok, result.errors[:3]
    phases = result.timings
    assert result.batch.events_created == n, result.batch.counts()

    t0 = time.perf_counter()
    again = import_file(None, unit, csv_path, fmt="csv", profile=profile)
    reimport = time.perf_counter() - t0
    assert again.batch.events_created == 0 and again.batch.events_unchanged == n

    # The raw floor: the same rows into a bare table, in one transaction.
    rows = list(
        DossierEvent.objects.order_by().values_list(
            "dossier_id", "seq", "step", "actor", "division", "at", "kind"
        )
    )
    with connection.cursor() as c:
        c.execute(
            "CREATE TABLE bench_floor (dossier_id bigint, seq integer, step varchar(200), "
            "actor varchar(150), division varchar(200), at timestamp with time zone, "
            "kind varchar(24), new_due_at timestamp with time zone)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE bench_floor (dossier_id integer, seq integer, step text, "
            "actor text, division text, at text, kind text, new_due_at text)"
        )
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as c:
            with c.cursor.copy(
                "COPY bench_floor (dossier_id, seq, step, actor, division, at, kind) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        floor = time.perf_counter() - t0
        how_floor = "COPY into a bare table"
    else:
        prepared = [(a, b, s, ac, dv, at.isoformat(" "), k) for a, b, s, ac, dv, at, k in rows]
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as c:
            c.executemany(
                "INSERT INTO bench_floor (dossier_id, seq, step, actor, division, at, kind) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                prepared,
            )
        floor = time.perf_counter() - t0
        how_floor = "executemany into a bare table"
    return {
        "vendor": connection.vendor,
        "events": n,
        "dossiers": n // PER_DOSSIER,
        "e2e_s": e2e,
        "cpu_s": cpu,
        "cpu_children_s": cpu_children,
        "load": [load_before, load_after],
        "reimport_s": reimport,
        "floor_s": floor,
        "how_floor": how_floor,
        "phases": phases,
        "cpu_phases": result.cpu_timings,
    }


def _children_cpu() -> float:
    """CPU seconds of this process's ended child processes (the validating child)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _spawn(database_url: str, events: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", database_url or "", "--events", str(events)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _postgres_db(url: str) -> str:
    """A fresh database `govqms_bench_dossiers` on the server of `url`."""
    import psycopg

    base, _, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS govqms_bench_dossiers")
        conn.execute("CREATE DATABASE govqms_bench_dossiers")
    return f"{base}/govqms_bench_dossiers"


def _rows(r: dict) -> list[tuple[str, str, str]]:
    name = "PostgreSQL" if r["vendor"] == "postgresql" else "SQLite"
    target = 50_000 if r["vendor"] == "postgresql" else 20_000
    rate = r["events"] / r["e2e_s"]
    floor_rate = r["events"] / r["floor_s"]
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in r.get("phases", {}).items())
    how = (
        f"{r['events']:,} synthetic events ({r['dossiers']:,} dossiers) in a national portal "
        f"CSV, import_file end to end: validate, dedup, one transaction, classify ({phases})"
    )
    return [
        (f"Dossier import, {name}", f"{rate:,.0f} events/s (target {target:,})", how),
        (
            f"Raw floor, {name}",
            f"{floor_rate:,.0f} events/s",
            f"the same rows, {r['how_floor']}, one transaction",
        ),
        (f"Import / floor, {name}", f"{rate / floor_rate:.2f}", "end-to-end rate ÷ floor rate"),
        (
            f"Re-import of the same file, {name}",
            f"{r['events'] / r['reimport_s']:,.0f} events/s",
            "every count unchanged (all events deduplicated)",
        ),
    ] + _cpu_rows(r, name)


def _cpu_rows(r: dict, name: str) -> list[tuple[str, str, str]]:
    """The importing process's own CPU time per phase, and the machine's load: on a
    busy machine the wall-clock figures above say more about the neighbours."""
    if "cpu_s" not in r:
        return []
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in r.get("cpu_phases", {}).items())
    load = r.get("load")
    how = f"time.process_time() of the import ({phases})"
    if r.get("cpu_children_s"):
        how += f", plus {r['cpu_children_s']:.1f} s in the child process that validated the file"
    if load:
        how += f"; load average {load[0]:.1f} before, {load[1]:.1f} after, {os.cpu_count()} cores"
    return [
        (
            f"CPU time of the import, {name}",
            f"{r['cpu_s']:.1f} s ({r['events'] / r['cpu_s']:,.0f} events per CPU second)",
            how
            + (
                "; the database server's own CPU time is not included"
                if r["vendor"] == "postgresql"
                else ""
            ),
        )
    ]


def run(
    events: int = EVENTS, postgres: str | None = None, raw: list | None = None
) -> list[tuple[str, str, str]]:
    results = [_spawn("", events)]
    postgres = postgres or os.environ.get("GOVQMS_TEST_POSTGRES_URL")
    if postgres:
        results.append(_spawn(_postgres_db(postgres), events))
    if raw is not None:
        raw.extend(results)
    return [row for r in results for row in _rows(r)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--postgres")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.events)))
        return
    raw = []
    for what, result, how in run(args.events, args.postgres, raw):
        print(f"{what:40} {result:32} {how}", flush=True)
    for r in raw:  # the importing process's own CPU time (the machine may be busy)
        print(
            f"{r['vendor']}: wall {r['e2e_s']:.1f} s, CPU of the importing process "
            f"{r['cpu_s']:.1f} s"
        )
        for k, v in r["phases"].items():
            print(f"  {k:10} wall {v:6.1f} s   cpu {r['cpu_phases'].get(k, 0):6.1f} s")


if __name__ == "__main__":
    main()
