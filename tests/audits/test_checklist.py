"""Checklists: generated from the clauses, the procedures' step tables and the dossier
figures; edited freely; fingerprinted to spot a checklist copied from last year."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from govqms.audits import selectors, services
from govqms.audits.models import ItemSource, Result
from govqms.kpis.models import MonthlyRollup
from tests.audits.factories import make_plan, procedure


@pytest.fixture
def scope(aw):
    document, tthc = procedure(aw)
    # Twelve months before the audit (March 2026): 10 resolved, 2 late.
    MonthlyRollup.objects.create(
        unit=aw.a,
        procedure=tthc,
        month=dt.date(2025, 11, 1),
        resolved=6,
        early=1,
        on_time=4,
        late=1,
    )
    MonthlyRollup.objects.create(
        unit=aw.a, procedure=tthc, month=dt.date(2026, 2, 1), resolved=4, early=0, on_time=3, late=1
    )
    # Outside the window: not counted.
    MonthlyRollup.objects.create(
        unit=aw.a,
        procedure=tthc,
        month=dt.date(2026, 3, 1),
        resolved=50,
        early=0,
        on_time=0,
        late=50,
    )
    return document


def test_generated_from_clauses_steps_and_kpis(aw, scope):
    plan = make_plan(aw, processes=[scope])
    with translation.override("en"):
        services.generate_checklist(aw.users["a_internal_auditor"], plan)
    items = list(selectors.checklist(plan))
    by_source = {s: [i for i in items if i.source == s] for s in ItemSource.values}
    assert [i.clause for i in by_source["clause"]] == ["7.5.3", "8.5.1"]
    assert "Control of documented information" in by_source["clause"][0].question
    steps = by_source["procedure"]
    assert len(steps) == 4  # the four steps of the procedure's table
    assert "Tiếp nhận hồ sơ" in steps[0].question and "Phiếu tiếp nhận" in steps[0].question
    assert all(i.process == scope for i in steps)
    (kpi,) = by_source["kpi"]
    assert "80.0%" in kpi.question and "2 late of 10" in kpi.question
    assert "why are the late ones late" in kpi.question
    assert plan.items.count() == 7
    # Generating again adds nothing twice.
    with translation.override("en"):
        assert services.generate_checklist(aw.a_secretary, plan) == []


def test_free_editing(aw, scope):
    plan = make_plan(aw, processes=[scope])
    lead = aw.users["a_internal_auditor"]
    services.generate_checklist(lead, plan)
    first, second = list(selectors.checklist(plan))[:2]
    services.edit_item(lead, first, question="Hồ sơ có được lưu đúng quy định không?")
    services.move_item(lead, first, +1)
    assert list(selectors.checklist(plan))[0].pk == second.pk
    added = services.add_item(lead, plan, question="Câu hỏi thêm", clause="10.2")
    assert list(selectors.checklist(plan))[-1].pk == added.pk
    services.delete_item(lead, added)
    assert not plan.items.filter(pk=added.pk).exists()
    with pytest.raises(ValidationError):
        services.add_item(lead, plan, question="x", clause="99.9")
    with pytest.raises(PermissionDenied):
        services.add_item(aw.a_staff, plan, question="Không được")


def test_results_and_evidence(aw, scope):
    from tests.audits.factories import upload

    plan = make_plan(aw, processes=[scope])
    lead = aw.users["a_internal_auditor"]
    services.generate_checklist(lead, plan)
    item = plan.items.first()
    services.record_result(lead, item, result=Result.CONFORMING, notes="Đã kiểm tra sổ.")
    item.refresh_from_db()
    assert item.result == "conforming" and item.answered_by == lead
    evidence = services.add_evidence(lead, item, upload(), name="anh-so.png")
    assert evidence.content_type == "image/png" and evidence.file.name.endswith(".png")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.add_evidence(
            lead, item, upload(b"MZ\x90\x00binary", "virus.pdf"), name="virus.pdf"
        )
    assert "virus.pdf" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.add_evidence(lead, item, upload(b"%PDF-1.4 x", "a.png"), name="a.png")


def test_evidence_size_limit(aw, scope, settings):
    from tests.audits.factories import upload

    settings.GOVQMS_MAX_AUDIT_FILE_BYTES = 10
    plan = make_plan(aw, processes=[scope])
    services.add_item(aw.a_secretary, plan, question="Q")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.add_evidence(aw.a_secretary, plan.items.get(), upload(), name="x.png")
    assert "larger than the limit" in " ".join(exc.value.messages)


def test_fingerprint_spots_a_copied_checklist(aw, scope):
    last_year = make_plan(aw, processes=[scope], day=dt.date(2025, 3, 10))
    this_year = make_plan(aw, processes=[scope], day=dt.date(2026, 3, 10))
    for plan in (last_year, this_year):
        services.add_item(aw.a_secretary, plan, question="Hồ sơ có đủ thành phần không?")
        services.add_item(aw.a_secretary, plan, question="Có phiếu xin lỗi khi trễ hạn không?")
    # Reordering, case and punctuation do not make it new.
    first = this_year.items.order_by("order").first()
    services.move_item(aw.a_secretary, first, +1)
    services.edit_item(aw.a_secretary, first, question="HỒ SƠ có đủ thành phần không ?")
    this_year.refresh_from_db()
    assert selectors.checklist_fingerprint(this_year) == selectors.checklist_fingerprint(last_year)
    assert this_year.checklist_fingerprint == selectors.checklist_fingerprint(this_year)
    assert selectors.previous_year_checklist_same(this_year)
    services.add_item(aw.a_secretary, this_year, question="Câu hỏi mới năm nay")
    assert not selectors.previous_year_checklist_same(this_year)


def test_checklist_on_the_page(aw, scope, client):
    client.cookies["django_language"] = "en"
    plan = make_plan(aw, processes=[scope])
    client.force_login(aw.users["a_internal_auditor"])
    response = client.post(reverse("audit_checklist_generate", args=[plan.pk]))
    assert response.status_code == 302
    item = plan.items.order_by("order").first()
    response = client.post(
        reverse("audit_item", args=[item.pk]), {"what": "result", "result": "conforming"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.result == "conforming"
    page = client.get(reverse("audit_plan_detail", args=[plan.pk])).content.decode()
    assert "Tiếp nhận hồ sơ" in page and "1 of 7 answered" in page
