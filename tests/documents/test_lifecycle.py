import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govqms.core.models import AuditEntry
from govqms.documents.diff import diff_contents
from govqms.documents.models import ChangeLogEntry, DocumentVersion, VersionStatus
from govqms.documents.services import versions
from govqms.organizations.models import Role
from tests.documents.factories import PROCEDURE, make_effective_procedure, make_procedure
from tests.factories import make_user


def _approve_all(world, version):
    versions.decide(world.a_secretary, version, approve=True)
    versions.decide(world.a_head, version, approve=True)
    version.refresh_from_db()


def test_the_whole_life_of_a_version(world):
    document = make_procedure(world.a, world.users["a_process_owner"])
    first = document.versions.get()
    assert first.status == VersionStatus.DRAFT and first.issue_no == 1
    versions.edit_draft(world.users["a_process_owner"], first, change_note="Ban hành lần đầu")
    versions.submit_for_review(world.users["a_process_owner"], first)
    first.refresh_from_db()
    assert first.status == VersionStatus.IN_REVIEW
    assert versions.current_step(first).role == Role.ISO_SECRETARY
    _approve_all(world, first)
    assert first.status == VersionStatus.APPROVED
    versions.make_effective(world.a_secretary, first, effective_from=dt.date(2026, 1, 5))
    first.refresh_from_db()
    document.refresh_from_db()
    assert first.status == VersionStatus.EFFECTIVE
    assert document.next_review_due == dt.date(2027, 1, 5)
    # The sign-off block: drafted, reviewed, approved, each with name and title.
    state = versions.step_state(first)
    assert [s["approval"].user for s in state] == [world.a_secretary, world.a_head]
    assert all(s["done"] for s in state)

    # A change starts issue 2 with its change-log entry, written automatically.
    second = versions.start_revision(
        world.a_secretary,
        document,
        description="Bổ sung bước trả kết quả trực tuyến",
        request="Chủ tịch UBND xã",
        section="5.7",
    )
    assert second.issue_no == 2 and second.content == first.content
    entry = ChangeLogEntry.objects.get(version=second)
    assert (entry.issue_no, entry.section, entry.request) == (2, "5.7", "Chủ tịch UBND xã")
    with pytest.raises(ValidationError):  # one version in progress at a time
        versions.start_revision(world.a_secretary, document, description="Khác")
    content = dict(second.content, fees="50.000 đồng")
    versions.edit_draft(world.a_secretary, second, content=content)
    versions.submit_for_review(world.a_secretary, second)
    second.refresh_from_db()
    _approve_all(world, second)
    versions.make_effective(world.a_head, second)
    first.refresh_from_db()
    second.refresh_from_db()
    # One effective version at a time: the first is superseded, kept, marked withdrawn.
    assert second.status == VersionStatus.EFFECTIVE
    assert first.status == VersionStatus.SUPERSEDED and first.is_withdrawn and first.ended_at
    assert DocumentVersion.objects.filter(document=document, status="effective").count() == 1
    assert [c.issue_no for c in versions.change_log(second)] == [2]

    versions.withdraw(world.a_head, document, reason="Thủ tục bị bãi bỏ")
    second.refresh_from_db()
    assert second.status == VersionStatus.OBSOLETE and second.is_withdrawn
    assert AuditEntry.objects.filter(unit=world.a, action="version_obsolete").exists()


def test_only_named_roles_act_at_each_step(world):
    document = make_procedure(world.a)
    version = document.versions.get()
    staff = world.a_staff
    with pytest.raises(PermissionDenied):
        versions.edit_draft(staff, version, change_note="x")
    with pytest.raises(PermissionDenied):
        versions.submit_for_review(staff, version)
    versions.submit_for_review(world.a_secretary, version)
    version.refresh_from_db()
    # The head cannot act before the ISO secretary's review; nor can anyone outside.
    for user in (world.a_head, staff, world.b_secretary, world.dost_officer, world.dost_admin):
        with pytest.raises(PermissionDenied):
            versions.decide(user, version, approve=True)
    versions.decide(world.a_secretary, version, approve=True)
    with pytest.raises(PermissionDenied):  # the secretary cannot also approve as head
        versions.decide(world.a_secretary, version, approve=True)
    other_head = make_user("b_head", unit=world.b, role=Role.HEAD)
    with pytest.raises(PermissionDenied):
        versions.decide(other_head, version, approve=True)
    versions.decide(world.a_head, version, approve=True)
    version.refresh_from_db()
    with pytest.raises(PermissionDenied):  # staff cannot put it in force
        versions.make_effective(staff, version)


