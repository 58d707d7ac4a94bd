"""The demo's year of the improvement loop on a small world: an exemplary, an ordinary
and a formalistic agency, seen through the lifecycle panel and the DoST's signals;
loaded once only."""

import pytest
from django.utils import timezone

from govqms.audits.models import AuditPlan, Finding
from govqms.core.audit import AuditEntry
from govqms.demo import improvement as demo
from govqms.demo.documents import load_demo_documents
from govqms.feedback.models import Complaint, SurveyResponse
from govqms.improvement.models import CorrectiveAction, Nonconformity, Status
from govqms.organizations.models import Role
from govqms.oversight import signals
from govqms.oversight.lifecycle import lifecycle
from govqms.planning.models import Measurement, Objective
from govqms.procedures.demo import load_demo_procedures
from govqms.reviews.models import ManagementReview, ReviewDecision
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIGNALS = {
    "audits_without_findings",
    "checklist_copied",
    "short_audit",
    "review_without_decisions",
    "actions_closed_same_day",
    "objectives_never_measured",
}


@pytest.fixture
def loaded(world):
    w = world
    make_user("b_head", "Đinh Văn Bảo", w.b, Role.HEAD)
    make_user("c_head", "Hà Văn Chung", w.c, Role.HEAD)
    load_demo_procedures(units=[w.a, w.b, w.c])
    load_demo_documents(units=[w.a, w.b])  # C is in another province: no framework
    profiles = {w.b.pk: demo.EXEMPLARY, w.a.pk: demo.ORDINARY, w.c.pk: demo.FORMALISTIC}
    counts = demo.load_demo_improvement(units=[w.a, w.b, w.c], profiles=profiles)
    return w, counts


def snapshot():
    return [
        m.objects.count()
        for m in (
            Objective,
            Measurement,
            AuditPlan,
            Finding,
            Nonconformity,
            CorrectiveAction,
            ManagementReview,
            ReviewDecision,
            SurveyResponse,
            Complaint,
            AuditEntry,
        )
    ]


def test_a_believable_spread_loaded_once(loaded):
    w, counts = loaded
    assert counts["loaded"] and counts["agencies"] == 3
    year = timezone.localdate().year
    found = signals.compute([w.a.pk, w.b.pk, w.c.pk], year)
    keys = {uid: {s.key for s in items} for uid, items in found.items()}
    # The formalistic agency shows every signal, each with the records behind it.
    assert keys[w.c.pk] >= SIGNALS
    assert all(s.evidence for s in found[w.c.pk])
    # The exemplary agency shows none, and has done all four steps of Decision 19.
    assert not keys[w.b.pk]
    steps = lifecycle(w.b).steps
    assert [s.done for s in steps] == [True, True, True, True], [
        (c.label, c.detail) for s in steps for c in s.checks if not c.ok
    ]
    # Its minor nonconformity went the whole way: correction, root cause, actions
    # done, effectiveness evaluated, closed.
    nc = Nonconformity.objects.filter(unit=w.b, source_kind="audit_finding").get()
    assert nc.status == Status.CLOSED and nc.correction and len(nc.whys) == 3
    assert nc.effective and all(a.done_on for a in nc.actions.all())
    # The ordinary agency: its audit nonconformity is still open, an action overdue.
    open_nc = Nonconformity.objects.filter(unit=w.a, source_kind="audit_finding").get()
    assert open_nc.status != Status.CLOSED
    assert open_nc.actions.filter(status="open", due_date__lt=timezone.localdate()).exists()
    applied = lifecycle(w.a).steps[1]
    assert not applied.done
    # Survey responses came in through the public service; complaints were handled.
    assert SurveyResponse.objects.filter(unit=w.b).count() >= 10
    assert Complaint.objects.filter(unit__in=[w.a, w.b, w.c], status="closed").count() == 3
    # Records are dated when they happened, by the agency's own people.
    assert nc.closed_on < timezone.localdate()
    assert AuditEntry.objects.filter(action="nc_close", actor=w.b_secretary).exists()

    # Loading again changes nothing.
    before = snapshot()
    again = demo.load_demo_improvement(units=[w.a, w.b, w.c])
    assert not again["loaded"]
    assert snapshot() == before
