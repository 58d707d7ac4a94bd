"""Isolation cases: every route of the URL configuration and the API must have one.

Each app's cases live in a `cases_<app>.py` module here defining `ROUTES`
{route name: Route}; tests/test_isolation.py collects them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# What kind of route this is decides the expectations (see `check_route`).
PUBLIC = "public"  # anyone, no agency records (sign-in pages, public portal, schema)
SELF = "self"  # about the signed-in user only
AGENCY = "agency"  # an agency's internal records: members and its overseers only
MANAGE = "manage"  # a write on an agency: its managers and DoST administrators only
OVERSIGHT = "oversight"  # oversight consoles: oversight roles only, their subtree only
DOST_ADMIN = "dost_admin"  # DoST administrators only
# A record a province's DoST owns (criteria set, campaign, an appraisal page), built by
# `kwargs` for the target's province: oversight users of that province only; agency
# users 403/404, the other province's DoST 404.
OWNED = "owned"
LIST = "list"  # lists filtered to what the user may see
ADMIN_SITE = "admin_site"  # Django admin: superusers only


def target_secretary(w, target):
    return w.b_secretary if target == w.b else w.c_secretary


@dataclass
class Route:
    """How to call a route against a target agency (w.b or w.c of tests/factories.py).

    `kwargs(w, target)` builds the URL arguments (it may create the target's objects);
    `data(w, target)` the POST body; `manager(w, target)` a user of the target who
    may use a MANAGE route (the positive control that keeps the case honest)."""

    kind: str
    kwargs: Callable = field(default=lambda w, target: {})
    method: str = "get"
    data: Callable = field(default=lambda w, target: {})
    manager: Callable = field(default=target_secretary)
