"""Vietnamese text folding: the one function search uses on every database.

NFD plus dropping combining marks does not touch đ/Đ (they are letters of their
own, not d with a mark), so they are mapped explicitly.
"""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str | None) -> str:
    """Fold Vietnamese text for search: no diacritics, đ→d, lower case, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def search_terms(query: str | None) -> list[str]:
    """The folded words of a search box, each of which must match."""
    return fold(query).split()
