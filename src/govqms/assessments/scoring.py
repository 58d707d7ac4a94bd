"""Totals, bands and ranks: pure functions, no database."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .models import DEFAULT_BANDS


def total(points: Iterable[Decimal | None]) -> Decimal:
    """Sum of the points given; an unscored criterion (None) counts as 0."""
    return sum((p for p in points if p is not None), Decimal("0"))


def band_for(points: Decimal | None, bands: Sequence[tuple[str, Decimal]] = DEFAULT_BANDS) -> str:
    """The band of a total: the best band whose lower bound the total reaches.

    `bands` is [(band, min_points), ...] in any order. A total below every bound
    gets the lowest band; no total (None) gets no band ("")."""
    if points is None:
        return ""
    ordered = sorted(bands, key=lambda b: b[1], reverse=True)
    for band, minimum in ordered:
        if points >= minimum:
            return band
    return ordered[-1][0] if ordered else ""


def ranks(totals: dict, *, tie_break=None) -> dict:
    """Competition ranking ("1, 2, 2, 4"): equal totals share a rank.

    `totals` maps a key (an assessment pk) to its total; keys whose total is None are
    not ranked. `tie_break(key)` only orders keys inside a tie (a name), it never
    changes the rank."""
    scored = [(k, v) for k, v in totals.items() if v is not None]
    scored.sort(key=lambda kv: (-kv[1], tie_break(kv[0]) if tie_break else 0))
    result, previous, rank = {}, None, 0
    for position, (key, value) in enumerate(scored, start=1):
        if value != previous:
            rank, previous = position, value
        result[key] = rank
    return result
