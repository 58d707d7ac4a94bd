"""Distribution and awareness (read tasks, progress, reminders) and the periodic review."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from govqms.core.models import AuditEntry
from govqms.documents.models import Acknowledgement, Document, VersionStatus
from govqms.documents.selectors import awareness as selectors
from govqms.documents.services import awareness, versions
from govqms.organizations.models import AGENCY_ROLES, Membership, Role, User
from tests.documents.factories import make_procedure
from tests.factories import make_user

TODAY = timezone.localdate()
DIVISION = "Tư pháp - Hộ tịch"


def publish(w, document, *, effective_from=None):
    """Take the document's open version of agency A through the default steps."""
    version = document.versions.exclude(
        status__in=[VersionStatus.EFFECTIVE, VersionStatus.SUPERSEDED, VersionStatus.OBSOLETE]
    ).get()
    versions.submit_for_review(w.users["a_process_owner"], version)
    versions.decide(w.a_secretary, version, approve=True)
    versions.decide(w.a_head, version, approve=True)
    versions.make_effective(w.a_secretary, version, effective_from=effective_from)
    version.refresh_from_db()
    return version


def procedure(w, unit=None, code="QT-01", **audience):
    document = make_procedure(unit or w.a, code=code)
    if audience:
        versions.update_document(None, document, **audience)
    return document


def readers_of(version):
    return set(version.acknowledgements.values_list("user__username", flat=True))


def a_people(w):
    return {f"a_{role}" for role in AGENCY_ROLES}


# ---------------------------------------------------------------- who must read


def test_everyone_of_the_agency_reads_when_the_audience_is_empty(world):
    w = world
    ended = make_user("a_left", unit=w.a, role=Role.STAFF)
    Membership.objects.filter(user=ended).update(valid_to=TODAY - dt.timedelta(days=1))
    version = publish(w, procedure(w))
    assert version.status == VersionStatus.EFFECTIVE
    # Every active member of A, nobody who left, nobody of B or of the DoST.
    assert readers_of(version) == a_people(w)
    entry = AuditEntry.objects.filter(action="read_tasks_assigned").get()
    assert entry.unit == w.a and entry.changes == {"read_tasks": [0, len(AGENCY_ROLES)]}


def test_tasks_by_role(world):
    w = world
    version = publish(w, procedure(w, audience_roles=[Role.STAFF, Role.PROCESS_OWNER]))
    assert readers_of(version) == {"a_staff", "a_process_owner"}


def test_tasks_by_division(world):
    w = world
    Membership.objects.filter(user__in=[w.a_staff, w.a_head], unit=w.a).update(division=DIVISION)
    version = publish(w, procedure(w, audience_divisions=[DIVISION]))
    assert readers_of(version) == {"a_staff", "a_head"}
    # Role and division together: both must match.
    other = publish(
        w, procedure(w, code="QT-02", audience_divisions=[DIVISION], audience_roles=[Role.STAFF])
    )
    assert readers_of(other) == {"a_staff"}


def test_assigning_twice_adds_no_duplicate(world):
    version = publish(world, procedure(world))
    assert awareness.assign_read_tasks(version) == 0
    newcomer = make_user("a_new", "Nguyễn Văn Mới", world.a, Role.STAFF)
    assert awareness.assign_read_tasks(version) == 1
    assert version.acknowledgements.filter(user=newcomer).exists()


# ---------------------------------------------------------------- acknowledging


def test_only_the_person_of_the_task_may_acknowledge(world):
    w = world
    version = publish(w, procedure(w))
    task = Acknowledgement.objects.get(version=version, user=w.a_staff)
    for intruder in (w.a_secretary, w.a_head, w.b_secretary, w.dost_officer, None):
        with pytest.raises(PermissionDenied):
            awareness.acknowledge(intruder, task)
    task.refresh_from_db()
    assert task.acknowledged_at is None

    awareness.acknowledge(w.a_staff, task)
    task.refresh_from_db()
    assert task.acknowledged_at is not None
    first = task.acknowledged_at
    entry = AuditEntry.objects.filter(action="acknowledge").get()
    assert entry.actor == w.a_staff and entry.unit == w.a
    # Again: nothing changes, no second entry.
    awareness.acknowledge(w.a_staff, task)
    task.refresh_from_db()
    assert task.acknowledged_at == first
    assert AuditEntry.objects.filter(action="acknowledge").count() == 1


