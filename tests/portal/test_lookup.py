"""Public dossier lookup: nothing personal, exact codes only, rate-limited."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.kpis.factories import VN, birth_registration, dossier, import_batch

pytestmark = pytest.mark.django_db
URL = "portal_dossier_lookup"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def looked_up(world):
    w = world
    birth_registration(w.b)
    mon = dt.date(2026, 3, 2)
    item = dossier("000.00.31.H06-260302-0001", mon, resolved=mon, actor="Nguyễn Thị Hoa")
    item["events"][1]["division"] = "Phòng Tư pháp bí mật"
    import_batch(w.b, [item], "k1", now=dt.datetime(2026, 4, 1, tzinfo=VN))
    return w


def test_lookup_shows_the_public_status_and_nothing_personal(client, looked_up):
    w = looked_up
    response = client.get(reverse(URL), {"code": "000.00.31.H06-260302-0001"})
    body = response.content.decode()
    assert response.status_code == 200
    for shown in ("1.001193", "Đăng ký khai sinh", w.b.name, "02/03/2026", "Thẩm định"):
        assert shown in body, shown
    assert 'id="lookup-status"' in body
    for hidden in ("Nguyễn Thị Hoa", "Phòng Tư pháp bí mật", w.b_secretary.full_name):
        assert hidden not in body, hidden


@pytest.mark.parametrize(
    "code", ["000.00.31.h06-260302-0001", "000.00.31.H06-260302-000", "0001", "nope"]
)
def test_other_forms_of_a_code_get_the_same_clear_message(client, looked_up, code):
    body = client.get(reverse(URL), {"code": code}).content.decode()
    assert 'id="lookup-none"' in body and "lookup-result" not in body


def test_rate_limit_per_address(client, looked_up):
    for _ in range(20):
        assert client.get(reverse(URL), {"code": "x"}).status_code == 200
    response = client.get(reverse(URL), {"code": "000.00.31.H06-260302-0001"})
    assert response.status_code == 429
    body = response.content.decode()
    assert 'id="lookup-limited"' in body and "Thẩm định" not in body
    # Another address is not limited; the empty form is never counted.
    other = client.get(reverse(URL), {"code": "x"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert client.get(reverse(URL)).status_code == 200


def test_agency_directory_still_works(client, world):
    body = client.get(reverse("portal_agencies"), {"q": "duc giang"}).content.decode()
    assert world.b.name in body and world.a.name not in body
