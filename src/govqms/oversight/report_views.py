"""Pages of the reports: the DoST's provincial reports (the year's figures, issuing
the November and December reports, the register of issued reports with their files,
a draft preview and the PAR index spreadsheet), and an agency's own annual report.

The files of an issued report and the spreadsheet are representations of the pages
that list them (`?download=<pk>&as=docx|pdf`, `?format=xlsx`): they are read under
the same filter as the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core.pages import add_service_errors
from govqms.organizations import selectors as org
from govqms.reports import http as report_http

from . import provincial_reports as P
from . import report_agency, report_layout, report_selectors, report_services
from .models import IssuedReport
from .report_forms import IssueReportForm
from .selectors import parse_year


def _require_oversight(request):
    return report_selectors.oversight_owner(request.user, request.GET.get("owner"))


def _year(request, owner) -> int:
    years = report_selectors.report_years(request.user, owner)
    return parse_year(request.GET.get("year"), years[0] if years else None)


def _kind(value) -> str:
    return value if value in IssuedReport.Kind.values else IssuedReport.Kind.NOVEMBER


def issued_file_response(request, pk, fmt: str):
    """An issued report's DOCX or PDF, if the user may see the report (404 otherwise)."""
    report = report_selectors.get_report(request.user, pk)
    field = report.pdf_file if fmt == "pdf" else report.docx_file
    if not field:
        raise Http404("No file.")
    with field.open("rb") as handle:
        content = handle.read()
    name = f"bao-cao-{report.year}-{report.number}.{'pdf' if fmt == 'pdf' else 'docx'}"
    return report_http.attachment(
        content, name, report_http.PDF if fmt == "pdf" else report_http.DOCX
    )


@login_required
def oversight_reports(request):
    """The year's figures, the reports issued, and (administrators) the issue form."""
    owner = _require_oversight(request)
    if request.GET.get("download"):
        return issued_file_response(request, request.GET["download"], request.GET.get("as", "docx"))
    year = _year(request, owner)
    data = P.year_data(request.user, year, owner=owner)
    issued = report_selectors.visible_reports(request.user).filter(owner=owner)
    page = Paginator(issued, 25).get_page(request.GET.get("page"))
    can_issue = report_services.can_issue(request.user, owner)
    return render(
        request,
        "oversight/reports/reports.html",
        {
            "owner": owner,
            "owners": report_selectors.owners(request.user),
            "year": year,
            "years": report_selectors.report_years(request.user, owner),
            "data": data,
            "page": page,
            "can_issue": can_issue,
            "kinds": IssuedReport.Kind.choices,
        },
    )


@login_required
def oversight_report_issue(request):
    """Number, date and sign a provincial report (DoST administrators of the owner)."""
    owner = report_selectors.owner_for(request.user, request.GET.get("owner"))
    if owner is None or not report_services.can_issue(request.user, owner):
        raise PermissionDenied
    kind = _kind(request.POST.get("kind") or request.GET.get("kind"))
    year = parse_year(request.POST.get("year") or request.GET.get("year"))
    initial = report_services.draft_meta(owner, kind, year)
    initial["number"] = ""
    form = IssueReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            report = report_services.issue_report(request.user, owner=owner, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report %(number)s issued.") % {"number": report.number})
            return redirect(f"{reverse('oversight_reports')}?year={report.year}&owner={owner.pk}")
    return render(
        request,
        "oversight/reports/issue.html",
        {"owner": owner, "form": form, "year": year, "kind": kind},
    )


@login_required
def oversight_report_preview(request):
    """The draft of a report of the year (not numbered): HTML, DOCX or PDF."""
    owner = _require_oversight(request)
    year = _year(request, owner)
    kind = _kind(request.GET.get("kind"))
    data = P.year_data(request.user, year, owner=owner)
    doc = P.official(data, owner, report_services.draft_meta(owner, kind, year), draft=True)
    fmt = request.GET.get("format", "html")
    name = f"du-thao-bao-cao-{year}-{kind}"
    if fmt == "docx":
        return report_http.attachment(
            report_layout.render_docx(doc), f"{name}.docx", report_http.DOCX
        )
    if fmt == "pdf":
        return report_http.attachment(report_layout.render_pdf(doc), f"{name}.pdf", report_http.PDF)
    return HttpResponse(report_layout.render_html(doc))


@login_required
def oversight_report_par(request):
    """Every agency's scores and band for the PAR index; `?format=xlsx` downloads it."""
    owner = _require_oversight(request)
    year = _year(request, owner)
    data = P.year_data(request.user, year, owner=owner)
    if request.GET.get("format") == "xlsx":
        return report_http.attachment(
            P.par_xlsx(data, owner.name), f"chi-so-cchc-iso-{year}.xlsx", report_http.XLSX
        )
    return render(
        request,
        "oversight/reports/par.html",
        {
            "owner": owner,
            "owners": report_selectors.owners(request.user),
            "year": year,
            "years": report_selectors.report_years(request.user, owner),
            "data": data,
            "header": P.PAR_HEADER,
            "rows": P.par_rows(data),
        },
    )


# ---------------------------------------------------------------- an agency's annual report


def _agency_year(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="annual QMS report")
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    return unit, year, report_agency.agency_year(request.user, unit, year)


@login_required
def agency_annual_report(request, unit_pk):
    unit, year, data = _agency_year(request, unit_pk)
    return render(
        request,
        "oversight/reports/agency_annual.html",
        {"unit": unit, "year": year, "data": data, "doc": report_agency.official(data)},
    )


@login_required
def agency_annual_report_docx(request, unit_pk):
    unit, year, data = _agency_year(request, unit_pk)
    return report_http.attachment(
        report_layout.render_docx(report_agency.official(data)),
        f"bao-cao-iso-{unit.code}-{year}.docx",
        report_http.DOCX,
    )


@login_required
def agency_annual_report_pdf(request, unit_pk):
    unit, year, data = _agency_year(request, unit_pk)
    return report_http.attachment(
        report_layout.render_pdf(report_agency.official(data)),
        f"bao-cao-iso-{unit.code}-{year}.pdf",
        report_http.PDF,
    )
