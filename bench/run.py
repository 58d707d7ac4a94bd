"""`make bench`: every benchmark in its own process, then docs/performance.md.

Each bench module has `run() -> list[(what, result, how)]`. They are never run by
`make test`. PostgreSQL figures are measured when GOVQMS_TEST_POSTGRES_URL is set.
"""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("Foundation: agencies, pages, audit trail", "foundation_bench"),
    ("Working-day engine", "calendar_bench"),
    ("Dossier import (1 million events)", "dossier_import_bench"),
    ("DoST dashboard over rollups", "dashboard_bench"),
]


def run_module(module: str) -> list[list[str]]:
    code = (
        "import json, sys; sys.path.insert(0, 'bench'); "
        f"import {module} as m; print('BENCH-ROWS ' + json.dumps(m.run()))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=os.environ
    )
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH-ROWS "):
            return json.loads(line[len("BENCH-ROWS ") :])
    sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-3000:])
    return [["(failed)", f"exit {completed.returncode}", "see the output of make bench"]]


def _section(lines: list[str], title: str) -> tuple[int, int]:
    start = lines.index(f"## {title}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return start, end


def notes(text: str, title: str) -> list[str]:
    """The lines written by hand under the table of section `title` (what the figures
    mean, how they were taken): kept when the table is measured again."""
    lines = text.split("\n")
    if f"## {title}" not in lines:
        return []
    start, end = _section(lines, title)
    body = lines[start + 1 : end]
    last_row = max((i for i, line in enumerate(body) if line.startswith("|")), default=-1)
    kept = body[last_row + 1 :]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def replace_section(text: str, title: str, rows: list) -> str:
    """`text` (docs/performance.md) with the table of section `title` replaced."""
    table = ["| what | result | how |", "|---|---|---|"]
    table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines = text.split("\n")
    start, end = _section(lines, title)
    kept = notes(text, title)
    return "\n".join(
        [*lines[: start + 1], "", *table, "", *([*kept, ""] if kept else []), *lines[end:]]
    )


def only(module: str):
    """`bench/run.py --only <module>`: measure one section again and replace its table
    in docs/performance.md, leaving the other sections as they were measured."""
    title = next(t for t, m in SECTIONS if m == module)
    rows = run_module(module)
    for row in rows:
        print("  " + " · ".join(row), flush=True)
    path = ROOT / "docs" / "performance.md"
    path.write_text(replace_section(path.read_text(encoding="utf-8"), title, rows), "utf-8")
    print(f"written the section “{title}” of docs/performance.md")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--only":
        only(sys.argv[2])
        return
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (`bench/run.py`, each benchmark in its own process) on "
        f"the development machine: {os.cpu_count()} cores, Python {platform.python_version()}. "
        "DESIGN.md's scale: ~200 agencies a province, ~2 million dossiers a year with ~10 "
        "events each, 34 provinces in one deployment. Targets come from the issues.",
        "",
    ]
    path = ROOT / "docs" / "performance.md"
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    for title, module in SECTIONS:
        print(f"== {title} ==", flush=True)
        rows = run_module(module)
        lines += [f"## {title}", "", "| what | result | how |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        lines.append("")
        kept = notes(before, title)
        if kept:
            lines += [*kept, ""]
        for row in rows:
            print("  " + " · ".join(row), flush=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    print("written docs/performance.md")


if __name__ == "__main__":
    main()
