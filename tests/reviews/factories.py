"""Management reviews for the tests."""

import datetime as dt

from govqms.reviews import services

PLANNED = dt.date(2026, 12, 15)


def plan(w, unit=None, actor=None, **kwargs):
    unit = unit or w.a
    actor = actor or (w.a_secretary if unit == w.a else w.b_secretary)
    chair = kwargs.pop("chair", w.a_head if unit == w.a else w.b_secretary)
    defaults = {
        "title": "Họp xem xét của lãnh đạo năm 2026",
        "planned_date": PLANNED,
        "place": "Phòng họp tầng 2",
        "chair": chair,
        "attendees": [w.a_head, w.a_secretary, w.a_staff] if unit == w.a else [w.b_secretary],
        "guests": "Đại diện Sở KH&CN",
    }
    defaults.update(kwargs)
    return services.plan_review(actor, unit, **defaults)


def held(w, unit=None, held_at=None, **kwargs):
    review = plan(w, unit, **kwargs)
    actor = w.a_secretary if review.unit == w.a else w.b_secretary
    return services.hold_review(actor, review, held_at=held_at)
