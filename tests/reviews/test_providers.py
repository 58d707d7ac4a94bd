"""The inputs the review provides itself: context changes, process performance from
the KPI rollups, actions of earlier reviews, the manual inputs."""

import datetime as dt

from govqms.documents.models import LegalDocument, UpdateTask
from govqms.organizations.models import ChangeKind, UnitChange
from govqms.procedures import services as procedures
from govqms.reviews import review_inputs, selectors, services
from govqms.reviews.inputs import compile_inputs
from tests.documents.factories import make_procedure
from tests.kpis.factories import VN, birth_registration, dossier, import_batch
from tests.procedures.factories import make_tthc
from tests.reviews.factories import held, plan

START, END = dt.date(2025, 12, 16), dt.date(2026, 12, 15)


def _text(section) -> str:
    return f"{section.summary} {section.rows}"


def test_context_changes_lists_legal_updates_tthc_changes_and_restructuring(world):
    w = world
    assert review_inputs.context_changes(w.a, START, END).rows == []
    document = make_procedure(w.a, code="QT-HT-01")
    legal = LegalDocument.objects.create(number="99/2026/NĐ-CP", title="Nghị định sửa đổi")
    UpdateTask.objects.create(
        document=document, legal_document=legal, reason="Nghị định mới", due=dt.date(2027, 2, 1)
    )
    tthc = make_tthc(code="1.009999", name="Cấp bản sao trích lục hộ tịch")
    procedures.assign(None, tthc, [w.a], assigned_on=dt.date(2026, 3, 1))
    procedures.update_procedure(None, tthc, fees="8.000 đồng", announced_by="QĐ 77/QĐ-BTP")
    change = UnitChange.objects.create(
        kind=ChangeKind.MERGE, date=dt.date(2026, 7, 1), legal_basis="NQ 1656/NQ-UBTVQH15"
    )
    change.to_units.add(w.a)
    # Another agency's changes stay out.
    other = make_procedure(w.b, code="QT-B-01")
    UpdateTask.objects.create(
        document=other, legal_document=legal, reason="Của cơ quan B", due=dt.date(2027, 2, 1)
    )

    section = review_inputs.context_changes(w.a, START, END)
    text = _text(section)
    assert "99/2026/NĐ-CP → QT-HT-01" in text
    assert "1.009999" in text and "QĐ 77/QĐ-BTP" in text
    assert "NQ 1656/NQ-UBTVQH15" in text
    assert "Của cơ quan B" not in text
    assert section.figures["legal_updates"] == 1
    assert section.figures["restructurings"] == 1
    assert section.figures["assignments"] == 1
    # Outside the period: nothing of the restructuring.
    assert "NQ 1656" not in _text(review_inputs.context_changes(w.a, START, dt.date(2026, 6, 30)))


def test_process_performance_from_the_kpi_rollups(world):
    w = world
    birth_registration(w.a)
    mon = dt.date(2026, 3, 2)
    items = [dossier(f"000.00.31.H06-2603{i:02}-0001", mon, resolved=mon) for i in range(1, 4)]
    items.append(dossier("000.00.31.H06-260302-0042", mon, resolved=mon + dt.timedelta(days=3)))
    import_batch(w.a, items, "rv-1", now=dt.datetime(2026, 4, 1, tzinfo=VN))

    review = plan(w)
    data = compile_inputs(w.a, START, END, review=review, reader=w.a_secretary)
    (section,) = next(i for i in data if i["key"] == "process_performance")["sections"]
    assert section["figures"]["received"] == 4
    assert section["figures"]["resolved"] == 4
    assert section["figures"]["on_time_rate"] == 75.0
    row = section["rows"][0]
    assert row[0].startswith("1.001193") and row[1] == 4 and row[3] == "75.0 %"
    assert row[5]  # the slowest step of that TTHC
    # Without a reader (called outside a review), a member of the agency reads.
    assert review_inputs.process_performance(w.a, START, END).figures["received"] == 4
    # Another agency has no figures.
    empty = review_inputs.process_performance(w.b, START, END)
    assert not empty.rows


def test_previous_actions_show_earlier_reviews_decisions_and_status(world):
    w = world
    first = held(
        w,
        title="Xem xét năm 2025",
        planned_date=dt.date(2025, 12, 10),
        held_at=dt.datetime(2025, 12, 10, 9, tzinfo=VN),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 10),
    )
    done = services.add_decision(
        w.a_secretary,
        first,
        kind="improvement",
        text="Số hóa hồ sơ",
        owner=w.a_staff,
        due_date=dt.date(2026, 3, 1),
    )
    services.add_decision(
        w.a_secretary,
        first,
        kind="resource_need",
        text="Mua máy scan",
        owner=w.a_staff,
        due_date=dt.date(2026, 1, 15),
    )
    services.update_action(
        w.a_staff, done, status="done", done_on=dt.date(2026, 2, 20), evidence="Biên bản nghiệm thu"
    )

    second = plan(w)
    assert second.period_start == dt.date(2025, 12, 11)  # since the previous review
    data = selectors.review_inputs(w.a_secretary, second)
    (section,) = next(i for i in data["inputs"] if i["key"] == "previous_actions")["sections"]
    assert section["figures"] == {"total": 2, "done": 1, "open": 1, "overdue": 1}
    flat = str(section["rows"])
    assert "Số hóa hồ sơ" in flat and "Mua máy scan" in flat and "20/02/2026" in flat


def test_manual_inputs_come_from_the_review(world):
    w = world
    review = plan(w, external_providers="Bưu điện trả kết quả đúng hẹn.", resources="")
    data = selectors.review_inputs(w.a_secretary, review)
    ext = next(i for i in data["inputs"] if i["key"] == "external_providers")["sections"][0]
    res = next(i for i in data["inputs"] if i["key"] == "resources")["sections"][0]
    assert ext["summary"] == "Bưu điện trả kết quả đúng hẹn."
    assert res["figures"] == {}  # nothing entered


def test_default_period_is_the_last_12_months_without_a_previous_review(world):
    review = plan(world)
    assert (review.period_start, review.period_end) == (START, END)
