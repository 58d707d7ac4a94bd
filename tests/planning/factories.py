"""Builders for the planning tests."""

import datetime as dt

from govqms.planning import services

OBJECTIVE = {
    "year": 2026,
    "title": "Giải quyết hồ sơ đúng hạn",
    "indicator": "Tỷ lệ hồ sơ giải quyết đúng và trước hạn",
    "measure_unit": "%",
    "direction": "higher",
    "target": 95,
    "tolerance": 5,
    "schedule": "quarterly",
    "source": "manual",
}


def make_objective(unit, actor=None, procedures=None, **overrides):
    return services.save_objective(actor, unit, {**OBJECTIVE, **overrides}, procedures=procedures)


def make_risk(unit, actor=None, **overrides):
    data = {
        "kind": "risk",
        "process_text": "Tiếp nhận và trả kết quả",
        "description": "Hồ sơ bị thất lạc khi chuyển giữa các bộ phận",
        "cause": "Không có sổ theo dõi",
        "likelihood": 3,
        "impact": 4,
        **overrides,
    }
    return services.save_risk(actor, unit, data)


def make_item(unit, actor=None, **overrides):
    data = {
        "year": 2026,
        "kind": "internal_audit",
        "title": "Đánh giá nội bộ năm 2026",
        "start": dt.date(2026, 8, 1),
        "end": dt.date(2026, 8, 31),
        **overrides,
    }
    return services.save_plan_item(actor, unit, data)
