"""The model framework (mô hình khung): publishing, adoption, drift, template updates
and the three-way merge into an agency's draft."""

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from govqms.core.models import AuditEntry
from govqms.documents import framework_data
from govqms.documents.models import (
    ChangeLogEntry,
    DocumentKind,
    FrameworkVersion,
    TemplateDocument,
    VersionStatus,
)
from govqms.documents.selectors import framework as selectors
from govqms.documents.services import framework as services
from govqms.documents.services import versions
from tests.documents.factories import PROCEDURE


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are checked in English (the second language) so the tests read plainly."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _content(**changes):
    content = copy.deepcopy(PROCEDURE)
    content.update(changes)
    return content


def make_framework(w, templates=None, actor=None):
    """A published version 1 of the DoST's framework with the given templates."""
    framework = services.create_framework(
        actor or w.dost_admin,
        publisher=w.dost,
        code="MHK-TEST",
        title="Mô hình khung cấp xã",
    )
    version = framework.versions.get()
    for key, code, title in templates or [("khai-sinh", "QT-TP-01", "Đăng ký khai sinh")]:
        services.add_template(
            w.dost_admin,
            version,
            key=key,
            code=code,
            title=title,
            kind=DocumentKind.OPERATIONAL_PROCEDURE,
            content=_content(),
        )
    services.publish_version(w.dost_admin, version)
    return framework


def next_version(w, framework, **changes_by_key):
    """Publish the next version, changing the given templates' content sections."""
    draft = services.create_draft_version(w.dost_admin, framework, note="Cập nhật")
    for key, changes in changes_by_key.items():
        template = draft.templates.get(key=key)
        services.update_template(w.dost_admin, template, content=dict(template.content, **changes))
    return services.publish_version(w.dost_admin, draft)


def template_of(framework, key="khai-sinh"):
    return selectors.latest_published(framework).templates.get(key=key)


def make_effective(w, version):
    versions.submit_for_review(w.a_secretary, version)
    versions.decide(w.a_secretary, version, approve=True)
    versions.decide(w.a_head, version, approve=True)
    versions.make_effective(w.a_secretary, version)
    version.refresh_from_db()
    return version


# ---------------------------------------------------------------- adoption


def test_adopt_creates_the_agencys_own_draft_with_its_provenance(world):
    w = world
    template = template_of(make_framework(w))
    document = services.adopt(w.a_secretary, template, w.a)
    assert document.unit == w.a and document.template == template
    assert (document.code, document.title, document.kind) == (
        "QT-TP-01",
        "Đăng ký khai sinh",
        DocumentKind.OPERATIONAL_PROCEDURE,
    )
    version = document.versions.get()
    assert version.issue_no == 1 and version.status == VersionStatus.DRAFT
    assert selectors.section_value(version.content, "steps") == selectors.section_value(
        template.content, "steps"
    )
    # A copy: changing the document never touches the template.
    versions.edit_draft(w.a_secretary, version, content=_content(purpose="Của xã"))
    template.refresh_from_db()
    assert template.content["purpose"] == PROCEDURE["purpose"]
    assert AuditEntry.objects.filter(action="framework_adopt", unit=w.a).count() == 1


def test_adopting_the_same_template_key_twice_is_refused(world):
    w = world
    framework = make_framework(w)
    services.adopt(w.a_secretary, template_of(framework), w.a)
    with pytest.raises(ValidationError, match="already adopted"):
        services.adopt(w.a_secretary, template_of(framework), w.a, code="QT-99")
    # Not even from a newer framework version: the key is the same template.
    next_version(w, framework, **{"khai-sinh": {"purpose": "Mới"}})
    with pytest.raises(ValidationError, match="already adopted"):
        services.adopt(w.a_secretary, template_of(framework), w.a, code="QT-98")
    # Another agency may adopt it.
    assert services.adopt(w.b_secretary, template_of(framework), w.b).template_id


