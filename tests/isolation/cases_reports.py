"""Isolation cases of the reports (oversight/urls_reports.py, api_urls_reports.py):
the provincial reports and the PAR index are oversight consoles (each province's
DoST sees its own campaign only); an agency's annual report is the agency's own
record (its members and its overseers)."""

import datetime as dt

from tests.isolation import AGENCY, DOST_ADMIN, OVERSIGHT, Route


def _world_results(w):
    """Both provinces' 2022 campaigns, agency B weak in P and agency C weak in Q (the
    weak agencies are named on the pages), once per test."""
    store = w.__dict__.setdefault("_isolation_objects", {})
    if "reports" not in store:
        from tests.oversight.test_reports_support import closed_campaign

        closed_campaign(w.p, 2022, [(w.a, "excellent"), (w.b, "weak")])
        closed_campaign(w.q, 2022, [(w.c, "weak")])
        store["reports"] = True
    return {}


def _issued(w, target):
    """An issued report of each province (the list shows the weak agencies it named)."""
    store = w.__dict__.setdefault("_isolation_objects", {})
    if "issued" not in store:
        from govqms.organizations.models import Role
        from govqms.oversight import report_services
        from tests.factories import make_user

        _world_results(w)
        q_admin = make_user("q_admin", "Đỗ Văn Quản", w.q, Role.DOST_ADMIN)
        for actor, owner in ((w.dost_admin, w.p), (q_admin, w.q)):
            report_services.issue_report(
                actor,
                owner=owner,
                kind="dost_to_province",
                year=2022,
                number="125/BC-SKHCN",
                issued_on=dt.date(2022, 11, 25),
                place=owner.province,
                issuer="Sở Khoa học và Công nghệ",
                signer_name="Nguyễn Văn Ký",
                signer_title="GIÁM ĐỐC",
            )
        store["issued"] = True
    return {}


def _unit_pk(w, target):
    return {"unit_pk": target.pk}


ROUTES = {
    "oversight_reports": Route(OVERSIGHT, lambda w, t: _world_results(w)),
    "oversight_report_issue": Route(DOST_ADMIN),
    "oversight_report_preview": Route(OVERSIGHT, lambda w, t: _world_results(w)),
    "oversight_report_par": Route(OVERSIGHT, lambda w, t: _world_results(w)),
    "agency_annual_report": Route(AGENCY, _unit_pk),
    "agency_annual_report_docx": Route(AGENCY, _unit_pk),
    "agency_annual_report_pdf": Route(AGENCY, _unit_pk),
    "api-oversight-reports": Route(OVERSIGHT, _issued),
    "api-oversight-report-results": Route(OVERSIGHT, lambda w, t: _world_results(w)),
}
