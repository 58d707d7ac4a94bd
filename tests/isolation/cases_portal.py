"""Isolation cases of the public portal (portal/urls.py)."""

from tests.isolation import PUBLIC, Route

ROUTES = {
    "portal_agencies": Route(PUBLIC),
    "portal_dossier_lookup": Route(PUBLIC),
}