def test_rejection_returns_the_draft_with_comments(world):
    version = make_procedure(world.a).versions.get()
    versions.submit_for_review(world.a_secretary, version)
    version.refresh_from_db()
    with pytest.raises(ValidationError):
        versions.decide(world.a_secretary, version, approve=False, comment=" ")
    versions.decide(world.a_secretary, version, approve=False, comment="Thiếu bước thẩm định")
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert version.approvals.filter(decision="rejected", comment="Thiếu bước thẩm định").exists()


def test_a_sign_off_stops_counting_when_the_content_changes(world):
    version = make_procedure(world.a).versions.get()
    versions.submit_for_review(world.a_secretary, version)
    version.refresh_from_db()
    review = versions.decide(world.a_secretary, version, approve=True).approvals.get(step_order=1)
    assert review.content_sha256 == version.content_sha256 and review.counts
    versions.decide(world.a_head, version, approve=False, comment="Sửa phí")
    version.refresh_from_db()
    versions.edit_draft(world.a_secretary, version, content=dict(PROCEDURE, fees="Miễn phí"))
    version.refresh_from_db()
    review.refresh_from_db()
    assert not review.counts  # signed other content
    versions.submit_for_review(world.a_secretary, version)
    version.refresh_from_db()
    assert versions.current_step(version).role == Role.ISO_SECRETARY  # must review again

    # Content changed behind the workflow's back: the approval no longer holds.
    _approve_all(world, version)
    DocumentVersion.objects.filter(pk=version.pk).update(content_sha256="0" * 64)
    version.refresh_from_db()
    with pytest.raises(ValidationError):
        versions.make_effective(world.a_secretary, version)


def test_a_future_effective_date_waits_for_its_day(world):
    version = make_procedure(world.a).versions.get()
    versions.submit_for_review(world.a_secretary, version)
    version.refresh_from_db()
    _approve_all(world, version)
    later = dt.date.today() + dt.timedelta(days=10)
    versions.make_effective(world.a_secretary, version, effective_from=later)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED and version.effective_from == later
    assert versions.activate_due_versions(later - dt.timedelta(days=1)) == 0
    assert versions.activate_due_versions(later) == 1
    version.refresh_from_db()
    assert version.status == VersionStatus.EFFECTIVE


def test_effective_versions_are_not_edited(world):
    _document, version = make_effective_procedure(world)
    with pytest.raises(ValidationError):
        versions.edit_draft(world.a_secretary, version, change_note="x")


def test_configured_steps(world):
    versions.configure_steps(
        world.a_head,
        world.a,
        [("Kiểm tra pháp lý", Role.PROCESS_OWNER), ("Phê duyệt", Role.HEAD)],
    )
    version = make_procedure(world.a).versions.get()
    versions.submit_for_review(world.a_secretary, version)
    version.refresh_from_db()
    assert versions.current_step(version).label == "Kiểm tra pháp lý"
    with pytest.raises(PermissionDenied):
        versions.decide(world.a_secretary, version, approve=True)
    versions.decide(world.users["a_process_owner"], version, approve=True)


def test_diff_section_by_section_and_row_by_row():
    new = dict(PROCEDURE)
    new["fees"] = "50.000 đồng"
    new["steps"] = [dict(s) for s in PROCEDURE["steps"]]
    new["steps"][1]["hours"] = 8
    new["steps"].append(
        {"step": "B5", "name": "Lưu hồ sơ", "responsible": "Văn thư", "hours": 1, "form": ""}
    )
    sections = {s.key: s for s in diff_contents(PROCEDURE, new)}
    assert sections["fees"].changed and not sections["purpose"].changed
    ops = [r.op for r in sections["steps"].rows]
    assert ops == ["equal", "changed", "equal", "equal", "added"]
    assert sections["steps"].rows[1].changed_fields == ["hours"]
    assert ("removed", "Miễn lệ phí.") in sections["fees"].words
