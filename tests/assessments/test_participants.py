"""Who takes part in a campaign: the agencies of the owner's province on the
reference date, even when a merger has since moved them under a new root."""

import datetime as dt

from govqms.assessments.services import participants
from govqms.organizations.models import UnitKind
from tests.factories import make_unit


def test_a_province_root_takes_the_agencies_of_its_province_on_that_day(world):
    w = world
    ended = make_unit(
        "P-OLD",
        "Ủy ban nhân dân xã Cũ",
        parent=w.q,  # moved under another root by a later restructuring
        valid_from=dt.date(2015, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    later = make_unit(
        "P-NEW", "Ủy ban nhân dân phường Mới", parent=w.p, valid_from=dt.date(2025, 7, 1)
    )
    outside = make_unit("P-OUT", "Văn phòng không thuộc phạm vi", parent=w.p, in_dost_remit=False)

    in_2022 = set(participants(w.p, dt.date(2022, 12, 31)))
    assert ended in in_2022 and later not in in_2022 and outside not in in_2022
    assert w.c not in in_2022  # another province
    in_2026 = set(participants(w.p, dt.date(2026, 6, 1)))
    assert later in in_2026 and ended not in in_2026 and w.b in in_2026


def test_below_the_root_the_owners_subtree_counts(world):
    w = world
    district = make_unit("P-D", "Ủy ban nhân dân huyện Đông", UnitKind.DISTRICT_PC, parent=w.p)
    commune = make_unit("P-D-X", "Ủy ban nhân dân xã Tây", parent=district)
    assert set(participants(district, dt.date(2026, 6, 1))) == {district, commune}
