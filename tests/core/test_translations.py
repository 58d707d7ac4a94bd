"""The Vietnamese catalogue is complete, well formed and consistent.

The completeness check does not rely on GNU gettext: it extracts every literal
message from the templates (`.html`, `.txt`) and the Python code of `src/govqms`
with regular expressions, the way `makemessages` would, and looks each one up in
`locale/vi/LC_MESSAGES/django.po`. After adding a string, run
`govqms makemessages -l vi --no-location --no-obsolete -i "migrations/*"` from
`src/govqms`, translate it, then `govqms compiletranslations`.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "govqms"
PO_PATH = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@cache
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def is_translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags or entry.obsolete:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


# --- placeholders -----------------------------------------------------------------

PLACEHOLDER_RE = re.compile(
    r"%%|%(?:\((?P<name>[^)]+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
)


def placeholders(text: str) -> tuple[set[str], list[str]]:
    """Named placeholders (as a set) and positional ones (in order) of a %-format string."""
    named, positional = set(), []
    for match in PLACEHOLDER_RE.finditer(text):
        if match.group() == "%%":
            continue
        if match.group("name"):
            named.add(match.group("name"))
        else:
            positional.append(match.group()[-1])
    return named, positional


# --- extraction -------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None
    context: str | None = None
    where: str = ""


# Templates: tokens as Django's Lexer cuts them (a tag never spans lines).
TOKEN_RE = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\})")
TPL_STR = r"""(?:"[^"]*"|'[^']*')"""
TRANSLATE_RE = re.compile(rf"^trans(?:late)?\s+(?P<msg>{TPL_STR})(?P<rest>.*)$", re.S)
BLOCK_RE = re.compile(r"^blocktrans(?:late)?(?:\s+(?P<args>.*))?$", re.S)
END_BLOCK_RE = re.compile(r"^endblocktrans(?:late)?$")
CONTEXT_RE = re.compile(rf"\bcontext\s+(?P<ctx>{TPL_STR})")
CONSTANT_RE = re.compile(r"""(?<![\w.])_\((?P<msg>"[^"]*?"|'[^']*?')\)""")
TRIM_RE = re.compile(r"\s*\n\s*")


def _unquote(literal: str) -> str:
    return literal[1:-1]


