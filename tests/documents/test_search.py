"""Search: accent-insensitive, scoped to what the user may see, ranked, with the
matching passage (runs on SQLite and on PostgreSQL alike)."""

import pytest
from django.urls import reverse
from hypothesis import assume, given
from hypothesis import strategies as st

from govqms.core.models import AuditEntry
from govqms.core.text import fold
from govqms.documents.models import VersionStatus
from govqms.documents.selectors.search import fold_with_map, highlight, search
from govqms.documents.services import versions
from tests.documents.factories import PROCEDURE, make_effective_procedure, make_procedure

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + " \n\t-.,;:()<>&\"'0123456789"


@given(st.text(alphabet=ALPHABET))
def test_fold_with_map_folds_like_fold_and_maps_back(text):
    folded, index = fold_with_map(text)
    assert folded == fold(text)
    assert len(index) == len(folded)
    assert index == sorted(index)
    for position, original in enumerate(index):
        if folded[position] != " ":
            assert fold(text[original]) == folded[position]


@given(st.text())
def test_fold_with_map_on_any_text(text):
    assume("Σ" not in text)  # str.lower() folds a final sigma by its context
    folded, index = fold_with_map(text)
    assert folded == fold(text) and len(index) == len(folded)


def test_highlight_marks_the_original_text_and_escapes_html():
    text = "Trẻ em <b>sinh ra</b> phải được ĐĂNG  KÝ khai sinh & cấp giấy."
    html = highlight(text, ["dang", "ky", "khai", "sinh"])
    assert "<mark>ĐĂNG  KÝ khai sinh</mark>" in html
    assert "&lt;b&gt;<mark>sinh</mark> ra&lt;/b&gt;" in html
    assert "&amp;" in html and "<b>" not in html


def test_highlight_cuts_a_window_around_the_first_match():
    text = ("Lời mở đầu dài dòng. " * 30) + "Tờ khai đăng ký khai sinh. " + ("Phần cuối. " * 30)
    html = highlight(text, ["dang", "ky"])
    plain = html.replace("<mark>", "").replace("</mark>", "")
    assert html.startswith("…") and html.endswith("…")
    assert "Tờ khai <mark>đăng ký</mark> khai sinh" in html
    assert 150 <= len(plain) <= 230


@pytest.fixture
def corpus(world):
    """A: an effective birth-registration procedure, another effective procedure that
    only mentions it in its content, a draft; B: the same, effective and draft."""
    a_birth, a_birth_v = make_effective_procedure(world)
    content = dict(PROCEDURE)
    content["purpose"] = (
        "Chứng thực bản sao từ bản chính. Không áp dụng cho giấy khai sinh; "
        "bản sao giấy khai sinh, trích lục khai sinh và đăng ký khai sinh lại "
        "do công chức hộ tịch thực hiện."
    )
    a_other, a_other_v = make_effective_procedure(
        world, code="QT-02", title="Quy trình chứng thực bản sao", content=content
    )
    a_draft = make_procedure(world.a, code="QT-09", title="Quy trình đăng ký khai sinh lưu động")
    b_birth, b_birth_v = make_effective_procedure(world, unit=world.b)
    b_draft = make_procedure(world.b, code="QT-05", title="Đăng ký khai sinh cho trẻ bị bỏ rơi")
    return {
        "a_birth": a_birth_v,
        "a_other": a_other_v,
        "a_draft": a_draft.versions.get(),
        "b_birth": b_birth_v,
        "b_draft": b_draft.versions.get(),
    }


def _found(user, query):
    return [hit.version.pk for hit in search(user, query)]


def test_finds_vietnamese_without_accents(world, corpus):
    for query in ["dang ky khai sinh", "DANG KY", "khai sinh", "Đăng ký khai sinh", "đang kỳ"]:
        found = _found(world.a_staff, query)
        assert corpus["a_birth"].pk in found, query
        assert corpus["a_draft"].pk in found, query
    assert _found(world.a_staff, "thue dat") == []
    assert _found(world.a_staff, "") == [] and _found(world.a_staff, "   ") == []


def test_every_term_must_match_content_or_title(world, corpus):
    # "hộ tịch" is in the content (scope, steps), "khai sinh" in the title.
    assert corpus["a_birth"].pk in _found(world.a_staff, "ho tich khai sinh")
    assert corpus["a_birth"].pk in _found(world.a_staff, "giay chung sinh")
    # The owning division is searched through the document.
    assert corpus["a_birth"].pk in _found(world.a_staff, "tu phap qt-01")
    assert _found(world.a_staff, "khai sinh xyzzy") == []


def test_agency_users_never_see_another_agencys_documents_or_drafts(world, corpus):
    for user in [*world.users.values()]:
        found = set(_found(user, "dang ky khai sinh"))
        assert found == {corpus["a_birth"].pk, corpus["a_other"].pk, corpus["a_draft"].pk}
    found = set(_found(world.b_secretary, "dang ky khai sinh"))
    assert found == {corpus["b_birth"].pk, corpus["b_draft"].pk}
    assert _found(world.c_secretary, "dang ky khai sinh") == []


