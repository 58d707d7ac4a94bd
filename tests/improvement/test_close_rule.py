"""A nonconformity cannot be closed until every action is done and its
effectiveness was evaluated effective (ISO 9001:2015, 10.2)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from govqms.core.models import AuditEntry
from govqms.improvement import services
from govqms.improvement.models import Status

from .factories import analysed_nc, make_nc, nc_with_action


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_full_cycle_moves_through_every_status(world):
    actor = world.a_secretary
    nc = make_nc(world.a, actor)
    assert nc.status == Status.OPEN
    services.record_correction(actor, nc, text="Đã gọi điện xin lỗi công dân")
    nc = services.record_analysis(
        actor,
        nc,
        whys=[{"why": f"Tại sao {i}?", "because": f"Vì {i}"} for i in range(1, 6)],
        root_cause="Thiếu phân công",
    )
    assert nc.status == Status.ANALYSED and len(nc.whys) == 5
    action = services.add_action(
        actor, nc, text="Phân công", owner=world.a_staff, due_date=nc.detected_on
    )
    nc.refresh_from_db()
    assert nc.status == Status.IN_PROGRESS
    services.complete_action(world.a_staff, action, evidence="Quyết định phân công số 12")
    nc.refresh_from_db()
    assert nc.status == Status.AWAITING_EFFECTIVENESS
    services.evaluate(world.a_head, nc, effective=True, comment="Không còn hồ sơ trả muộn")
    nc = services.close(world.a_head, nc)
    assert nc.status == Status.CLOSED and nc.closed_by == world.a_head
    actions = set(
        AuditEntry.objects.filter(
            object_type="improvement.nonconformity", object_id=str(nc.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "nc_open",
        "nc_correction",
        "nc_analysis",
        "nc_action_add",
        "nc_action_done",
        "nc_evaluate",
        "nc_close",
    } <= actions


def test_close_refused_with_an_open_action(world):
    nc, _action = nc_with_action(world.a, world.a_secretary)
    with pytest.raises(ValidationError) as err:
        services.close(world.a_secretary, nc)
    assert "1 corrective action is not done yet" in " ".join(err.value.messages)
    nc.refresh_from_db()
    assert nc.status == Status.IN_PROGRESS


def test_close_refused_without_evaluation(world):
    nc, action = nc_with_action(world.a, world.a_secretary)
    services.complete_action(world.a_secretary, action)
    with pytest.raises(ValidationError) as err:
        services.close(world.a_secretary, nc)
    assert "effectiveness of the actions has not been evaluated" in " ".join(err.value.messages)


def test_close_refused_when_not_effective_and_nc_goes_back_to_analysis(world):
    nc, action = nc_with_action(world.a, world.a_secretary)
    services.complete_action(world.a_secretary, action)
    nc = services.evaluate(world.a_head, nc, effective=False, comment="Vẫn còn trả muộn")
    assert nc.status == Status.ANALYSED
    with pytest.raises(ValidationError) as err:
        services.close(world.a_head, nc)
    assert "not effective" in " ".join(err.value.messages)
    # A new action and a new evaluation, then it closes.
    second = services.add_action(
        world.a_head, nc, text="Cảnh báo tự động", owner=world.a_head, due_date=nc.detected_on
    )
    nc.refresh_from_db()
    assert nc.status == Status.IN_PROGRESS and nc.effective is None
    services.complete_action(world.a_head, second)
    services.evaluate(world.a_head, nc, effective=True)
    assert services.close(world.a_head, nc).status == Status.CLOSED


def test_close_refused_without_any_action(world):
    nc = analysed_nc(world.a, world.a_secretary)
    with pytest.raises(ValidationError) as err:
        services.close(world.a_secretary, nc)
    assert "No corrective action" in " ".join(err.value.messages)


def test_evaluation_refused_while_an_action_is_open(world):
    nc, _action = nc_with_action(world.a, world.a_secretary)
    with pytest.raises(ValidationError):
        services.evaluate(world.a_secretary, nc, effective=True)


def test_actions_need_the_root_cause_first(world):
    nc = make_nc(world.a, world.a_secretary)
    with pytest.raises(ValidationError):
        services.add_action(
            world.a_secretary, nc, text="x", owner=world.a_staff, due_date=nc.detected_on
        )


def test_action_owner_must_be_a_member(world):
    nc = analysed_nc(world.a, world.a_secretary)
    with pytest.raises(ValidationError):
        services.add_action(
            world.a_secretary, nc, text="x", owner=world.b_secretary, due_date=nc.detected_on
        )


def test_at_most_five_whys(world):
    nc = make_nc(world.a, world.a_secretary)
    with pytest.raises(ValidationError):
        services.record_analysis(
            world.a_secretary,
            nc,
            whys=[{"why": str(i), "because": str(i)} for i in range(6)],
            root_cause="x",
        )


def test_closed_nonconformity_is_frozen(world):
    nc, action = nc_with_action(world.a, world.a_secretary)
    services.complete_action(world.a_secretary, action)
    services.evaluate(world.a_secretary, nc, effective=True)
    services.close(world.a_secretary, nc)
    with pytest.raises(ValidationError):
        services.record_correction(world.a_secretary, nc, text="muộn")
