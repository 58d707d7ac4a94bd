"""The "satisfaction" input of the management review."""

import datetime as dt

from govqms.feedback import services
from govqms.reviews import inputs
from tests.feedback.factories import BIRTH, MARRIAGE, assign, respond


def test_the_provider_is_registered():
    from govqms.feedback.review_inputs import satisfaction

    assert satisfaction in inputs.providers("satisfaction")


def test_the_section_summarises_satisfaction_and_complaints(world):
    from govqms.feedback.review_inputs import satisfaction

    unit = world.a
    birth = assign(unit, **BIRTH)
    marriage = assign(unit, **MARRIAGE)
    respond(unit, [5, 5, 5, 5, 5], procedure=birth, at=dt.date(2026, 2, 1), ip="1.0.0.1")
    respond(unit, [2, 2, 1, 2, 2], procedure=marriage, at=dt.date(2026, 2, 2), ip="1.0.0.2")
    respond(unit, [1, 1, 1, 1, 1], procedure=marriage, at=dt.date(2025, 2, 2), ip="1.0.0.3")
    base = {"channel": "phone", "subject": "Chậm", "content": "Chậm trả kết quả"}
    answered = services.create_complaint(None, unit, received_on=dt.date(2026, 3, 2), **base)
    services.answer_complaint(None, answered, response="Đã trả lời")
    services.create_complaint(None, unit, received_on=dt.date(2026, 3, 2), **base)  # overdue
    services.create_complaint(None, unit, received_on=dt.date(2025, 3, 2), **base)  # before

    section = satisfaction(unit, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    data = section.as_dict()
    assert data["figures"]["responses"] == 2
    assert data["figures"]["complaints_received"] == 2
    assert data["figures"]["complaints_answered"] == 1
    assert data["figures"]["complaints_overdue"] == 1
    assert data["figures"]["index"] == 60.0  # mean 34 / 10 = 3.4
    # The lowest-rated TTHC and question come first.
    assert data["rows"][0][1].startswith("1.000894")
    assert any(row[1].startswith("Công chức tiếp nhận") for row in data["rows"])
    assert data["links"] and "2" in data["summary"]
    import json

    json.dumps(data, ensure_ascii=False)  # frozen with the review