def test_overseers_see_effective_versions_of_their_subtree_only(world, corpus):
    found = set(_found(world.dost_officer, "dang ky khai sinh"))
    assert found == {corpus["a_birth"].pk, corpus["a_other"].pk, corpus["b_birth"].pk}
    assert _found(world.q_officer, "dang ky khai sinh") == []


def test_only_effective_versions_count_once_revised(world, corpus):
    a_birth = corpus["a_birth"]
    revision = versions.start_revision(
        world.a_secretary, a_birth.document, description="Bổ sung bước kiểm tra"
    )
    versions.edit_draft(
        world.a_secretary, revision, content={**PROCEDURE, "fees": "Lệ phí trích lục 8.000 đồng"}
    )
    # The agency finds its revision in progress; the DoST does not.
    assert _found(world.a_staff, "trich luc 8.000") == [revision.pk]
    assert _found(world.dost_officer, "trich luc 8.000") == []
    hit = search(world.a_staff, "trich luc 8.000")[0]
    assert hit.in_progress and hit.version.status == VersionStatus.DRAFT


def test_ranking_puts_the_title_match_first(world, corpus):
    hits = search(world.a_staff, "khai sinh")
    # QT-02 names "khai sinh" more often, but only in its content.
    assert hits[0].version.pk == corpus["a_birth"].pk
    assert [h.title_match for h in hits[:2]] == [True, True]
    assert hits[-1].version.pk == corpus["a_other"].pk
    # A phrase match comes before a scattered one.
    hits = search(world.a_staff, "ban sao")
    assert hits[0].document.code == "QT-02"


def test_passage_shows_the_matching_text_with_marks(world, corpus):
    hit = next(h for h in search(world.a_staff, "trich luc") if h.document.code == "QT-02")
    assert "<mark>trích lục</mark>" in hit.passage
    assert hit.passage_field == "purpose"
    hit = search(world.a_staff, "phieu tiep nhan")[0]
    assert "<mark>Phiếu tiếp nhận</mark>" in hit.passage
    assert hit.passage_field == "steps"


def test_passage_escapes_html(world):
    make_procedure(
        world.a,
        code="QT-66",
        title="Quy trình thử",
        content={"purpose": "<script>alert('khai sinh')</script> đăng ký"},
    )
    hit = search(world.a_staff, "khai sinh")[0]
    assert "<script>" not in hit.passage and "&lt;script&gt;" in hit.passage
    assert "<mark>khai sinh</mark>" in hit.passage


def test_candidates_are_limited_but_title_matches_kept(world, corpus):
    hits = search(world.a_staff, "khai sinh", limit=1)
    assert [h.version.pk for h in hits] in ([corpus["a_birth"].pk], [corpus["a_draft"].pk])
    assert hits[0].title_match


# ---------------------------------------------------------------- the page


def test_search_page(client, world, corpus):
    client.force_login(world.a_staff)
    response = client.get(reverse("document_search"), {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Quy trình đăng ký khai sinh" in body and "<mark>" in body
    assert reverse("version_detail", args=[corpus["a_birth"].pk]) in body
    assert reverse("version_detail", args=[corpus["a_draft"].pk]) in body
    assert "search-hit-draft" in body  # drafts are marked
    assert reverse("version_detail", args=[corpus["b_birth"].pk]) not in body
    assert "QT-05" not in body and "bỏ rơi" not in body
    assert world.b.name not in body


def test_search_page_empty_states(client, world, corpus):
    client.force_login(world.a_staff)
    body = client.get(reverse("document_search")).content.decode()
    assert 'id="empty-state"' in body and 'id="search-results"' not in body
    body = client.get(reverse("document_search"), {"q": "khong ton tai xyz"}).content.decode()
    assert 'id="empty-state"' in body and "khong ton tai xyz" in body


def test_search_page_needs_sign_in(client, world):
    response = client.get(reverse("document_search"), {"q": "khai sinh"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_search_page_paginates(client, world):
    for n in range(23):
        make_procedure(world.a, code=f"BM-{n:02d}", title=f"Biểu mẫu đăng ký số {n}")
    client.force_login(world.a_secretary)
    first = client.get(reverse("document_search"), {"q": "bieu mau"}).content.decode()
    assert first.count('class="list-group-item py-3 search-hit') == 20
    assert "page=2" in first and "q=bieu+mau" in first
    second = client.get(reverse("document_search"), {"q": "bieu mau", "page": 2}).content.decode()
    assert second.count('class="list-group-item py-3 search-hit') == 3


def test_overseer_search_is_logged_for_the_agencies_seen(client, world, corpus):
    client.force_login(world.dost_officer)
    body = client.get(reverse("document_search"), {"q": "khai sinh"}).content.decode()
    assert "<mark>" in body and "search-hit-draft" not in body
    for unit in (world.a, world.b):
        assert AuditEntry.objects.filter(
            unit=unit, action="oversight_read", actor=world.dost_officer
        ).exists()
    # Members' own searches are not oversight reads.
    client.force_login(world.a_staff)
    client.get(reverse("document_search"), {"q": "khai sinh"})
    assert not AuditEntry.objects.filter(action="oversight_read", actor=world.a_staff).exists()


def test_search_box_partial(rf, world):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = world.a_staff
    html = render_to_string("documents/search/_box.html", {"user": world.a_staff}, request)
    assert f'action="{reverse("document_search")}"' in html and 'name="q"' in html