def test_adopt_all_skips_keys_already_adopted_and_codes_in_use(world):
    w = world
    framework = make_framework(
        w,
        [
            ("khai-sinh", "QT-TP-01", "Đăng ký khai sinh"),
            ("ket-hon", "QT-TP-02", "Đăng ký kết hôn"),
            ("khai-tu", "QT-TP-03", "Đăng ký khai tử"),
        ],
    )
    version = selectors.latest_published(framework)
    services.adopt(w.a_secretary, template_of(framework, "khai-sinh"), w.a)
    versions.create_document(
        w.a_secretary, unit=w.a, code="QT-TP-03", title="Quy trình riêng", kind="form"
    )
    result = services.adopt_all(w.a_secretary, version, w.a)
    assert [d.code for d in result.adopted] == ["QT-TP-02"]
    assert [t.key for t in result.already] == ["khai-sinh"]
    assert [t.key for t in result.code_taken] == ["khai-tu"]
    # Adopted under another code, the third one counts as adopted.
    services.adopt(w.a_secretary, template_of(framework, "khai-tu"), w.a, code="QT-TP-03b")
    assert services.adopt_all(w.a_secretary, version, w.a).adopted == []


def test_other_province_cannot_see_or_adopt(world, client):
    w = world
    template = template_of(make_framework(w))
    client.force_login(w.c_secretary)
    url = reverse("framework_template", args=[w.c.pk, template.pk])
    assert client.get(url).status_code == 404
    adopt_url = reverse("framework_adopt", args=[w.c.pk, template.pk])
    assert client.post(adopt_url).status_code == 404
    page = client.get(reverse("framework_agency", args=[w.c.pk]))
    assert page.status_code == 200 and "MHK-TEST" not in page.content.decode()
    with pytest.raises(ValidationError, match="not published for this agency"):
        services.adopt(w.c_secretary, template, w.c)
    # The DoST officer of the other province sees nothing of it either.
    client.force_login(w.q_officer)
    response = client.get(reverse("framework_adoption"))
    assert response.status_code == 200 and "MHK-TEST" not in response.content.decode()
    assert client.get(f"{reverse('framework_adoption')}?framework=1").status_code == 404
    # Same province: visible and adoptable.
    client.force_login(w.b_secretary)
    assert client.get(reverse("framework_template", args=[w.b.pk, template.pk])).status_code == 200
    response = client.post(reverse("framework_adopt", args=[w.b.pk, template.pk]))
    assert response.status_code == 302
    assert selectors.already_adopted(w.b, template).code == "QT-TP-01"


def test_agencies_never_see_a_draft_version(world, client):
    w = world
    framework = make_framework(w)
    draft = services.create_draft_version(w.dost_admin, framework)
    draft_template = draft.templates.get()
    client.force_login(w.a_secretary)
    url = reverse("framework_template", args=[w.a.pk, draft_template.pk])
    assert client.get(url).status_code == 404
    with pytest.raises(ValidationError, match="published"):
        services.adopt(w.a_secretary, draft_template, w.a)


# ---------------------------------------------------------------- drift


def test_drift_is_unchanged_after_adoption_then_shows_the_agencys_edits(world, client):
    w = world
    document = services.adopt(w.a_secretary, template_of(make_framework(w)), w.a)
    drift = selectors.document_drift(document)
    assert drift.unchanged and drift.changed_count == 0

    version = document.versions.get()
    steps = copy.deepcopy(PROCEDURE["steps"])
    steps[1]["hours"] = 3
    steps.append(
        {"step": "B5", "name": "Lưu hồ sơ", "responsible": "Văn thư", "hours": 1, "form": ""}
    )
    versions.edit_draft(
        w.a_secretary,
        version,
        content=_content(purpose="Quy định riêng của xã Đông Phong.", steps=steps),
    )
    drift = selectors.document_drift(document)
    assert {s.key for s in drift.changed} == {"purpose", "steps"}
    purpose = next(s for s in drift.changed if s.key == "purpose")
    assert any(line.startswith("+Quy định riêng") for line in purpose.diff)
    steps_section = next(s for s in drift.changed if s.key == "steps")
    assert [r["step"] for r in steps_section.added] == ["B5"]
    assert [(c.old["hours"], c.new["hours"]) for c in steps_section.changed_rows] == [("4", "3")]
    assert steps_section.removed == []

    client.force_login(w.a_secretary)
    body = client.get(reverse("framework_drift", args=[w.a.pk])).content.decode()
    assert "2 sections changed" in body
    detail = client.get(reverse("framework_drift_detail", args=[w.a.pk, document.pk]))
    assert detail.status_code == 200 and "Quy định riêng" in detail.content.decode()


