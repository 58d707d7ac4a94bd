"""The legal register and the 3-month update tasks of Decision 19/2014/QĐ-TTg."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from govqms.core.models import AuditEntry
from govqms.documents.models import (
    LegalDocument,
    LegalStatus,
    UpdateTask,
    UpdateTaskStatus,
    VersionStatus,
)
from govqms.documents.selectors import legal as selectors
from govqms.documents.services import legal, versions
from govqms.organizations.models import Role
from tests.documents.factories import make_effective_procedure, make_procedure
from tests.factories import make_user

D = dt.date


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are checked in English (the second language) so the tests read plainly."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def register(admin, number, title, effective=None, **extra):
    return legal.create_legal_document(
        admin,
        number=number,
        title=title,
        issuer=extra.pop("issuer", "Chính phủ"),
        issued=extra.pop("issued", None),
        effective=effective,
        **extra,
    )


@pytest.fixture
def decrees(world):
    old = register(
        world.dost_admin,
        "61/2018/NĐ-CP",
        "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết "
        "thủ tục hành chính",
        issued=D(2018, 4, 23),
        effective=D(2018, 6, 21),
    )
    new = register(
        world.dost_admin,
        "118/2025/NĐ-CP",
        "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên "
        "thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
        issued=D(2025, 6, 9),
        effective=D(2025, 7, 1),
    )
    return old, new


def citing(world, unit, legal_document, code="QT-01"):
    """An effective procedure of `unit` (A or B) whose version cites `legal_document`."""
    secretary = world.a_secretary if unit == world.a else world.b_secretary
    head = world.a_head if unit == world.a else _head_of_b(world)
    document = make_procedure(unit, code=code)
    version = document.versions.get()
    versions.edit_draft(secretary, version, legal_references=[legal_document])
    versions.submit_for_review(secretary, version)
    versions.decide(secretary, version, approve=True)
    versions.decide(head, version, approve=True)
    versions.make_effective(secretary, version)
    version.refresh_from_db()
    return document, version


def _head_of_b(world):
    if not hasattr(world, "b_head"):
        world.b_head = make_user("b_head", "Đỗ Văn Hải", world.b, Role.HEAD)
    return world.b_head


# ------------------------------------------------------------------ the deadline


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2025, 7, 1), D(2025, 10, 1)),
        (D(2025, 11, 30), D(2026, 2, 28)),
        (D(2023, 11, 30), D(2024, 2, 29)),
        (D(2025, 10, 31), D(2026, 1, 31)),
        (D(2025, 12, 31), D(2026, 3, 31)),
        (D(2026, 5, 31), D(2026, 8, 31)),
    ],
)
def test_three_calendar_months(start, due):
    assert legal.add_months(start, 3) == due


def test_replacement_gives_a_task_due_3_months_after_the_new_text_takes_effect(world, decrees):
    old, new = decrees
    document, _version = citing(world, world.a, old)
    tasks = legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    [task] = tasks
    assert task.document == document and task.legal_document == old
    assert task.due == D(2025, 10, 1)  # 118/2025 takes effect 1/7/2025
    assert task.status == UpdateTaskStatus.OPEN
    assert "61/2018/NĐ-CP" in task.reason and "118/2025/NĐ-CP" in task.reason
    old.refresh_from_db()
    assert old.status == LegalStatus.REPLACED and old.replaced_by == new
    assert old.status_changed_on == D(2025, 6, 9)


def test_without_the_new_texts_date_the_change_date_counts(world, decrees):
    old, _new = decrees
    citing(world, world.a, old)
    amending = register(world.dost_admin, "07/2025/NĐ-CP", "Nghị định sửa đổi")  # no date
    [task] = legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.AMENDED,
        replaced_by=amending,
        changed_on=D(2025, 11, 30),
    )
    assert task.due == D(2026, 2, 28)
    other = register(world.dost_admin, "45/2020/NĐ-CP", "Nghị định về thủ tục hành chính")
    citing(world, world.a, other, code="QT-02")
    [task] = legal.change_legal_status(
        world.dost_admin, other, status=LegalStatus.AMENDED, changed_on=D(2025, 11, 30)
    )
    assert task.due == D(2026, 2, 28)


def test_only_documents_in_force_that_cite_it_get_a_task(world, decrees):
    old, new = decrees
    in_force, _ = citing(world, world.a, old, code="QT-01")
    citing(world, world.b, old, code="QT-01")
    # A draft that cites it, a procedure in force that does not, a superseded issue
    # that cited it while the issue in force does not, and an obsolete one.
    draft = make_procedure(world.a, code="QT-02").versions.get()
    versions.edit_draft(world.a_secretary, draft, legal_references=[old])
    make_effective_procedure(world, world.a, code="QT-03")
    superseded_doc, first = citing(world, world.a, old, code="QT-04")
    second = versions.start_revision(world.a_secretary, superseded_doc, description="Bỏ 61/2018")
    versions.edit_draft(world.a_secretary, second, legal_references=[])
    versions.submit_for_review(world.a_secretary, second)
    versions.decide(world.a_secretary, second, approve=True)
    versions.decide(world.a_head, second, approve=True)
    versions.make_effective(world.a_secretary, second)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    withdrawn, _ = citing(world, world.a, old, code="QT-05")
    versions.withdraw(world.a_secretary, withdrawn, reason="Bãi bỏ thủ tục")

    tasks = legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    assert sorted((t.document.unit.code, t.document.code) for t in tasks) == [
        ("P-A", "QT-01"),
        ("P-B", "QT-01"),
    ]
    assert UpdateTask.objects.filter(document=in_force).count() == 1
    # Expiry or a return to force does not create tasks.
    assert (
        legal.change_legal_status(
            world.dost_admin, new, status=LegalStatus.EXPIRED, changed_on=D(2026, 1, 1)
        )
        == []
    )


def test_never_two_open_tasks_for_the_same_document_and_legal_text(world, decrees):
    old, new = decrees
    document, _ = citing(world, world.a, old)
    amending = register(world.dost_admin, "07/2025/NĐ-CP", "Nghị định sửa đổi", D(2025, 3, 1))
    [first] = legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.AMENDED,
        replaced_by=amending,
        changed_on=D(2025, 2, 1),
    )
    again = legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    assert again == []
    assert UpdateTask.objects.filter(document=document, status="open").count() == 1
    assert UpdateTask.objects.get().pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateTask.objects.create(
            document=document, legal_document=old, reason="x", due=D(2025, 1, 1)
        )


def test_a_task_is_done_when_a_new_version_takes_effect(world, decrees):
    old, new = decrees
    document, version = citing(world, world.a, old)
    [task] = legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    # A new issue in progress does not close it...
    revision = versions.start_revision(world.a_secretary, document, description="Theo 118/2025")
    versions.edit_draft(world.a_secretary, revision, legal_references=[new])
    versions.submit_for_review(world.a_secretary, revision)
    versions.decide(world.a_secretary, revision, approve=True)
    versions.decide(world.a_head, revision, approve=True)
    task.refresh_from_db()
    assert task.status == UpdateTaskStatus.OPEN
    # ...taking effect does (versions._activate calls close_update_tasks_for).
    versions.make_effective(world.a_secretary, revision)
    revision.refresh_from_db()
    legal.close_update_tasks_for(revision)
    task.refresh_from_db()
    assert task.status == UpdateTaskStatus.DONE
    assert task.done_by_version == revision and task.done_at is not None
    assert AuditEntry.objects.filter(action="update_task_done", unit=world.a).exists()
    # A later change of the same text opens a new task again.
    new_amended = register(world.dost_admin, "99/2026/NĐ-CP", "Nghị định sửa đổi", D(2026, 9, 1))
    revision.legal_references.add(old)
    [later] = legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.AMENDED,
        replaced_by=new_amended,
        changed_on=D(2026, 8, 1),
    )
    assert later.due == D(2026, 12, 1)


def test_closing_ignores_other_documents(world, decrees):
    old, new = decrees
    a_doc, _ = citing(world, world.a, old)
    b_doc, b_version = citing(world, world.b, old)
    legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    assert legal.close_update_tasks_for(b_version) == 1
    assert UpdateTask.objects.get(document=a_doc).status == UpdateTaskStatus.OPEN


def test_each_concerned_agency_sees_the_change_in_its_audit_trail(world, decrees):
    old, new = decrees
    citing(world, world.a, old)
    legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    entry = AuditEntry.objects.get(action="update_task_create")
    assert entry.unit == world.a
    assert entry.changes["legal_document"] == [None, "61/2018/NĐ-CP"]
    assert entry.changes["due"] == [None, "2025-10-01"]
    assert not AuditEntry.objects.filter(action="update_task_create", unit=world.b).exists()
    assert AuditEntry.objects.filter(action="legal_status", object_repr="61/2018/NĐ-CP").exists()


# ------------------------------------------------------------------ who may


def test_only_dost_administrators_keep_the_register(world, decrees):
    old, new = decrees
    for user in (world.a_secretary, world.a_head, world.dost_officer, world.b_secretary):
        with pytest.raises(PermissionDenied):
            legal.change_legal_status(
                user, old, status=LegalStatus.REPLACED, replaced_by=new, changed_on=D(2025, 6, 9)
            )
        with pytest.raises(PermissionDenied):
            register(user, "01/2026/TT-BKHCN", "Thông tư")
    assert world.dost_admin.has_perm("documents.manage_legal")
    assert not world.dost_officer.has_perm("documents.manage_legal")


def test_register_validation(world, decrees):
    old, new = decrees
    with pytest.raises(ValidationError, match="already has"):
        register(world.dost_admin, "61/2018/nđ-cp", "Trùng số")
    with pytest.raises(ValidationError, match="replaces it"):
        legal.change_legal_status(
            world.dost_admin, old, status=LegalStatus.REPLACED, changed_on=D(2025, 6, 9)
        )
    with pytest.raises(ValidationError, match="cannot replace itself"):
        legal.change_legal_status(
            world.dost_admin,
            old,
            status=LegalStatus.AMENDED,
            replaced_by=old,
            changed_on=D(2025, 6, 9),
        )
    with pytest.raises(ValidationError, match="before it is issued"):
        register(world.dost_admin, "02/2026/TT", "Thông tư", D(2026, 1, 1), issued=D(2026, 2, 1))


# ------------------------------------------------------------------ visibility


@pytest.fixture
def overdue(world, decrees):
    """Agency A has an overdue task (due 1/10/2025); agency B has none."""
    old, new = decrees
    citing(world, world.a, old)
    legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    return UpdateTask.objects.get()


def test_tasks_are_visible_to_their_agency_and_its_overseers_only(world, overdue, client):
    url = reverse("update_task_list", args=[world.a.pk])
    for user in (world.a_staff, world.a_secretary, world.dost_officer, world.dost_admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert "QT-01" in response.content.decode()
    for user in (world.b_secretary, world.c_secretary, world.q_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
        assert not selectors.update_tasks(user, world.a).exists()
    # The overseer's read is logged where the agency sees it.
    assert AuditEntry.objects.filter(
        action="oversight_read", unit=world.a, actor=world.dost_officer
    ).exists()


def test_task_page_filters_open_and_done(world, overdue, client):
    client.force_login(world.a_secretary)
    url = reverse("update_task_list", args=[world.a.pk])
    body = client.get(url).content.decode()
    assert "task-overdue" in body and "01/10/2025" in body
    assert "QT-01" not in client.get(url, {"status": "done"}).content.decode()
    overdue.document.versions.get().legal_references.clear()
    document = overdue.document
    revision = versions.start_revision(world.a_secretary, document, description="Cập nhật")
    versions.submit_for_review(world.a_secretary, revision)
    versions.decide(world.a_secretary, revision, approve=True)
    versions.decide(world.a_head, revision, approve=True)
    versions.make_effective(world.a_secretary, revision)
    revision.refresh_from_db()
    legal.close_update_tasks_for(revision)
    assert "QT-01" not in client.get(url).content.decode()
    done = client.get(url, {"status": "done"}).content.decode()
    assert "QT-01" in done and "task-overdue" not in done
    assert "QT-01" in client.get(url, {"status": "all"}).content.decode()


# ------------------------------------------------------------------ panels


def test_agency_home_panel_lists_open_tasks_with_overdue_in_red(world, overdue, client):
    client.force_login(world.a_secretary)
    body = client.get(reverse("agency_detail", args=[world.a.pk])).content.decode()
    assert 'id="legal-update-panel"' in body
    panel = body.split('id="legal-update-panel"')[1].split('id="people-table"')[0]
    assert "QT-01" in panel and "01/10/2025" in panel
    assert "task-overdue" in panel and "text-danger" in panel and "1 overdue" in panel
    # Agency B's home shows no task of A.
    client.force_login(world.b_secretary)
    body = client.get(reverse("agency_detail", args=[world.b.pk])).content.decode()
    assert "No legal update is pending." in body and "QT-01" not in body


def test_a_task_not_yet_due_is_not_red(world, decrees, client):
    old, _new = decrees
    citing(world, world.a, old)
    later = register(world.dost_admin, "200/2026/NĐ-CP", "Nghị định mới", timezone.localdate())
    legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=later,
        changed_on=timezone.localdate(),
    )
    summary = selectors.open_tasks_summary(world.a_secretary, world.a)
    assert summary["open"] == 1 and summary["overdue"] == 0
    client.force_login(world.a_secretary)
    body = client.get(reverse("agency_detail", args=[world.a.pk])).content.decode()
    assert "task-overdue" not in body


def test_dost_home_panel_counts_overdue_tasks_per_agency_in_its_subtree(
    world, overdue, decrees, client
):
    old, _ = decrees
    for n in range(3):
        citing(world, world.b, old, code=f"QT-1{n}")
    amending = register(world.dost_admin, "07/2025/NĐ-CP", "Nghị định sửa đổi", D(2025, 1, 1))
    legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.AMENDED,
        replaced_by=amending,
        changed_on=D(2025, 1, 1),
    )
    summary = selectors.overdue_by_agency(world.dost_officer)
    assert [(r["code"], r["n"]) for r in summary["rows"]] == [("P-B", 3), ("P-A", 1)]
    assert summary["total"] == 4
    client.force_login(world.dost_officer)
    body = client.get(reverse("agency_list")).content.decode()
    panel = body.split('id="legal-overdue-panel"')[1]
    assert world.b.name in panel and world.a.name in panel
    assert reverse("agency_detail", args=[world.b.pk]) in panel
    # Another province's officer sees none of it.
    assert selectors.overdue_by_agency(world.q_officer)["rows"] == []
    client.force_login(world.q_officer)
    body = client.get(reverse("agency_list")).content.decode()
    assert 'id="legal-overdue-panel"' in body and world.a.name not in body
    # Agency members get no DoST panel.
    assert selectors.overdue_by_agency(world.a_secretary)["rows"] == []


# ------------------------------------------------------------------ register pages


def test_register_search_folds_accents_and_filters_by_status(world, decrees, client):
    old, new = decrees
    legal.change_legal_status(
        world.dost_admin,
        old,
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=D(2025, 6, 9),
    )
    client.force_login(world.a_staff)
    url = reverse("legal_list")
    body = client.get(url, {"q": "nghi dinh mot cua lien thong"}).content.decode()
    assert "61/2018/NĐ-CP" in body and "118/2025/NĐ-CP" in body
    body = client.get(url, {"q": "cong dich vu cong"}).content.decode()
    assert "118/2025/NĐ-CP" in body and "61/2018/NĐ-CP</a></td>" not in body
    body = client.get(url, {"status": "in_force"}).content.decode()
    assert "118/2025/NĐ-CP</a></td>" in body and "61/2018/NĐ-CP</a></td>" not in body
    assert 'id="legal-add"' not in body
    assert client.get(reverse("legal_create")).status_code == 403
    assert client.get(reverse("legal_edit", args=[old.pk])).status_code == 403


def test_dost_admin_registers_and_records_a_replacement_from_the_pages(world, client):
    old = register(
        world.dost_admin, "01/2018/TT-VPCP", "Thông tư hướng dẫn một cửa", D(2018, 8, 22)
    )
    citing(world, world.a, old)
    client.force_login(world.dost_admin)
    response = client.post(
        reverse("legal_create"),
        {
            "number": "03/2025/TT-VPCP",
            "title": "Thông tư quy định biểu mẫu một cửa",
            "issuer": "Văn phòng Chính phủ",
            "issued": "2025-06-20",
            "effective": "2025-07-01",
            "status": "in_force",
        },
    )
    assert response.status_code == 302
    new = LegalDocument.objects.get(number="03/2025/TT-VPCP")
    response = client.post(
        reverse("legal_edit", args=[old.pk]),
        {
            "number": old.number,
            "title": old.title,
            "issuer": "Văn phòng Chính phủ",
            "issued": "2018-06-30",
            "effective": "2018-08-22",
            "status": "replaced",
            "replaced_by": new.pk,
            "changed_on": "2025-07-01",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "1 update task was created (in 1 agencies), due 01/10/2025." in body
    task = UpdateTask.objects.get()
    assert task.due == D(2025, 10, 1) and task.document.unit == world.a
    old.refresh_from_db()
    assert old.issuer == "Văn phòng Chính phủ" and old.status == LegalStatus.REPLACED
    # The agency sees its citing document on the legal document's page.
    client.force_login(world.a_secretary)
    body = client.get(reverse("legal_detail", args=[old.pk])).content.decode()
    assert "QT-01" in body and "03/2025/TT-VPCP" in body
    client.force_login(world.b_secretary)
    body = client.get(reverse("legal_detail", args=[old.pk])).content.decode()
    assert "QT-01" not in body


def test_replaced_without_saying_by_what_is_refused_on_the_page(world, decrees, client):
    old, _new = decrees
    client.force_login(world.dost_admin)
    response = client.post(
        reverse("legal_edit", args=[old.pk]),
        {"number": old.number, "title": old.title, "status": "replaced"},
    )
    assert response.status_code == 200
    assert "Say which legal document replaces it" in response.content.decode()
    old.refresh_from_db()
    assert old.status == LegalStatus.IN_FORCE


def test_a_withdrawn_documents_tasks_end(world, overdue):
    document = overdue.document
    versions.withdraw(world.a_secretary, document, reason="Thủ tục bị bãi bỏ")
    assert legal.close_update_tasks_of_withdrawn(document, actor=world.a_secretary) in (0, 1)
    overdue.refresh_from_db()
    assert overdue.status == UpdateTaskStatus.DONE and overdue.done_by_version is None
    assert selectors.overdue_by_agency(world.dost_officer)["total"] == 0
