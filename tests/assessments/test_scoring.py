"""Totals, bands and ranks: the pure functions and the set's own bands."""

from decimal import Decimal

from govqms.assessments import scoring, services
from govqms.assessments.models import DEFAULT_BANDS, RatingBand
from tests.assessments.test_campaign import make_set

D = Decimal


def test_total_counts_unscored_as_zero():
    assert scoring.total([D("40"), None, D("25.5")]) == D("65.5")
    assert scoring.total([None, None]) == D("0")


def test_default_bands_at_their_bounds():
    cases = {
        D("100"): "excellent",
        D("90"): "excellent",
        D("89.99"): "good",
        D("80"): "good",
        D("79.5"): "fair",
        D("65"): "fair",
        D("64.99"): "average",
        D("50"): "average",
        D("49.99"): "weak",
        D("0"): "weak",
    }
    for points, band in cases.items():
        assert scoring.band_for(points, DEFAULT_BANDS) == band, points
    assert scoring.band_for(None, DEFAULT_BANDS) == ""


def test_the_sets_own_bands_are_used(world):
    cs = make_set(world.p)
    RatingBand.objects.filter(criteria_set=cs, band="excellent").update(min_points=D("95"))
    bands = services.bands_of(cs)
    assert scoring.band_for(D("92"), bands) == "good"
    assert scoring.band_for(D("95"), bands) == "excellent"


def test_ranks_ties_share_a_rank_and_the_next_skips():
    names = {1: "Xã B", 2: "Xã A", 3: "Xã C", 4: "Xã D", 5: "Xã E"}
    totals = {1: D("90"), 2: D("90"), 3: D("85"), 4: None, 5: D("70")}
    ranked = scoring.ranks(totals, tie_break=names.get)
    assert ranked == {2: 1, 1: 1, 3: 3, 5: 4}
    assert list(ranked) == [2, 1, 3, 5]  # inside the tie, by name
    assert 4 not in ranked  # no total, no rank