def test_drift_reads_the_effective_version_not_a_later_draft(world):
    w = world
    document = services.adopt(w.a_secretary, template_of(make_framework(w)), w.a)
    make_effective(w, document.versions.get())
    draft = versions.start_revision(w.a_secretary, document, description="Sửa")
    versions.edit_draft(w.a_secretary, draft, content=_content(fees="100.000 đồng"))
    assert selectors.document_drift(document).unchanged
    assert selectors.document_drift(document).version.status == VersionStatus.EFFECTIVE


def test_cosmetic_differences_are_not_drift(world):
    w = world
    document = services.adopt(w.a_secretary, template_of(make_framework(w)), w.a)
    steps = copy.deepcopy(PROCEDURE["steps"])
    steps[0]["hours"] = 1.0
    steps[0]["name"] = "  Tiếp nhận   hồ sơ "
    content = _content(steps=steps, purpose=PROCEDURE["purpose"] + "\n")
    versions.edit_draft(w.a_secretary, document.versions.get(), content=content)
    assert selectors.document_drift(document).unchanged


# ---------------------------------------------------------------- new framework versions


def test_new_version_tells_only_adopters_of_changed_templates(world, client):
    w = world
    framework = make_framework(
        w,
        [("khai-sinh", "QT-TP-01", "Đăng ký khai sinh"), ("ket-hon", "QT-TP-02", "Kết hôn")],
    )
    a_doc = services.adopt(w.a_secretary, template_of(framework, "khai-sinh"), w.a)
    services.adopt(w.a_secretary, template_of(framework, "ket-hon"), w.a)
    services.adopt(w.b_secretary, template_of(framework, "ket-hon"), w.b)
    assert selectors.template_updates(w.a_secretary, w.a) == []

    next_version(w, framework, **{"khai-sinh": {"fees": "Miễn lệ phí (sửa đổi)."}})

    notices = selectors.template_updates(w.a_secretary, w.a)
    assert [(d.pk, t.framework_version.version_no) for d, t in notices] == [(a_doc.pk, 2)]
    assert selectors.template_updates(w.b_secretary, w.b) == []
    told = AuditEntry.objects.filter(action="framework_update_notice")
    assert [(e.unit_id, e.changes["documents"][1]) for e in told] == [(w.a.pk, ["QT-TP-01"])]

    # The agency home shows the notice; the update page shows what changed.
    client.force_login(w.a_secretary)
    home = client.get(reverse("agency_detail", args=[w.a.pk])).content.decode()
    assert "framework-panel" in home and "QT-TP-01" in home
    page = client.get(reverse("framework_update", args=[w.a.pk, a_doc.pk])).content.decode()
    assert "Miễn lệ phí (sửa đổi)." in page and 'data-section="fees"' in page
    client.force_login(w.b_secretary)
    home = client.get(reverse("agency_detail", args=[w.b.pk])).content.decode()
    assert "framework-update-count" not in home


def test_republishing_identical_content_tells_nobody(world):
    w = world
    framework = make_framework(w)
    services.adopt(w.a_secretary, template_of(framework), w.a)
    next_version(w, framework)
    assert selectors.template_updates(w.a_secretary, w.a) == []
    assert not AuditEntry.objects.filter(action="framework_update_notice").exists()


# ---------------------------------------------------------------- three-way merge


def _adopt_and_diverge(w):
    """Adopted; the agency changed scope and fees; version 2 of the template changed
    purpose and fees (differently)."""
    framework = make_framework(w)
    document = services.adopt(w.a_secretary, template_of(framework), w.a)
    versions.edit_draft(
        w.a_secretary,
        document.versions.get(),
        content=_content(scope="Phạm vi riêng của xã.", fees="Lệ phí theo xã."),
    )
    next_version(
        w,
        framework,
        **{"khai-sinh": {"purpose": "Mục đích mới của mô hình khung.", "fees": "Miễn phí."}},
    )
    return framework, document


