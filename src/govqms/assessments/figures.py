"""Counts, shares and changes as the provincial reports write them.

Shares are rounded half up to one decimal and written with a decimal comma:
52 of 166 is "31,3 %"; a band line reads "xuất sắc 52/166 (31,3 %)"."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Band

ONE_DECIMAL = Decimal("0.1")


def share(count: int, whole: int) -> Decimal | None:
    """count/whole in per cent, rounded half up to one decimal (None when whole is 0)."""
    if not whole:
        return None
    return (Decimal(count) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def decimal_comma(value: Decimal | float | int | None, places: int = 1) -> str:
    """1234.5 -> "1.234,5" (Vietnamese: dot for thousands, comma for decimals)."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    value = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(value: Decimal | None) -> str:
    """31.3 -> "31,3 %"."""
    return "—" if value is None else f"{decimal_comma(value)} %"


def signed(value: Decimal | int | None, places: int = 1) -> str:
    """A change with its sign: +11,0 / −2,5 / 0 (integers without decimals)."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:+d}".replace("-", "−") if value else "0"
    text = decimal_comma(abs(value), places)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


@dataclass(frozen=True)
class BandFigure:
    band: str
    label: str
    count: int
    whole: int
    share: Decimal | None
    previous_count: int | None = None
    previous_share: Decimal | None = None

    @property
    def change_count(self) -> int | None:
        return None if self.previous_count is None else self.count - self.previous_count

    @property
    def change_points(self) -> Decimal | None:
        """Change of the share in percentage points (from the rounded shares, as printed)."""
        if self.share is None or self.previous_share is None:
            return None
        return self.share - self.previous_share

    @property
    def text(self) -> str:
        """ "xuất sắc 52/166 (31,3 %)" in the active language."""
        return f"{self.label.lower()} {self.count}/{self.whole} ({percent(self.share)})"


def band_figures(bands: Iterable[str], previous: Iterable[str] | None = None) -> list[BandFigure]:
    """One figure per band, best first, from the final bands of a year's agencies
    (and of the year before, for the change). Agencies without a band are left out
    of neither count: `whole` is every agency given, banded or not."""
    bands = list(bands)
    counts, whole = Counter(bands), len(bands)
    prev_counts, prev_whole = None, 0
    if previous is not None:
        previous = list(previous)
        prev_counts, prev_whole = Counter(previous), len(previous)
    figures = []
    for band in Band:
        figures.append(
            BandFigure(
                band=band.value,
                label=str(band.label),
                count=counts[band.value],
                whole=whole,
                share=share(counts[band.value], whole),
                previous_count=None if prev_counts is None else prev_counts[band.value],
                previous_share=None
                if prev_counts is None
                else share(prev_counts[band.value], prev_whole),
            )
        )
    return figures


def band_line(figures: list[BandFigure]) -> str:
    """ "xuất sắc 52/166 (31,3 %), tốt 51/166 (30,7 %), ..." (bands with a count)."""
    return ", ".join(f.text for f in figures if f.count)
