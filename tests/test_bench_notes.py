"""bench/run.py rewrites the tables of docs/performance.md and keeps what was written
by hand under each table."""

import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location(
    "bench_run", Path(__file__).resolve().parent.parent / "bench" / "run.py"
)
run = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(run)

PAGE = """# Performance

## Import

| what | result | how |
|---|---|---|
| import | 1 /s | old |

Measured at 07:00 on an idle machine.

What remains: the commit.

## Dashboard

| what | result | how |
|---|---|---|
| dashboard | 50 ms | old |
"""


def test_a_measured_table_is_replaced_and_the_notes_under_it_kept():
    page = run.replace_section(PAGE, "Import", [("import", "2 /s", "new")])
    assert "| import | 2 /s | new |" in page and "| import | 1 /s | old |" not in page
    assert "Measured at 07:00 on an idle machine.\n\nWhat remains: the commit." in page
    assert "| dashboard | 50 ms | old |" in page
    assert page.index("What remains") < page.index("## Dashboard")


def test_notes_of_a_section_without_any_are_empty():
    assert run.notes(PAGE, "Dashboard") == []
    assert run.notes(PAGE, "Missing") == []
