"""The DoST's pages of one campaign or one assessment (OVERSIGHT_OBJECT_ROUTES of
tests/isolation/cases_assessments.py): the owner's DoST officers and administrators
open them; agencies (even the assessed one) get 403 or 404, another province's DoST
gets 404, and nobody outside sees the agency's people."""

import pytest
from django.urls import reverse

from tests.isolation.cases_assessments import OVERSIGHT_OBJECT_ROUTES as ROUTES
from tests.test_isolation import _agency_users, _assert_no_secret

NAMES = sorted(ROUTES)


def _call(client, user, name, w, target):
    client.logout()
    if user is not None:
        client.force_login(user)
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(w, target))
    if route.method == "post":
        return client.post(url, route.data(w, target))
    return client.get(url)


def test_there_are_oversight_object_routes():
    assert set(NAMES) >= {"campaign_detail", "assessment_appraise", "assessment_decide"}


@pytest.mark.parametrize("name", NAMES)
def test_oversight_object_isolation(name, world, client):
    w = world
    ok = {302} if ROUTES[name].method == "post" else {200}
    refused = [(u.username, u, w.b) for u in _agency_users(w)]
    refused += [("b_secretary", w.b_secretary, w.b), ("c_secretary", w.c_secretary, w.c)]
    refused += [("q_officer", w.q_officer, w.b)]
    refused += [("dost_officer", w.dost_officer, w.c), ("dost_admin", w.dost_admin, w.c)]
    for who, user, target in refused:
        response = _call(client, user, name, w, target)
        assert response.status_code in {403, 404}, (who, name, response.status_code)
        _assert_no_secret(response, target, who, name)
    assert _call(client, None, name, w, w.b).status_code in {302, 401, 403}
    assert _call(client, w.dost_officer, name, w, w.b).status_code in ok
    assert _call(client, w.dost_admin, name, w, w.b).status_code in ok
    assert _call(client, w.q_officer, name, w, w.c).status_code in ok