def test_merge_takes_template_only_changes_keeps_the_agencys_and_reports_conflicts(world):
    w = world
    framework, document = _adopt_and_diverge(w)
    new = template_of(framework)
    result = services.merge_template_update(w.a_secretary, document, new)

    assert [s.key for s in result.taken] == ["purpose"]
    assert [s.key for s in result.kept] == ["scope"]
    assert [s.key for s in result.conflicts] == ["fees"]
    assert not result.started_revision  # the open draft was used
    content = result.version.content
    assert content["purpose"] == "Mục đích mới của mô hình khung."
    assert content["scope"] == "Phạm vi riêng của xã."
    assert content["fees"] == "Lệ phí theo xã."
    document.refresh_from_db()
    assert document.template == new
    assert selectors.template_updates(w.a_secretary, w.a) == []
    entry = AuditEntry.objects.get(action="framework_merge")
    assert entry.changes["conflicts"] == [None, ["fees"]]


def test_merge_starts_a_revision_when_nothing_is_open(world):
    w = world
    framework = make_framework(w)
    document = services.adopt(w.a_secretary, template_of(framework), w.a)
    effective = make_effective(w, document.versions.get())
    next_version(w, framework, **{"khai-sinh": {"purpose": "Mục đích mới."}})
    result = services.merge_template_update(w.a_secretary, document, template_of(framework))
    assert result.started_revision and result.version.issue_no == 2
    assert result.version.status == VersionStatus.DRAFT
    assert result.version.content["purpose"] == "Mục đích mới."
    effective.refresh_from_db()
    assert effective.status == VersionStatus.EFFECTIVE
    assert effective.content["purpose"] == PROCEDURE["purpose"]
    entry = ChangeLogEntry.objects.get(version=result.version)
    assert entry.request.startswith("Model framework MHK-TEST, version 2")
    assert entry.section == "purpose"


def test_merge_is_refused_while_an_issue_is_in_review(world, client):
    w = world
    framework, document = _adopt_and_diverge(w)
    versions.submit_for_review(w.a_secretary, document.versions.get())
    with pytest.raises(ValidationError, match="in review"):
        services.merge_template_update(w.a_secretary, document, template_of(framework))
    client.force_login(w.a_secretary)
    page = client.get(reverse("framework_update", args=[w.a.pk, document.pk])).content.decode()
    assert 'id="merge"' not in page


