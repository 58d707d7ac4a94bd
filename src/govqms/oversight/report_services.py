"""Issuing a provincial report: the DoST administrator of the owner numbers, dates
and signs the November or December report; govqms renders it (DOCX and PDF), keeps
both files with their SHA-256 and the figures they print, and records the issue in
the audit trail."""

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govqms.core import audit
from govqms.core.audit import register_action_labels
from govqms.organizations import selectors as org
from govqms.reports.http import ascii_filename

from . import provincial_reports as P
from . import report_layout
from .models import IssuedReport


def register_labels() -> None:
    register_action_labels({"provincial_report_issued": gettext_lazy("Provincial report issued")})


def can_issue(user, owner) -> bool:
    return org.is_admin_of(user, owner)


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def issue_report(
    actor,
    *,
    owner,
    kind: str,
    year: int,
    number: str,
    issued_on: dt.date,
    place: str,
    issuer: str,
    signer_name: str,
    signer_title: str,
    authority: str = "",
    addressee: str = "",
    recipients: str = "",
    remarks: str = "",
    today: dt.date | None = None,
) -> IssuedReport:
    """Number, render and keep the report of `kind` for `year` of `owner`'s campaign.

    The files are rendered before the transaction (rendering takes seconds; the
    database is not held meanwhile); the record and its audit entry are written in
    one transaction, and the files removed again if that fails."""
    if actor is None or not can_issue(actor, owner):
        raise PermissionDenied(_("Only a DoST administrator of the province issues its reports."))
    today = today or timezone.localdate()
    errors = {}
    if kind not in IssuedReport.Kind.values:
        errors["kind"] = _("Choose the kind of report.")
    number = (number or "").strip()
    if not number or number.startswith("…"):
        errors["number"] = _("Give the report its number and symbol, e.g. 125/BC-SKHCN.")
    elif IssuedReport.objects.filter(owner=owner, year=year, number=number).exists():
        errors["number"] = _("A report of %(year)s already has the number %(number)s.") % {
            "year": year,
            "number": number,
        }
    if issued_on and issued_on > today:
        errors["issued_on"] = _("A report cannot be dated in the future.")
    for name, value in (("place", place), ("issuer", issuer), ("signer_name", signer_name)):
        if not (value or "").strip():
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)

    data = P.year_data(actor, year, owner=owner, today=today)
    report = IssuedReport(
        owner=owner,
        kind=kind,
        year=year,
        number=number,
        issued_on=issued_on,
        place=place.strip(),
        authority=(authority or "").strip(),
        issuer=issuer.strip(),
        addressee=(addressee or "").strip(),
        signer_name=signer_name.strip(),
        signer_title=(signer_title or "").strip(),
        recipients=(recipients or "").strip(),
        remarks=(remarks or "").strip(),
        summary=P.summary(data),
        created_by=actor,
    )
    doc = P.official(data, owner, P.meta_of(report))
    docx_bytes = report_layout.render_docx(doc)
    pdf_bytes = report_layout.render_pdf(doc)
    stem = ascii_filename(f"bao-cao-{year}-{number}")
    report.docx_sha256, report.pdf_sha256 = _sha(docx_bytes), _sha(pdf_bytes)
    report.docx_file.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
    report.pdf_file.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    try:
        with transaction.atomic():
            report.save()
            audit.record(
                actor=actor,
                action="provincial_report_issued",
                obj=report,
                unit=owner,
                changes=audit.diff(None, audit.snapshot(report, IssuedReport.AUDIT_FIELDS)),
            )
    except Exception as exc:
        # No record, no files: the stored files go with the failed transaction.
        report.docx_file.delete(save=False)
        report.pdf_file.delete(save=False)
        if isinstance(exc, IntegrityError):  # the same number issued meanwhile
            raise ValidationError(
                {"number": _("A report of %(year)s already has this number.") % {"year": year}}
            ) from None
        raise
    return report


def draft_meta(owner, kind: str, year: int, today: dt.date | None = None) -> dict:
    return P.defaults(owner, kind, year, today)