def test_who_left_the_agency_cannot_acknowledge(world):
    w = world
    version = publish(w, procedure(w))
    task = Acknowledgement.objects.get(version=version, user=w.a_staff)
    Membership.objects.filter(user=w.a_staff).update(valid_to=TODAY - dt.timedelta(days=1))
    w.a_staff.__dict__.pop("_govqms_cache", None)
    with pytest.raises(PermissionDenied):
        awareness.acknowledge(w.a_staff, task)


def test_a_withdrawn_version_cannot_be_acknowledged(world):
    w = world
    document = procedure(w)
    first = publish(w, document)
    versions.start_revision(w.a_secretary, document, description="Rút ngắn thời gian xử lý")
    second = publish(w, document)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    old = Acknowledgement.objects.get(version=first, user=w.a_staff)
    with pytest.raises(ValidationError):
        awareness.acknowledge(w.a_staff, old)
    # The reading list shows only the issue in force.
    assert [t.version for t in selectors.my_open_tasks(w.a_staff)] == [second]
    versions.withdraw(w.a_secretary, document, reason="Thủ tục bị bãi bỏ")
    with pytest.raises(ValidationError):
        awareness.acknowledge(
            w.a_staff, Acknowledgement.objects.get(version=second, user=w.a_staff)
        )
    assert not selectors.my_open_tasks(w.a_staff).exists()


def test_progress_figures_and_lists(world):
    w = world
    version = publish(w, procedure(w))
    assert selectors.reading_progress(version) == {"total": 6, "read": 0, "percent": 0}
    for user in (w.a_staff, w.a_head):
        awareness.acknowledge(user, Acknowledgement.objects.get(version=version, user=user))
    assert selectors.reading_progress(version) == {"total": 6, "read": 2, "percent": 33}
    lists = selectors.readers(w.a_secretary, version)
    assert {t.user for t in lists["read"]} == {w.a_staff, w.a_head}
    assert len(lists["unread"]) == 4 and all(t.acknowledged_at is None for t in lists["unread"])
    # An outsider gets nothing even with the version object in hand.
    assert selectors.readers(w.b_secretary, version) == {"read": [], "unread": []}
    empty = procedure(w, code="QT-09")
    assert selectors.reading_progress(empty.versions.get()) == {
        "total": 0,
        "read": 0,
        "percent": 0,
    }


# ---------------------------------------------------------------- pages