def test_merge_page_and_result(world, client):
    w = world
    framework, document = _adopt_and_diverge(w)
    client.force_login(w.a_secretary)
    page = client.get(reverse("framework_update", args=[w.a.pk, document.pk])).content.decode()
    assert page.count("plan-take") == 1 and page.count("plan-conflict") == 1
    response = client.post(reverse("framework_merge", args=[w.a.pk, document.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("result-conflict") == 1 and body.count("result-taken") == 1
    # Done: a second request changes nothing.
    response = client.post(reverse("framework_merge", args=[w.a.pk, document.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="framework_merge").count() == 1


def test_merge_plan_outcomes():
    base = {"purpose": "a", "scope": "s", "fees": "f", "steps": [{"step": "B1"}]}
    theirs = {"purpose": "A", "scope": "s", "fees": "F", "steps": [{"step": "B1"}]}
    ours = {"purpose": "a", "scope": "S", "fees": "G", "steps": [{"step": "B1"}, {"step": "B2"}]}
    plan = selectors.merge_plan(base, theirs, ours)
    outcomes = {s.key: s.outcome for s in plan.sections if s.outcome != selectors.SAME}
    assert outcomes == {"purpose": "take", "scope": "keep", "fees": "conflict", "steps": "keep"}
    # Both changed the same way: no conflict.
    same = selectors.merge_plan({"fees": "f"}, {"fees": "F"}, {"fees": "F"})
    assert not same.conflicts and not same.taken
    merged = selectors.apply_plan(plan, theirs, ours)
    assert merged == {**ours, "purpose": "A"}


# ---------------------------------------------------------------- the DoST's console


def test_published_version_is_frozen(world, client):
    w = world
    framework = make_framework(w)
    version = selectors.latest_published(framework)
    template = version.templates.get()
    with pytest.raises(ValidationError, match="frozen"):
        services.update_template(w.dost_admin, template, title="Khác")
    with pytest.raises(ValidationError, match="frozen"):
        services.remove_template(w.dost_admin, template)
    with pytest.raises(ValidationError, match="frozen"):
        services.add_template(w.dost_admin, version, code="X", title="X", kind="form")
    with pytest.raises(ValidationError, match="frozen"):
        services.publish_version(w.dost_admin, version)
    client.force_login(w.dost_admin)
    response = client.post(
        reverse("framework_template_edit", args=[template.pk]), {"code": "X", "title": "X"}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.title == "Đăng ký khai sinh"


def test_new_draft_copies_templates_and_only_one_draft_at_a_time(world):
    w = world
    framework = make_framework(w)
    draft = services.create_draft_version(w.dost_admin, framework)
    assert draft.version_no == 2 and not draft.is_published
    assert list(draft.templates.values_list("key", "code")) == [("khai-sinh", "QT-TP-01")]
    with pytest.raises(ValidationError, match="already has a draft"):
        services.create_draft_version(w.dost_admin, framework)
    services.remove_template(w.dost_admin, draft.templates.get())
    with pytest.raises(ValidationError, match="at least one template"):
        services.publish_version(w.dost_admin, draft)


def test_permissions(world, client):
    w = world
    framework = make_framework(w)
    template = template_of(framework)
    # Staff cannot adopt.
    with pytest.raises(PermissionDenied):
        services.adopt(w.a_staff, template, w.a)
    client.force_login(w.a_staff)
    assert client.post(reverse("framework_adopt", args=[w.a.pk, template.pk])).status_code == 403
    assert selectors.already_adopted(w.a, template) is None
    # A process owner may.
    assert services.adopt(w.users["a_process_owner"], template, w.a).template == template
    # A DoST officer (not an administrator) cannot create or publish.
    draft = services.create_draft_version(w.dost_admin, framework)
    with pytest.raises(PermissionDenied):
        services.publish_version(w.dost_officer, draft)
    with pytest.raises(PermissionDenied):
        services.create_framework(w.dost_officer, publisher=w.dost, code="X", title="X")
    client.force_login(w.dost_officer)
    url = reverse("framework_version_publish", args=[draft.pk])
    assert client.post(url, {"note": "x"}).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published
    # Nor may an agency editor, nor adopt for another agency.
    with pytest.raises(PermissionDenied):
        services.publish_version(w.a_secretary, draft)
    with pytest.raises(PermissionDenied):
        services.adopt(w.a_secretary, template, w.b)
    # The DoST officer reads the adoption overview but cannot adopt for an agency.
    assert client.get(reverse("framework_adoption")).status_code == 200
    assert client.post(reverse("framework_adopt", args=[w.b.pk, template.pk])).status_code == 403
    # The administrator publishes.
    client.force_login(w.dost_admin)
    assert client.post(url, {"note": "Phiên bản 2"}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.note == "Phiên bản 2"


def test_console_pages_create_edit_and_publish(world, client):
    w = world
    client.force_login(w.dost_admin)
    response = client.post(
        reverse("framework_create"),
        {"publisher": w.dost.pk, "code": "MHK-01", "title": "Mô hình khung 2026"},
    )
    assert response.status_code == 302
    framework = selectors.managed_frameworks(w.dost_admin).get(code="MHK-01")
    draft = framework.versions.get()
    response = client.post(
        reverse("framework_template_create", args=[draft.pk]),
        {
            "code": "QT-TP-01",
            "title": "Quy trình đăng ký khai sinh",
            "kind": DocumentKind.OPERATIONAL_PROCEDURE,
            "purpose": "Quy định trình tự.",
            "references": "TCVN ISO 9001:2015\nLuật Hộ tịch 2014",
            "steps": "B1 | Tiếp nhận | Một cửa | 1 | Phiếu\nB2 | Thẩm định | Tư pháp | 6,5\n"
            "B3 | Trả kết quả | Một cửa | 0.5",
            "forms_table": "BM-01 | Tờ khai",
            "records": "Sổ khai sinh | Tư pháp | Vĩnh viễn",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = draft.templates.get()
    assert template.key == "qt-tp-01"
    assert [s["hours"] for s in template.content["steps"]] == [1, 6.5, 0.5]
    assert template.content["steps"][2]["form"] == ""
    assert template.content["references"] == ["TCVN ISO 9001:2015", "Luật Hộ tịch 2014"]
    assert template.content["records"][0]["retention"] == "Vĩnh viễn"
    # A bad hours value is reported on its line.
    response = client.post(
        reverse("framework_template_edit", args=[template.pk]),
        {"code": "QT-TP-01", "title": "T", "kind": "form", "steps": "B1 | x | y | nhiều"},
    )
    assert response.status_code == 200 and "Line 1" in response.content.decode()
    # The edit form round-trips the table.
    page = client.get(reverse("framework_template_edit", args=[template.pk])).content.decode()
    assert "B2 | Thẩm định | Tư pháp | 6.5" in page
    assert client.get(reverse("framework_detail", args=[framework.pk])).status_code == 200
    page = client.get(reverse("framework_version_publish", args=[draft.pk])).content.decode()
    assert "QT-TP-01" in page
    assert client.post(reverse("framework_version_publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published


def test_adoption_overview_counts_adopters_and_drift(world, client):
    w = world
    framework = make_framework(w)
    document = services.adopt(w.a_secretary, template_of(framework), w.a)
    services.adopt(w.b_secretary, template_of(framework), w.b)
    versions.edit_draft(w.a_secretary, document.versions.get(), content=_content(fees="Có phí"))
    rows = {
        r["unit"].pk: r
        for r in selectors.adoption_rows(
            framework, selectors.framework_agencies(w.dost_officer, framework)
        )
    }
    assert (rows[w.a.pk]["adopted"], rows[w.a.pk]["drifted"]) == (1, 1)
    assert (rows[w.b.pk]["adopted"], rows[w.b.pk]["drifted"]) == (1, 0)
    assert selectors.adopter_count(w.dost_officer, framework) == 2
    client.force_login(w.dost_officer)
    body = client.get(reverse("framework_adoption")).content.decode()
    assert 'id="adopter-count">2<' in body
    home = client.get(reverse("agency_list")).content.decode()
    assert "framework-oversight-panel" in home


# ---------------------------------------------------------------- the default framework


def test_default_framework_loads_once(world):
    w = world
    version = framework_data.load_default_framework(w.dost)
    assert version.is_published and version.version_no == 1
    templates = list(version.templates.all())
    kinds = [t.kind for t in templates]
    assert kinds.count(DocumentKind.SYSTEM_PROCEDURE) == 6
    assert kinds.count(DocumentKind.OPERATIONAL_PROCEDURE) == 12
    khai_sinh = version.templates.get(key="khai-sinh")
    assert khai_sinh.title == "Quy trình đăng ký khai sinh"
    assert sum(s["hours"] for s in khai_sinh.content["steps"]) == 8
    thuong_tru = version.templates.get(key="thuong-tru")
    assert sum(s["hours"] for s in thuong_tru.content["steps"]) == 56  # 7 working days
    for t in templates:
        assert t.content["purpose"] and t.content["steps"] and t.content["records"]
    again = framework_data.load_default_framework(w.dost)
    assert again.pk == version.pk
    assert FrameworkVersion.objects.count() == 1
    assert TemplateDocument.objects.count() == 18
    # Every agency of the province can adopt it all.
    result = services.adopt_all(w.a_secretary, version, w.a)
    assert len(result.adopted) == 18
    assert all(d.unchanged for d in selectors.unit_drift(w.a_secretary, w.a))
