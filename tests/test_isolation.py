"""Tenancy: every route of the URL configuration and of the API, checked for every
role against another agency's objects.

Each route must have a case (tests/isolation/cases_*.py); a new route without one fails
`test_every_route_has_an_isolation_case`. A case says how to build the route's
URL for a target agency and what each kind of user may get.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from govqms.organizations.models import AGENCY_ROLES, Membership
from tests import isolation
from tests.isolation import AGENCY, DOST_ADMIN, LIST, MANAGE, OVERSIGHT, OWNED, PUBLIC, SELF


def _collect_routes() -> dict:
    routes = {}
    for info in pkgutil.iter_modules(isolation.__path__):
        if info.name.startswith("cases_"):
            module = importlib.import_module(f"tests.isolation.{info.name}")
            repeated = set(routes) & set(module.ROUTES)
            assert not repeated, f"{info.name} repeats cases for {repeated}"
            routes.update(module.ROUTES)
    return routes


ROUTES = _collect_routes()


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                yield prefix + str(p.pattern), "admin:*"
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def all_routes():
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r[0])


def test_every_route_has_an_isolation_case():
    missing = [
        (pattern, name)
        for pattern, name in all_routes()
        if name != "admin:*" and name not in ROUTES
    ]
    assert not missing, f"routes without an isolation case in tests/isolation/: {missing}"
    stale = set(ROUTES) - {name for _, name in all_routes()}
    assert not stale, f"cases for routes that no longer exist: {stale}"


def _secrets(target):
    """Strings that only someone allowed inside `target` may ever see."""
    people = [m.user for m in Membership.objects.filter(unit=target).select_related("user")]
    return [p.full_name for p in people] + [p.username for p in people]


def _call(client, route, name, w, target):
    from django.urls import reverse

    url = reverse(name, kwargs=route.kwargs(w, target))
    if route.method == "post":
        return client.post(url, route.data(w, target))
    return client.get(url)


def _assert_no_secret(response, target, who, name):
    body = response.content.decode("utf-8", "replace")
    for secret in _secrets(target):
        assert secret not in body, f"{who} saw {secret!r} of {target} on {name}"


def _agency_users(w):
    return [w.users[f"a_{role}"] for role in AGENCY_ROLES]


@pytest.fixture
def login(client):
    def do(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return do


ROUTE_NAMES = sorted(ROUTES)


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_route_isolation(name, world, login):
    route = ROUTES[name]
    w = world
    outsiders = [(u.username, u, w.b) for u in _agency_users(w)]  # agency A users vs agency B
    outsiders += [("q_officer", w.q_officer, w.b)]  # another province's DoST vs agency B
    outsiders += [("dost_officer", w.dost_officer, w.c), ("dost_admin", w.dost_admin, w.c)]
    outsiders += [("c_secretary", w.c_secretary, w.b)]

    if route.kind == AGENCY:
        for who, user, target in outsiders + [("anonymous", None, w.b)]:
            response = _call(login(user), route, name, w, target)
            expected = {404} if user else {302, 401, 403}
            assert response.status_code in expected, (who, name, response.status_code)
            _assert_no_secret(response, target, who, name)
        # Positive controls: the agency itself, and its own overseer (read-only).
        assert _call(login(w.b_secretary), route, name, w, w.b).status_code == 200
        assert _call(login(w.dost_officer), route, name, w, w.b).status_code == 200
        assert _call(login(w.q_officer), route, name, w, w.c).status_code == 200
    elif route.kind == MANAGE:
        before = Membership.objects.active_on().count()
        for who, user, target in outsiders + [("anonymous", None, w.b)]:
            response = _call(login(user), route, name, w, target)
            expected = {403, 404} if user else {302, 401, 403}
            assert response.status_code in expected, (who, name, response.status_code)
            _assert_no_secret(response, target, who, name)
        # Oversight officers are read-only even inside their subtree.
        response = _call(login(w.dost_officer), route, name, w, w.b)
        assert response.status_code in {403, 404}, ("dost_officer", name, response.status_code)
        assert Membership.objects.active_on().count() == before
        # Positive control: a manager of the agency may.
        response = _call(login(route.manager(w, w.b)), route, name, w, w.b)
        assert response.status_code in {200, 201, 302}, (name, response.status_code)
    elif route.kind == OWNED:
        for who, user, target in outsiders + [("anonymous", None, w.b)]:
            response = _call(login(user), route, name, w, target)
            if user is None:
                expected = {302, 401, 403}
            elif who in ("q_officer", "dost_officer", "dost_admin"):
                expected = {404}  # another province's DoST: the record does not exist
            else:
                expected = {403, 404}
            assert response.status_code in expected, (who, name, response.status_code)
            _assert_no_secret(response, target, who, name)
        # Positive controls: each province's own DoST.
        expected = {200, 201, 302} if route.method == "post" else {200}
        user = w.dost_admin if route.method == "post" else w.dost_officer
        assert _call(login(user), route, name, w, w.b).status_code in expected, name
        if route.method == "get":
            assert _call(login(w.q_officer), route, name, w, w.c).status_code == 200, name
    elif route.kind == OVERSIGHT:
        for user in _agency_users(w) + [w.b_secretary]:
            response = _call(login(user), route, name, w, w.b)
            assert response.status_code == 403, (user.username, name)
        response = _call(login(w.q_officer), route, name, w, w.b)
        assert response.status_code == 200
        assert w.b.name not in response.content.decode() and w.c.name in response.content.decode()
        response = _call(login(w.dost_officer), route, name, w, w.b)
        assert w.c.name not in response.content.decode() and w.b.name in response.content.decode()
    elif route.kind == DOST_ADMIN:
        for user in _agency_users(w) + [w.dost_officer, w.q_officer]:
            assert _call(login(user), route, name, w, w.b).status_code == 403, user.username
        assert _call(login(w.dost_admin), route, name, w, w.b).status_code == 200
    elif route.kind == LIST:
        for who, user, target in outsiders:
            response = _call(login(user), route, name, w, target)
            assert response.status_code == 200, (who, name)
            _assert_no_secret(response, target, who, name)
            assert target.code not in response.content.decode(), (who, name, target.code)
        assert w.b.code in _call(login(w.b_secretary), route, name, w, w.b).content.decode()
    elif route.kind in (SELF, PUBLIC):
        for who, user, target in outsiders + [("anonymous", None, w.b)]:
            response = _call(login(user), route, name, w, target)
            assert response.status_code < 500, (who, name, response.status_code)
            _assert_no_secret(response, target, who, name)
        if route.kind == SELF:
            response = _call(login(None), route, name, w, w.b)
            assert response.status_code in {302, 401, 403, 405}, (name, response.status_code)
    else:  # pragma: no cover
        pytest.fail(f"unknown route kind {route.kind}")


def test_admin_site_is_for_superusers_only(world, login):
    for user in _agency_users(world) + [world.dost_officer, world.dost_admin]:
        response = login(user).get("/admin/organizations/membership/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_oversight_reads_are_logged_where_the_agency_sees_them(world, login):
    from django.urls import reverse

    login(world.dost_officer).get(reverse("agency_detail", args=[world.b.pk]))
    response = login(world.b_secretary).get(reverse("agency_audit", args=[world.b.pk]))
    body = response.content.decode()
    assert "oversight_read" in body and "dost_officer" in body
    # Members' own reads are not logged as oversight.
    from govqms.core.models import AuditEntry

    assert not AuditEntry.objects.filter(action="oversight_read", actor=world.b_secretary).exists()
