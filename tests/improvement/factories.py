"""Builders for nonconformity tests."""

import datetime as dt

from govqms.improvement import services


def make_nc(unit, actor=None, **kwargs):
    data = {"source_kind": "other", "title": "Hồ sơ trả muộn không có phiếu xin lỗi"}
    data.update(kwargs)
    return services.open_nonconformity(actor, unit=unit, **data)


def analysed_nc(unit, actor, **kwargs):
    nc = make_nc(unit, actor, **kwargs)
    return services.record_analysis(
        actor,
        nc,
        whys=[{"why": "Vì sao trả muộn?", "because": "Không theo dõi hạn xử lý"}],
        root_cause="Chưa phân công người theo dõi hạn",
    )


def nc_with_action(unit, actor, owner=None, due=None, **kwargs):
    nc = analysed_nc(unit, actor, **kwargs)
    action = services.add_action(
        actor,
        nc,
        text="Phân công cán bộ theo dõi hạn hằng ngày",
        owner=owner or actor,
        due_date=due or dt.date.today() + dt.timedelta(days=30),
    )
    return nc, action
