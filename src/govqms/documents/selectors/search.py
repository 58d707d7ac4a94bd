"""Accent-insensitive full-text search over documents, the same on every database.

Candidates come from the folded `search_text` columns with `LIKE` (every folded term
must match), scoped to what the user may see:

- a member of an agency searches its effective versions and, marked as such, its own
  versions in progress (draft, in review, approved);
- an overseer searches the effective versions of the agencies in their subtree,
  never drafts.

Ranking is done in Python over at most `CANDIDATES` rows: a phrase match first, then
every term in the title, then the number of term occurrences. The passage shown is
cut from the ORIGINAL text of the best matching field around its first match, with
the terms highlighted (`fold_with_map` keeps the positions of the folded text mapped
back onto the original).
"""

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from govqms.core.text import fold, search_terms
from govqms.organizations import selectors as org

from ..models import Document, DocumentVersion, VersionStatus
from .documents import IN_PROGRESS, log_list_read, visible_documents

CANDIDATES = 200
PASSAGE_LENGTH = 200

# Where a passage was found, as the reader sees it.
FIELD_LABELS = {
    "title": _("Title"),
    "code": _("Code"),
    "division": _("Owning division"),
    "change_note": _("What changed"),
    "purpose": _("Purpose"),
    "scope": _("Scope"),
    "references": _("References"),
    "definitions": _("Definitions and abbreviations"),
    "legal_basis": _("Legal basis"),
    "conditions": _("Conditions"),
    "dossier_components": _("Dossier components"),
    "processing_time": _("Processing time"),
    "where": _("Where to submit and collect"),
    "fees": _("Fees"),
    "steps": _("Steps"),
    "forms": _("Forms"),
    "records": _("Records to keep"),
    "body": _("Content"),
}

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """`core.text.fold` of one character, without the whitespace handling."""
    decomposed = unicodedata.normalize("NFD", ch.translate(_D_MAP))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` as `core.text.fold` does (no marks, đ→d, lower case, whitespace
    collapsed to single spaces, trimmed) and return, for each character of the folded
    text, the index of the original character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text or ""):
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            continue
        for folded in _fold_char(ch):
            out.append(folded)
            index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def _occurrences(haystack: str, needle: str) -> list[int]:
    positions, start = [], haystack.find(needle)
    while start != -1:
        positions.append(start)
        start = haystack.find(needle, start + 1)
    return positions


@dataclass
class _Field:
    key: str
    text: str

    @cached_property
    def folded(self) -> str:
        return fold(self.text)


def _row_text(row) -> str:
    """A table row as a passage reads it: its words, not its counts (sets, hours)."""
    if isinstance(row, dict):
        return " · ".join(v.strip() for v in row.values() if isinstance(v, str) and v.strip())
    return str(row)


def _version_fields(version: DocumentVersion | None, document: Document) -> list[_Field]:
    fields = [
        _Field("title", document.title),
        _Field("code", document.code),
        _Field("division", document.division),
    ]
    if version is None:
        return fields
    fields.append(_Field("change_note", version.change_note))
    for key, value in (version.content or {}).items():
        if isinstance(value, str):
            fields.append(_Field(key, value))
        elif isinstance(value, list):
            fields.extend(_Field(key, _row_text(row)) for row in value)
    return [f for f in fields if f.text]


@dataclass
class SearchHit:
    """One result: a version of a document (its effective one, or, for the agency's
    own members, one in progress), with its rank and the passage that matched."""

    document: Document
    version: DocumentVersion
    terms: list[str]
    phrase: str
    fields: list[_Field] = field(repr=False)
    phrase_match: bool = False
    title_match: bool = False
    occurrences: int = 0

    @property
    def in_progress(self) -> bool:
        return self.version.status in IN_PROGRESS

    @property
    def unit(self):
        return self.document.unit

    @property
    def rank(self) -> tuple:
        return (self.phrase_match, self.title_match, self.occurrences)

    def _best_field(self) -> tuple[_Field | None, str]:
        """The field the passage comes from and what it matched first:
        a phrase match if any, else the field matching the most distinct terms, the
        earliest in the document's order. Content is preferred to the title, which is
        shown anyway."""
        best, best_key = (None, ""), None
        for position, f in enumerate(self.fields):
            folded = f.folded
            phrase_at = folded.find(self.phrase) if len(self.terms) > 1 else -1
            found = {t: folded.find(t) for t in self.terms}
            distinct = sum(1 for at in found.values() if at >= 0)
            if not distinct:
                continue
            key = (phrase_at >= 0, distinct, f.key not in ("title", "code"), -position)
            if best_key is None or key > best_key:
                if phrase_at >= 0:
                    needle = self.phrase
                else:
                    needle = min((at, t) for t, at in found.items() if at >= 0)[1]
                best, best_key = (f, needle), key
        return best

    @cached_property
    def _passage(self) -> tuple[str, SafeString]:
        f, needle = self._best_field()
        if f is None:
            return "", mark_safe("")
        return f.key, highlight(f.text, self.terms, first=needle)

    @property
    def passage(self) -> SafeString:
        """HTML: ~200 characters of the original text around the first match, HTML
        escaped, the terms in <mark>."""
        return self._passage[1]

    @property
    def passage_field(self) -> str:
        return self._passage[0]

    @property
    def passage_label(self):
        key = self.passage_field
        return FIELD_LABELS.get(key, key)


def highlight(
    text: str,
    terms: list[str],
    *,
    first: str | None = None,
    length: int = PASSAGE_LENGTH,
) -> SafeString:
    """A window of about `length` characters of `text` around the first match of the
    folded `first` (or else of any term), escaped, with every term marked."""
    folded, index = fold_with_map(text)
    if not folded:
        return mark_safe("")
    at = folded.find(first) if first else -1
    if at >= 0:
        needle = first
    else:
        firsts = [(folded.find(t), t) for t in terms if folded.find(t) >= 0]
        at, needle = min(firsts) if firsts else (0, "")
    match_start = index[at]
    match_end = index[at + max(len(needle), 1) - 1] + 1
    # Centre the match in the window, then move the edges to word boundaries.
    room = max(length - (match_end - match_start), 0)
    start = max(0, match_start - room // 3)
    end = min(len(text), max(match_end, start + length))
    if end == len(text):
        start = max(0, min(start, end - length))
    if start > 0:
        space = text.find(" ", start, match_start)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", match_end, end)
        end = space if space != -1 else end
    # Marked spans, in original positions, inside the window.
    spans = []
    # The phrase is marked as one span, so "đăng ký khai sinh" reads as one match.
    for term in [*terms, " ".join(terms)] if len(terms) > 1 else terms:
        for at in _occurrences(folded, term):
            s, e = index[at], index[at + len(term) - 1] + 1
            if s >= start and e <= end:
                spans.append((s, e))
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    parts = ["…" if start > 0 else ""]
    cursor = start
    for s, e in merged:
        parts.append(escape(text[cursor:s]))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))


def searchable_versions(user):
    """The versions a user's search covers (see the module's docstring)."""
    documents = visible_documents(user)
    member_of = org.agency_units(user)
    return DocumentVersion.objects.filter(document__in=documents).filter(
        Q(status=VersionStatus.EFFECTIVE) | Q(status__in=IN_PROGRESS, document__unit__in=member_of)
    )


def search(user, query: str | None, *, limit: int = CANDIDATES) -> list[SearchHit]:
    """The versions matching every folded word of `query`, best first."""
    terms = list(dict.fromkeys(search_terms(query)))
    if not terms:
        return []
    candidates = searchable_versions(user)
    for term in terms:
        candidates = candidates.filter(
            Q(search_text__contains=term) | Q(document__search_text__contains=term)
        )
    # Title matches rank first whatever the content: fetch them first so the limit
    # never drops them, then the others.
    in_title = Q()
    for term in terms:
        in_title &= Q(document__search_text__contains=term)
    related = candidates.select_related("document__unit")
    order = ["-document__updated_at", "document_id", "-issue_no"]
    rows = list(related.filter(in_title).order_by(*order)[:limit])
    if len(rows) < limit:
        rows += list(
            related.exclude(pk__in=[v.pk for v in rows]).order_by(*order)[: limit - len(rows)]
        )
    phrase = " ".join(terms)
    hits = []
    for version in rows:
        document = version.document
        fields = _version_fields(version, document)
        folded_fields = [f.folded for f in fields]
        title = fold(f"{document.title} {document.code}")
        hits.append(
            SearchHit(
                document=document,
                version=version,
                terms=terms,
                phrase=phrase,
                fields=fields,
                phrase_match=any(phrase in text for text in folded_fields),
                title_match=all(t in title for t in terms),
                occurrences=sum(text.count(t) for text in folded_fields for t in terms),
            )
        )
    status_order = {VersionStatus.EFFECTIVE: 0}
    hits.sort(
        key=lambda h: (
            tuple(-int(x) for x in h.rank),
            status_order.get(h.version.status, 1),
            h.document.code,
            h.document.unit_id,
        )
    )
    return hits


def log_oversight_reads(user, hits: list[SearchHit], query: str) -> None:
    """An overseer saw passages of agencies' documents: each agency sees it."""
    log_list_read(user, (hit.unit for hit in hits), f"document search: {query}")
