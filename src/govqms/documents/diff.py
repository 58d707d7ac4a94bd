"""Differences between two structured contents, section by section, and row by row in
the tables. Two readings of the same comparison:

- `diff_contents`: two issues of a document as typed, word by word in the text
  sections (what a reviewer reads before signing);
- `compare_contents`: normalised values (white space, numbers), line by line, every
  known section and any other key either side has (a template against the agency's
  copy, or two versions of a template: the model framework's drift and updates).
"""

import difflib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# (key, label, kind) in the order of the document.
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
SECTION_LABELS = {key: label for key, label, _kind in SECTIONS}
LIST_SECTIONS = {key for key, _label, kind in SECTIONS if kind == "rows"}

ROW_FIELDS = {
    "references": ["text"],
    "definitions": ["term", "meaning"],
    "dossier_components": ["name", "original", "copy", "sets"],
    "steps": ["step", "name", "responsible", "hours", "form"],
    "forms": ["code", "name"],
    "records": ["record", "keeper", "retention"],
}

COLUMN_LABELS = {
    "text": _("Reference"),
    "term": _("Term"),
    "meaning": _("Meaning"),
    "name": _("Name"),
    "original": _("Original"),
    "copy": _("Copy"),
    "sets": _("Sets"),
    "step": _("Step"),
    "responsible": _("Responsible"),
    "hours": _("Hours"),
    "form": _("Form / result"),
    "code": _("Code"),
    "record": _("Record"),
    "keeper": _("Kept by"),
    "retention": _("Retention"),
}

# Where a column means something particular in its section.
SECTION_COLUMN_LABELS = {
    ("steps", "name"): _("What is done"),
    ("forms", "name"): _("Form name"),
    ("dossier_components", "name"): _("Document"),
    ("records", "record"): _("Record to keep"),
}

DIFF_LINES = 40  # a longer line diff is cut


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
    kind: str  # "text" or "rows"
    changed: bool
    words: list[tuple[str, str]] = field(default_factory=list)  # (op, text): diff_contents
    diff: list[str] = field(default_factory=list)  # unified diff lines: compare_contents
    rows: list[RowDiff] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def _rows(self, op: str) -> list[RowDiff]:
        return [r for r in self.rows if r.op == op]

    @property
    def added(self) -> list[dict]:
        return [r.new for r in self._rows("added")]

    @property
    def removed(self) -> list[dict]:
        return [r.old for r in self._rows("removed")]

    @property
    def changed_rows(self) -> list[RowDiff]:
        return self._rows("changed")

    @property
    def headers(self) -> list:
        return [
            SECTION_COLUMN_LABELS.get((self.key, c)) or COLUMN_LABELS.get(c, c)
            for c in self.columns
        ]


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


def _line_diff(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    """A unified diff without its file headers, hunks separated by an ellipsis, cut
    after DIFF_LINES lines."""
    lines = list(
        difflib.unified_diff(
            old.split("\n") if old else [],
            new.split("\n") if new else [],
            fromfile=str(old_name),
            tofile=str(new_name),
            lineterm="",
            n=1,
        )
    )
    body = []
    for line in lines[2:]:
        if line.startswith("@@"):
            if body:
                body.append("…")
            continue
        body.append(line)
    if len(body) > DIFF_LINES:
        body = body[:DIFF_LINES] + ["…"]
    return body


def _row_key(row: dict, columns: list[str] | None):
    if columns is None:
        return json.dumps(row, sort_keys=True, ensure_ascii=False)
    return tuple(str(row.get(c, "")) for c in columns)


def row_ops(
    old_rows: list[dict], new_rows: list[dict], columns: list[str] | None = None
) -> list[RowDiff]:
    """Rows matched in order on `columns` (on all their fields when None), the rows of
    a replaced block paired one to one as "changed" with the fields that differ."""
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
            names = columns or list(dict.fromkeys([*old, *new]))
            fields = [c for c in names if str(old.get(c, "")) != str(new.get(c, ""))]
            result.append(RowDiff("changed", old, new, fields))
        result += [RowDiff("removed", old, None) for old in old_block[paired:]]
        result += [RowDiff("added", None, new) for new in new_block[paired:]]
    return result


def diff_contents(old: dict, new: dict) -> list[SectionDiff]:
    """Two issues as typed: the sections either has, words and rows marked."""
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
            rows = row_ops(before, after, columns)
            changed = any(r.op != "equal" for r in rows)
            sections.append(SectionDiff(key, label, kind, changed, rows=rows, columns=columns))
    return sections


# ---------------------------------------------------------------- normalised values


def _norm_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return " ".join(str(value).split())


def _rows(value) -> list[dict]:
    """A list section's rows as dicts of normalised text (empty cells dropped)."""
    rows = []
    for row in value or []:
        if not isinstance(row, dict):
            row = {"text": row}
        normalised = {str(k): _norm_value(v) for k, v in row.items()}
        rows.append({k: v for k, v in normalised.items() if v != ""})
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        return _norm_value(value)
    return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").strip().split("\n"))


def section_value(content: dict, key: str):
    """The comparable (normalised) value of one section."""
    content = content or {}
    if key in LIST_SECTIONS or isinstance(content.get(key), list):
        return _rows(content.get(key))
    return _text(content.get(key))


def section_keys(*contents: dict) -> list[str]:
    """The known sections in the document's order, then any other key, sorted."""
    keys = [key for key, _label, _kind in SECTIONS]
    extra = sorted({k for c in contents for k in (c or {})} - set(keys))
    return keys + extra


def compare_section(key: str, old_content: dict, new_content: dict, names=("a", "b")):
    old, new = section_value(old_content, key), section_value(new_content, key)
    label = SECTION_LABELS.get(key, key)
    if isinstance(old, list) or isinstance(new, list):
        old = old if isinstance(old, list) else _rows([old] if old else [])
        new = new if isinstance(new, list) else _rows([new] if new else [])
        rows = row_ops(old, new)
        columns = ROW_FIELDS.get(key) or list(dict.fromkeys(k for r in old + new for k in r))
        changed = any(r.op != "equal" for r in rows)
        return SectionDiff(key, label, "rows", changed, rows=rows, columns=columns)
    return SectionDiff(
        key, label, "text", old != new, diff=_line_diff(old, new, *names) if old != new else []
    )


def compare_contents(old: dict, new: dict, names=("a", "b")) -> list[SectionDiff]:
    """Every section of two contents, compared (old → new)."""
    return [compare_section(key, old, new, names) for key in section_keys(old, new)]


def changed_sections(old: dict, new: dict, names=("a", "b")) -> list[SectionDiff]:
    """Only the sections that differ between two contents (old → new)."""
    return [s for s in compare_contents(old, new, names) if s.changed]
