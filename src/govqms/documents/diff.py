"""Differences between two versions' structured content: section by section, and
row by row in the tables (what a reviewer reads before signing)."""

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# (key, label) in the order of the document; text sections first within their place.
SECTIONS = [
    ("purpose", _("1. Purpose"), "text"),
    ("scope", _("2. Scope"), "text"),
    ("references", _("3. References"), "rows"),
    ("definitions", _("4. Definitions and abbreviations"), "rows"),
    ("legal_basis", _("5.1 Legal basis"), "text"),
    ("conditions", _("5.2 Conditions"), "text"),
    ("dossier_components", _("5.3 Dossier components"), "rows"),
    ("processing_time", _("5.4 Processing time"), "text"),
    ("where", _("5.5 Where to submit and collect"), "text"),
    ("fees", _("5.6 Fees"), "text"),
    ("steps", _("5.7 Steps"), "rows"),
    ("forms", _("6. Forms"), "rows"),
    ("records", _("7. Records to keep"), "rows"),
    ("body", _("Content"), "text"),
]

ROW_FIELDS = {
    "references": ["text"],
    "definitions": ["term", "meaning"],
    "dossier_components": ["name", "original", "copy", "sets"],
    "steps": ["step", "name", "responsible", "hours", "form"],
    "forms": ["code", "name"],
    "records": ["record", "keeper", "retention"],
}


def rows_of(content: dict, key: str) -> list[dict]:
    """A list section's rows as dicts (references are plain strings)."""
    rows = content.get(key) or []
    if key == "references":
        return [{"text": str(r)} for r in rows]
    return [r if isinstance(r, dict) else {"text": str(r)} for r in rows]


@dataclass
class RowDiff:
    op: str  # equal, added, removed, changed
    old: dict | None
    new: dict | None
    changed_fields: list[str] = field(default_factory=list)


@dataclass
class SectionDiff:
    key: str
    label: str
    kind: str
    changed: bool
    words: list[tuple[str, str]] = field(default_factory=list)  # (op, text) for text sections
    rows: list[RowDiff] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def _word_ops(old: str, new: str) -> list[tuple[str, str]]:
    a, b = (old or "").split(), (new or "").split()
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(a[i1:i2])))
        if tag in ("delete", "replace"):
            ops.append(("removed", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(("added", " ".join(b[j1:j2])))
    return ops


def _row_key(row: dict, columns: list[str]) -> tuple:
    return tuple(str(row.get(c, "")) for c in columns)


def _row_ops(old_rows: list[dict], new_rows: list[dict], columns: list[str]) -> list[RowDiff]:
    a = [_row_key(r, columns) for r in old_rows]
    b = [_row_key(r, columns) for r in new_rows]
    result = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            result += [
                RowDiff("equal", old_rows[i], new_rows[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        old_block, new_block = old_rows[i1:i2], new_rows[j1:j2]
        paired = min(len(old_block), len(new_block)) if tag == "replace" else 0
        for old, new in zip(old_block[:paired], new_block[:paired], strict=True):
            fields = [c for c in columns if str(old.get(c, "")) != str(new.get(c, ""))]
            result.append(RowDiff("changed", old, new, fields))
        result += [RowDiff("removed", old, None) for old in old_block[paired:]]
        result += [RowDiff("added", None, new) for new in new_block[paired:]]
    return result


def diff_contents(old: dict, new: dict) -> list[SectionDiff]:
    sections = []
    for key, label, kind in SECTIONS:
        if kind == "text":
            before, after = old.get(key) or "", new.get(key) or ""
            if not before and not after:
                continue
            sections.append(
                SectionDiff(key, label, kind, before != after, words=_word_ops(before, after))
            )
        else:
            columns = ROW_FIELDS[key]
            before, after = rows_of(old, key), rows_of(new, key)
            if not before and not after:
                continue
            rows = _row_ops(before, after, columns)
            changed = any(r.op != "equal" for r in rows)
            sections.append(SectionDiff(key, label, kind, changed, rows=rows, columns=columns))
    return sections