def test_my_reading_page_and_the_button(world, client):
    w = world
    version = publish(w, procedure(w))
    client.force_login(w.a_staff)
    response = client.get(reverse("my_reading"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "QT-01" in body and "Quy trình đăng ký khai sinh" in body
    task = Acknowledgement.objects.get(version=version, user=w.a_staff)
    assert reverse("reading_acknowledge", args=[task.pk]) in body

    # Someone else's task is 404, and stays open.
    other = Acknowledgement.objects.get(version=version, user=w.a_head)
    assert client.post(reverse("reading_acknowledge", args=[other.pk])).status_code == 404
    assert client.get(reverse("reading_acknowledge", args=[task.pk])).status_code == 405

    response = client.post(reverse("reading_acknowledge", args=[task.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("my_reading")
    task.refresh_from_db()
    other.refresh_from_db()
    assert task.acknowledged_at and other.acknowledged_at is None
    body = client.get(reverse("my_reading")).content.decode()
    assert 'id="nothing-to-read"' in body and 'id="recent-reads"' in body


def test_progress_page_and_reminding_now(world, client):
    w = world
    for user in User.objects.filter(username__startswith="a_"):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@xa-dongphong.vn")
    version = publish(w, procedure(w))
    awareness.acknowledge(w.a_staff, Acknowledgement.objects.get(version=version, user=w.a_staff))
    url = reverse("version_reading", args=[version.pk])

    client.force_login(w.a_secretary)
    body = client.get(url).content.decode()
    assert "1 / 6" in body and w.a_staff.full_name in body and w.a_head.full_name in body
    assert 'id="remind-now"' in body
    response = client.post(reverse("version_remind", args=[version.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 5  # everyone but the one who read it
    assert "a_staff@xa-dongphong.vn" not in [m.to[0] for m in mail.outbox]
    assert AuditEntry.objects.filter(action="read_reminder_request", actor=w.a_secretary).exists()

    # Staff see the progress but may not send reminders.
    client.force_login(w.a_staff)
    assert 'id="remind-now"' not in client.get(url).content.decode()
    assert client.post(reverse("version_remind", args=[version.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        awareness.remind_now(w.a_staff, version)
    # The DoST reads it (logged), may not remind.
    client.force_login(w.dost_officer)
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="oversight_read", actor=w.dost_officer).exists()
    assert client.post(reverse("version_remind", args=[version.pk])).status_code == 403
    assert len(mail.outbox) == 5


# ---------------------------------------------------------------- reminders


def test_reminders_are_sent_once_per_interval(world, settings):
    w = world
    settings.GOVQMS_READ_REMINDER_DAYS = 3
    User.objects.filter(username__startswith="a_").update(email="nguoi@xa-dongphong.vn")
    User.objects.filter(username="a_internal_auditor").update(email="")  # cannot be e-mailed
    version = publish(w, procedure(w))
    awareness.acknowledge(w.a_head, Acknowledgement.objects.get(version=version, user=w.a_head))

    assert awareness.send_reminders(TODAY) == 0
    assert awareness.send_reminders(TODAY + dt.timedelta(days=2)) == 0
    assert mail.outbox == []

    assert awareness.send_reminders(TODAY + dt.timedelta(days=3)) == 4
    assert len(mail.outbox) == 4
    message = mail.outbox[0]
    assert "QT-01" in message.body and "Quy trình đăng ký khai sinh" in message.body
    assert reverse("my_reading") in message.body
    assert reverse("version_detail", args=[version.pk]) in message.body
    assert message.subject
    reminded = Acknowledgement.objects.filter(last_reminded_at__isnull=False)
    assert reminded.count() == 4
    assert not reminded.filter(user__in=[w.a_head, w.users["a_internal_auditor"]]).exists()

    # Not again within the interval (the sweep may run twice a day, or daily).
    assert awareness.send_reminders(TODAY + dt.timedelta(days=3)) == 0
    assert awareness.send_reminders(TODAY + dt.timedelta(days=4)) == 0
    assert len(mail.outbox) == 4
    assert awareness.send_reminders(TODAY + dt.timedelta(days=5)) == 0
    # N days after the last reminder: once more.
    assert awareness.send_reminders(TODAY + dt.timedelta(days=6)) == 4
    assert len(mail.outbox) == 8
    assert AuditEntry.objects.filter(action="read_reminder", actor=None).count() == 8


def test_one_message_per_person_and_no_reminder_for_withdrawn_versions(world, settings):
    w = world
    settings.GOVQMS_READ_REMINDER_DAYS = 5
    User.objects.filter(username="a_staff").update(email="staff@xa-dongphong.vn")
    publish(w, procedure(w, audience_roles=[Role.STAFF]))
    withdrawn = procedure(w, code="QT-02", audience_roles=[Role.STAFF])
    publish(w, withdrawn)
    publish(w, procedure(w, code="QT-03", audience_roles=[Role.STAFF]))
    versions.withdraw(w.a_secretary, withdrawn, reason="Bãi bỏ")
    assert awareness.send_reminders(TODAY + dt.timedelta(days=4)) == 0
    assert awareness.send_reminders(TODAY + dt.timedelta(days=5)) == 1
    (message,) = mail.outbox
    assert message.to == ["staff@xa-dongphong.vn"]
    assert "QT-01" in message.body and "QT-03" in message.body and "QT-02" not in message.body


# ---------------------------------------------------------------- periodic review


@pytest.fixture
def reviews(world):
    """Documents in force in A, B and C: one overdue and one due soon in each; a
    draft-only document of A whose date has passed (not listed)."""
    w = world
    made = {}
    for unit, tag in ((w.a, "a"), (w.b, "b"), (w.c, "c")):
        for code, due in (
            ("QT-10", TODAY - dt.timedelta(days=40)),
            ("QT-11", TODAY + dt.timedelta(days=10)),
        ):
            document = make_procedure(unit, code=code)
            version = document.versions.get()
            Document.objects.filter(pk=document.pk).update(next_review_due=due)
            version.status = VersionStatus.EFFECTIVE
            version.effective_from = TODAY - dt.timedelta(days=400)
            version.save()
            made[f"{tag}_{code}"] = document
    draft = make_procedure(w.a, code="QT-12")
    Document.objects.filter(pk=draft.pk).update(next_review_due=TODAY - dt.timedelta(days=5))
    later = make_procedure(w.a, code="QT-13")
    Document.objects.filter(pk=later.pk).update(next_review_due=TODAY + dt.timedelta(days=90))
    later.versions.update(status=VersionStatus.EFFECTIVE)
    return made


def _units(qs):
    return sorted((d.unit.code, d.code) for d in qs)


def test_overdue_and_due_soon_lists_for_the_agency(world, reviews):
    w = world
    assert _units(selectors.overdue_reviews(w.a_staff, w.a)) == [("P-A", "QT-10")]
    assert _units(selectors.due_soon_reviews(w.a_staff, w.a)) == [("P-A", "QT-11")]
    # Without a unit: everything the user may see, i.e. still only A.
    assert _units(selectors.overdue_reviews(w.a_staff)) == [("P-A", "QT-10")]
    # Another agency's list is empty for them.
    assert not selectors.overdue_reviews(w.a_staff, w.b).exists()


def test_overdue_lists_for_the_dost_are_scoped_to_the_subtree(world, reviews):
    w = world
    assert _units(selectors.overdue_reviews(w.dost_officer)) == [("P-A", "QT-10"), ("P-B", "QT-10")]
    assert _units(selectors.overdue_reviews(w.q_officer)) == [("Q-C", "QT-10")]
    rows = selectors.reviews_by_agency(w.dost_officer)
    # Most overdue first, then the oldest due date, then the name.
    assert [(r["unit"].code, r["overdue"], r["due_soon"]) for r in rows] == [
        ("P-B", 1, 1),  # Ủy ban nhân dân phường Đức Giang
        ("P-A", 1, 1),  # Ủy ban nhân dân xã Đông Phong
    ]
    assert rows[0]["days_late"] == 40
    assert [r["unit"].code for r in selectors.reviews_by_agency(w.q_officer)] == ["Q-C"]
    assert selectors.reviews_by_agency(w.a_secretary) == []


def test_review_pages(world, reviews, client):
    w = world
    client.force_login(w.a_secretary)
    body = client.get(reverse("agency_reviews", args=[w.a.pk])).content.decode()
    assert 'id="overdue-table"' in body and 'id="due-soon-table"' in body
    assert reverse("document_reviewed", args=[reviews["a_QT-10"].pk]) in body
    assert "QT-12" not in body and "QT-13" not in body

    client.force_login(w.a_staff)
    body = client.get(reverse("agency_reviews", args=[w.a.pk])).content.decode()
    assert 'id="overdue-table"' in body and "document_reviewed" not in body
    assert reverse("document_reviewed", args=[reviews["a_QT-10"].pk]) not in body
    assert client.get(reverse("oversight_reviews")).status_code == 403

    client.force_login(w.dost_officer)
    body = client.get(reverse("oversight_reviews")).content.decode()
    assert w.a.name in body and w.b.name in body and w.c.name not in body
    assert reverse("agency_reviews", args=[w.a.pk]) in body
    body = client.get(reverse("agency_reviews", args=[w.b.pk])).content.decode()
    assert 'id="oversight-banner"' in body
    assert reverse("document_reviewed", args=[reviews["b_QT-10"].pk]) not in body


def test_mark_reviewed_moves_the_date(world, reviews, client):
    w = world
    document = reviews["a_QT-10"]
    with pytest.raises(PermissionDenied):
        awareness.mark_reviewed(w.a_staff, document, note="Không cần sửa")
    with pytest.raises(PermissionDenied):
        awareness.mark_reviewed(w.dost_officer, document, note="Không cần sửa")
    with pytest.raises(ValidationError):
        awareness.mark_reviewed(w.a_secretary, document, note="  ")
    with pytest.raises(ValidationError):
        draft = Document.objects.get(unit=w.a, code="QT-12")
        awareness.mark_reviewed(w.a_secretary, draft, note="Không cần sửa")

    reviewed = awareness.mark_reviewed(
        w.a_secretary, document, note="Đã rà soát, vẫn phù hợp.", today=dt.date(2026, 1, 31)
    )
    assert reviewed.next_review_due == dt.date(2027, 1, 31)
    entry = AuditEntry.objects.filter(action="document_reviewed").get()
    assert entry.note == "Đã rà soát, vẫn phù hợp." and entry.unit == w.a
    assert entry.changes["next_review_due"][1] == "2027-01-31"

    # Through the page: the date moves one interval (12 months) from today.
    other = reviews["a_QT-11"]
    client.force_login(w.a_head)
    url = reverse("agency_reviews", args=[w.a.pk])
    response = client.post(
        reverse("document_reviewed", args=[other.pk]), {"note": "Không thay đổi", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    other.refresh_from_db()
    assert other.next_review_due == versions._add_months(TODAY, 12)
    assert not selectors.due_soon_reviews(w.a_head, w.a).exists()
    # An unsafe "next" is ignored.
    response = client.post(
        reverse("document_reviewed", args=[other.pk]),
        {"note": "Không thay đổi", "next": "https://evil.example/"},
    )
    assert response["Location"] == url
    client.force_login(w.a_staff)
    assert (
        client.post(reverse("document_reviewed", args=[other.pk]), {"note": "x"}).status_code == 403
    )


# ---------------------------------------------------------------- home panels


def test_agency_home_panels(world, reviews, client):
    w = world
    version = publish(w, procedure(w, code="QT-20"))
    client.force_login(w.a_staff)
    body = client.get(reverse("agency_detail", args=[w.a.pk])).content.decode()
    assert 'id="panel-reading"' in body and 'id="panel-reviews"' in body
    assert reverse("version_detail", args=[version.pk]) in body
    assert reverse("version_reading", args=[version.pk]) in body
    assert 'id="panel-overdue-count">1<' in body

    # The DoST sees the agency's progress and reviews, not a "my tasks" list.
    client.force_login(w.dost_officer)
    body = client.get(reverse("agency_detail", args=[w.a.pk])).content.decode()
    assert 'id="panel-reading-tasks"' not in body
    assert reverse("version_reading", args=[version.pk]) in body


def test_dost_home_panel(world, reviews, client):
    w = world
    client.force_login(w.dost_officer)
    body = client.get(reverse("agency_list")).content.decode()
    assert 'id="panel-oversight-reviews"' in body
    assert reverse("agency_reviews", args=[w.b.pk]) in body
    assert reverse("agency_reviews", args=[w.c.pk]) not in body
