import pytest
from django.core.exceptions import PermissionDenied

from govqms.improvement import selectors, services
from govqms.improvement.models import Nonconformity, Source


def test_open_nonconformity_numbers_per_agency_and_is_idempotent(world):
    first = services.open_nonconformity(
        world.a_secretary,
        unit=world.a,
        source_kind=Source.AUDIT_FINDING,
        source_id="17",
        source_label="Đánh giá nội bộ 2026, phát hiện 3",
        title="Không lưu hồ sơ bổ sung",
        clause="8.5.1",
        grade="minor",
    )
    again = services.open_nonconformity(
        None, unit=world.a, source_kind="audit_finding", source_id="17", title="x"
    )
    assert again.pk == first.pk
    other = services.open_nonconformity(None, unit=world.a, source_kind="other", title="Khác")
    assert first.number.startswith("NC-") and first.number.endswith("-001")
    assert other.number.endswith("-002")
    in_b = services.open_nonconformity(None, unit=world.b, source_kind="kpi", title="KPI")
    assert in_b.number.endswith("-001")
    assert Nonconformity.objects.filter(unit=world.a).count() == 2
    found = selectors.nonconformities_for_source(world.a, "audit_finding", ["17", "18"])
    assert list(found) == ["17"] and found["17"].pk == first.pk
    assert selectors.nonconformities_for_source(world.b, "audit_finding", ["17"]) == {}


@pytest.mark.parametrize("who", ["a_staff", "b_secretary", "dost_officer"])
def test_open_nonconformity_refused_to_others(world, who):
    user = world.users.get(who) or getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.open_nonconformity(user, unit=world.a, source_kind="other", title="x")
