from hypothesis import given
from hypothesis import strategies as st

from govqms.core.text import fold
from govqms.organizations.models import Unit
from tests.factories import make_unit


def test_fold_examples():
    assert fold("Ủy ban nhân dân") == "uy ban nhan dan"
    assert fold("đăng ký") == "dang ky"
    assert fold("ĐỨC") == "duc"
    assert fold("  Thành   phố Bắc Ninh ") == "thanh pho bac ninh"
    assert fold(None) == ""


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once and "Đ" not in once


def test_search_finds_without_accents(db):
    make_unit("X1", "Ủy ban nhân dân phường Đức Giang")
    make_unit("X2", "Sở Tư pháp", kind="department")
    make_unit("X3", "Trung tâm đăng ký đất đai", kind="public_service_unit")
    names = lambda q: set(Unit.objects.search(q).values_list("name", flat=True))  # noqa: E731
    assert names("uy ban nhan dan") == {"Ủy ban nhân dân phường Đức Giang"}
    assert names("DUC") == {"Ủy ban nhân dân phường Đức Giang"}
    assert names("dang ky") == {"Trung tâm đăng ký đất đai"}
    assert names("tu phap") == {"Sở Tư pháp"}
    assert names("Tư Pháp") == {"Sở Tư pháp"}
    assert names("khong co") == set()