def _line(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def extract_template(source: str, name: str = "<template>") -> list[Message]:
    """Messages of a Django template, as `makemessages` turns them into msgids:
    `%` doubled in literal text, `{{ var }}` as `%(var)s`, `trimmed` bodies joined
    with single spaces, `{% comment %}` blocks skipped."""
    found: list[Message] = []
    offset = 0
    in_comment = in_block = in_plural = trimmed = False
    context = None
    singular: list[str] = []
    plural: list[str] = []
    block_start = 0

    def add(msgid, plural_id=None, ctx=None, at=0):
        found.append(Message(msgid, plural_id, ctx, f"{name}:{_line(source, at)}"))

    for piece in TOKEN_RE.split(source):
        start, offset = offset, offset + len(piece)
        is_tag, is_var = piece.startswith("{%"), piece.startswith("{{")
        contents = piece[2:-2].strip()
        if in_comment:
            in_comment = not (is_tag and contents == "endcomment")
        elif in_block:
            if is_tag and END_BLOCK_RE.match(contents):
                one, other = "".join(singular), "".join(plural)
                if trimmed:
                    one, other = TRIM_RE.sub(" ", one.strip()), TRIM_RE.sub(" ", other.strip())
                add(one, other if in_plural else None, context, block_start)
                in_block = in_plural = False
            elif is_tag and contents == "plural":
                in_plural = True
            elif is_tag:
                raise AssertionError(f"{name}:{_line(source, start)}: tag inside a blocktranslate")
            elif is_var:
                (plural if in_plural else singular).append(f"%({contents})s")
            elif not piece.startswith("{#"):
                (plural if in_plural else singular).append(piece.replace("%", "%%"))
        elif is_tag:
            if contents == "comment":
                in_comment = True
            elif match := TRANSLATE_RE.match(contents):
                ctx = CONTEXT_RE.search(match["rest"])
                add(
                    _unquote(match["msg"]).replace("%", "%%"),
                    ctx=_unquote(ctx["ctx"]) if ctx else None,
                    at=start,
                )
            elif match := BLOCK_RE.match(contents):
                args = match["args"] or ""
                for constant in CONSTANT_RE.finditer(args):
                    add(_unquote(constant["msg"]), at=start)
                ctx = CONTEXT_RE.search(args)
                context = _unquote(ctx["ctx"]) if ctx else None
                trimmed = "trimmed" in args.split()
                in_block, in_plural, singular, plural, block_start = True, False, [], [], start
            else:
                for constant in CONSTANT_RE.finditer(contents):
                    add(_unquote(constant["msg"]), at=start)
        elif is_var:
            for constant in CONSTANT_RE.finditer(contents):
                add(_unquote(constant["msg"]), at=start)
    assert not in_block, f"{name}: unclosed blocktranslate"
    return found


# Python: calls of the gettext functions with literal arguments; adjacent literals
# (implicit concatenation, also across lines and comments) are joined by ast.
KEYWORDS = {  # name: (has a context, has a plural)
    "_": (False, False),
    "_lazy": (False, False),
    "gettext": (False, False),
    "gettext_lazy": (False, False),
    "gettext_noop": (False, False),
    "ngettext": (False, True),
    "ngettext_lazy": (False, True),
    "pgettext": (True, False),
    "pgettext_lazy": (True, False),
    "npgettext": (True, True),
    "npgettext_lazy": (True, True),
}
PY_STR = (
    r"(?:[rRuU]?(?:\"\"\"[\s\S]*?(?<!\\)\"\"\"|'''[\s\S]*?(?<!\\)'''"
    r"|\"(?:[^\"\\\n]|\\[\s\S])*\"|'(?:[^'\\\n]|\\[\s\S])*'))"
)
PY_SEP = r"(?:\s|#[^\n]*)*"
PY_SEQ = rf"{PY_STR}(?:{PY_SEP}{PY_STR})*"
PY_CALL_RE = re.compile(
    rf"(?<![\w.])(?P<func>{'|'.join(sorted(KEYWORDS, key=len, reverse=True))})"
    rf"\s*\({PY_SEP}(?P<args>{PY_SEQ}(?:{PY_SEP},{PY_SEP}{PY_SEQ})*){PY_SEP}(?=[,)])"
)


def extract_python(source: str, name: str = "<python>") -> list[Message]:
    found = []
    for match in PY_CALL_RE.finditer(source):
        has_context, has_plural = KEYWORDS[match["func"]]
        args = list(ast.literal_eval(f"({match['args']},)"))
        if not all(isinstance(a, str) for a in args):
            continue  # bytes: not a message
        wanted = 1 + has_context + has_plural
        if len(args) < wanted:
            continue  # e.g. ngettext("one", variable, n): makemessages cannot use it either
        context = args.pop(0) if has_context else None
        found.append(
            Message(
                args[0],
                args[1] if has_plural else None,
                context,
                f"{name}:{_line(source, match.start())}",
            )
        )
    return found


def source_messages(root: Path = PACKAGE) -> list[Message]:
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts or "__pycache__" in relative.parts:
            continue
        if path.suffix in {".html", ".txt"}:
            found += extract_template(path.read_text(encoding="utf-8"), str(relative))
        elif path.suffix == ".py":
            found += extract_python(path.read_text(encoding="utf-8"), str(relative))
    return found


def missing_translations(messages: list[Message], po: polib.POFile) -> list[str]:
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    problems = []
    for message in messages:
        entry = entries.get((message.context, message.msgid))
        if entry is None:
            problem = "not in the catalogue"
        elif message.plural is not None and entry.msgid_plural != message.plural:
            problem = f"catalogue plural is {entry.msgid_plural!r}, not {message.plural!r}"
        elif not is_translated(entry):
            problem = "fuzzy" if "fuzzy" in entry.flags else "not translated"
        else:
            continue
        context = f" (context {message.context!r})" if message.context else ""
        problems.append(f"{message.where}: {message.msgid!r}{context}: {problem}")
    return problems


# --- the catalogue ----------------------------------------------------------------


def test_catalogue_parses_with_a_vietnamese_header():
    po = catalogue()
    assert len(po) > 100
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert not po.metadata_is_fuzzy


def test_no_fuzzy_and_no_untranslated_entries():
    po = catalogue()
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries: {fuzzy}"
    empty = [
        e.msgid
        for e in po
        if not (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr.strip())
    ]
    assert not empty, f"{len(empty)} untranslated entries: {empty}"
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert not obsolete, f"obsolete entries (run makemessages --no-obsolete): {obsolete}"


def test_plural_entries_have_exactly_one_form():
    wrong = [
        (e.msgid, sorted(e.msgstr_plural))
        for e in catalogue()
        if e.msgid_plural and sorted(e.msgstr_plural) != [0]
    ]
    assert not wrong, f"Vietnamese has one plural form (msgstr[0] only): {wrong}"


def test_placeholders_are_kept():
    problems = []
    for e in catalogue():
        if "python-format" not in e.flags:
            continue
        named, positional = placeholders(e.msgid)
        if e.msgid_plural:
            # msgstr[0] serves every count, so it needs the plural's placeholders too.
            named |= placeholders(e.msgid_plural)[0]
        for msgstr in e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]:
            got_named, got_positional = placeholders(msgstr)
            if named - got_named or got_named - named or got_positional != positional:
                problems.append(f"{e.msgid!r} -> {msgstr!r}")
                continue
            try:  # Django formats the translation exactly like this.
                msgstr % ({n: 1 for n in named} if named else tuple(1 for _ in positional))
            except (TypeError, ValueError, KeyError) as exc:
                problems.append(f"{e.msgid!r} -> {msgstr!r}: {exc}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_template_variables_do_not_leak_into_translations():
    leaked = [e.msgid for e in catalogue() if "{{" in e.msgstr or "{%" in e.msgstr]
    assert not leaked, f"use %(var)s, not {{{{ var }}}}, in msgstr: {leaked}"


def test_terminology():
    """Terms that the browser tests and the users rely on."""
    expected = {
        "Supervised agencies": "Cơ quan được giám sát",
        "Audit trail": "Nhật ký thay đổi",
        "Add a person": "Thêm người",
        "ISO secretary": "Thư ký ISO",
        "Process owner": "Chủ trì quy trình",
        "Steering committee member": "Thành viên Ban chỉ đạo ISO",
        "Head of agency": "Thủ trưởng cơ quan",
        "Internal auditor": "Chuyên gia đánh giá nội bộ",
        "Staff": "Công chức",
        "DoST officer": "Cán bộ Sở KH&CN",
        "DoST administrator": "Quản trị viên Sở KH&CN",
        "Department of Science and Technology": "Sở Khoa học và Công nghệ",
        "Provincial People's Committee": "Ủy ban nhân dân tỉnh",
        "Commune/ward/town People's Committee": "Ủy ban nhân dân xã, phường, thị trấn",
        "Sub-department": "Chi cục",
        "Department": "Sở, ban, ngành",
        "Vertical agency": "Cơ quan ngành dọc",
        "Public service unit": "Đơn vị sự nghiệp công lập",
        "Merge": "Hợp nhất, sáp nhập",
        "Split": "Chia tách",
        "Rename": "Đổi tên",
        "Move": "Chuyển trực thuộc",
        "Dissolve": "Giải thể",
        "Lineage": "Quá trình hình thành",
        "Sign in": "Đăng nhập",
        "Sign out": "Đăng xuất",
        "Two-factor sign-in": "Xác thực hai lớp",
        "Electronic ISO": "ISO điện tử",
    }
    actual = {e.msgid: e.msgstr for e in catalogue() if e.msgid in expected and not e.msgctxt}
    assert actual == expected


def test_compiled_catalogue_translates(tmp_path):
    """polib's .mo (what `compiletranslations` writes) loads and applies the plural rule."""
    mo = tmp_path / "django.mo"
    catalogue().save_as_mofile(str(mo))
    with mo.open("rb") as f:
        vi = gettext.GNUTranslations(f)
    assert vi.gettext("Audit trail") == "Nhật ký thay đổi"
    for n in (1, 2, 5):
        assert vi.ngettext("%(counter)s agency", "%(counter)s agencies", n) == "%(counter)s cơ quan"


# --- completeness -----------------------------------------------------------------


def test_every_message_of_the_source_is_translated():
    messages = source_messages()
    assert len({m.msgid for m in messages}) > 100, "the extraction found too little"
    problems = missing_translations(messages, catalogue())
    assert not problems, (
        f"{len(problems)} message(s) of the source lack a Vietnamese translation "
        "(run makemessages, translate, compiletranslations):\n" + "\n".join(problems)
    )


TEMPLATE_SAMPLE = """{% load i18n %}
{% translate "Plain" %} {% trans 'Single quoted' as title %} {% translate "Up"|upper %}
{% translate "May" context "month name" %} {% translate "100% sure" %}
{{ _("Constant") }} {% firstof var _("In a tag") %}
{% comment %}{% translate "Commented out" %}{% endcomment %}{# {% translate "Note" %} #}
{% blocktranslate with d=day|date:"d/m/Y" %}since {{ d }}{% endblocktranslate %}
{% blocktranslate trimmed count counter=n %}
  {{ counter }} agency,
  100% sure
{% plural %}
  {{ counter }}   agencies
{% endblocktranslate %}
{% blocktrans %}Keep
 spacing{% endblocktrans %}
"""

PYTHON_SAMPLE = """
from django.utils.translation import gettext_lazy as _, ngettext, pgettext
label = _("Simple")
help = _(
    "Joined across "  # a comment between the parts
    'two lines.'
)
error = _("Quote \\"inside\\" and %(name)s") % {"name": 1}
many = ngettext("%(n)s file", "%(n)s files", n)
month = pgettext("month name", "May")
ignored = _(variable), foo._("method"), _(f"f-string {x}")
"""


def test_template_extraction_follows_django():
    got = {(m.msgid, m.plural, m.context) for m in extract_template(TEMPLATE_SAMPLE)}
    assert got == {
        ("Plain", None, None),
        ("Single quoted", None, None),
        ("Up", None, None),
        ("May", None, "month name"),
        ("100%% sure", None, None),
        ("Constant", None, None),
        ("In a tag", None, None),
        ("since %(d)s", None, None),
        ("%(counter)s agency, 100%% sure", "%(counter)s   agencies", None),
        ("Keep\n spacing", None, None),
    }


def test_python_extraction_joins_literals():
    got = {(m.msgid, m.plural, m.context) for m in extract_python(PYTHON_SAMPLE)}
    assert got == {
        ("Simple", None, None),
        ("Joined across two lines.", None, None),
        ('Quote "inside" and %(name)s', None, None),
        ("%(n)s file", "%(n)s files", None),
        ("May", None, "month name"),
    }


def test_a_new_untranslated_string_is_reported():
    po = catalogue()
    messages = extract_template('{% load i18n %}\n{% translate "Brand new string" %}', "x.html")
    messages += extract_python('_("Audit trail")\n_("Another new string")', "y.py")
    assert missing_translations(messages, po) == [
        "x.html:2: 'Brand new string': not in the catalogue",
        "y.py:2: 'Another new string': not in the catalogue",
    ]


@pytest.mark.parametrize("fuzzy", [True, False])
def test_fuzzy_or_empty_entries_count_as_missing(fuzzy):
    po = polib.POFile()
    po.append(
        polib.POEntry(msgid="Draft", msgstr="Bản nháp" if fuzzy else "", flags=["fuzzy"] * fuzzy)
    )
    assert missing_translations([Message("Draft", where="z.html:1")], po) == [
        f"z.html:1: 'Draft': {'fuzzy' if fuzzy else 'not translated'}"
    ]
