"""Isolation cases of the foundation's routes (organizations, portal, auth, API)."""

from govqms.organizations.models import Membership
from tests.isolation import (
    AGENCY,
    DOST_ADMIN,
    LIST,
    MANAGE,
    OVERSIGHT,
    PUBLIC,
    SELF,
    Route,
)


def _unit(w, target):
    return {"pk": target.pk}


def _membership(w, target):
    return {"pk": target.pk, "membership_pk": Membership.objects.filter(unit=target).first().pk}


ROUTES = {
    "home": Route(SELF),
    "notifications": Route(SELF),
    "notifications_read": Route(SELF, method="post"),
    "notification_settings": Route(SELF, method="post", data=lambda w, t: {"delivery": "in_app"}),
    "agency_list": Route(OVERSIGHT),
    "agency_import": Route(DOST_ADMIN),
    "agency_restructure": Route(DOST_ADMIN),
    "agency_detail": Route(AGENCY, _unit),
    "agency_audit": Route(AGENCY, _unit),
    "membership_add": Route(MANAGE, _unit),
    "membership_end": Route(
        MANAGE, _membership, method="post", data=lambda w, t: {"valid_to": "2026-01-01"}
    ),
    "set_language": Route(PUBLIC, method="post", data=lambda w, t: {"language": "en"}),
    "api-me": Route(SELF),
    "api-unit-list": Route(LIST),
    "api-unit-detail": Route(AGENCY, _unit),
    "api-unit-memberships": Route(AGENCY, _unit),
    "api-membership-list": Route(LIST),
    "api-schema": Route(PUBLIC),
    "api-docs": Route(PUBLIC),
    "api-token": Route(PUBLIC, method="post", data=lambda w, t: {"username": "x", "password": "y"}),
    "login": Route(PUBLIC),
    "logout": Route(SELF, method="post"),
    "password_change": Route(SELF),
    "password_change_done": Route(SELF),
    "password_reset": Route(PUBLIC),
    "password_reset_done": Route(PUBLIC),
    "password_reset_confirm": Route(PUBLIC, lambda w, t: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Route(PUBLIC),
    "two_factor": Route(SELF),
}
