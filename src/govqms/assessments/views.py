"""Pages of the yearly campaign: the DoST's campaigns (list, opening, every agency's
row, appraisal, contest decision, closing) and the agency's own assessments
(self-assessment, evidence, submission, contest, result and history). Thin views
over selectors and services."""

import io
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from govqms.core import files
from govqms.core.pages import add_service_errors
from govqms.core.pages import query_without_page as _query_without_page
from govqms.organizations import selectors as org

from . import selectors, services
from .forms import CampaignEditForm, CampaignFilterForm, CampaignOpenForm, EvidenceForm
from .models import Assessment, Campaign

# ---------------------------------------------------------------- helpers


def _require_oversight(user) -> None:
    if not org.is_oversight_user(user):
        raise PermissionDenied


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _year(request) -> int | None:
    try:
        return int(request.GET.get("year") or 0) or None
    except ValueError:
        return None


def _overseen(request, pk) -> Assessment:
    _require_oversight(request.user)
    assessment = selectors.get_overseen_assessment(request.user, pk)
    org.log_oversight_read(request.user, assessment.unit, "yearly assessment")
    return assessment


def _campaign_rows(request, campaign):
    form = CampaignFilterForm(request.GET or None, kinds=selectors.kinds_in(request.user, campaign))
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.campaign_rows(
        request.user,
        campaign,
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        query=data.get("q", ""),
        band=data.get("band", ""),
    )
    return form, rows


# ---------------------------------------------------------------- DoST: campaigns


@login_required
def campaign_list(request):
    _require_oversight(request.user)
    year = _year(request)
    campaigns = list(selectors.campaigns_for_list(request.user, year))
    awaiting = selectors.awaiting_submission(request.user, campaigns, limit=5)
    for campaign in campaigns:
        campaign.missing_names = [row["name"] for row in awaiting[campaign.pk]]
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": campaigns,
            "year": year,
            "years": selectors.campaign_years(request.user),
            "can_open": bool(selectors.admin_owners(request.user)),
        },
    )


@login_required
def campaign_open(request):
    owners = selectors.admin_owners(request.user)
    if not owners:
        raise PermissionDenied
    sets = selectors.sets_to_open(request.user)
    form = CampaignOpenForm(request.POST or None, sets=sets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cs = data["criteria_set"]
        try:
            campaign = services.open_campaign(
                request.user,
                owner=cs.owner,
                year=cs.year,
                criteria_set=cs,
                title=data["title"],
                reference_date=data["reference_date"],
                self_assessment_due=data["self_assessment_due"],
                appraisal_due=data["appraisal_due"],
                contest_working_days=data["contest_working_days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            taking_part = campaign.assessments.count()
            messages.success(
                request,
                ngettext(
                    "Campaign opened: %(n)s agency takes part.",
                    "Campaign opened: %(n)s agencies take part.",
                    taking_part,
                )
                % {"n": taking_part},
            )
            return redirect("campaign_detail", campaign.pk)
    return render(request, "assessments/campaign_form.html", {"form": form, "sets": sets})


@login_required
def campaign_detail(request, pk):
    _require_oversight(request.user)
    campaign = selectors.get_campaign(request.user, pk)
    form, rows = _campaign_rows(request, campaign)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "query_string": _query_without_page(request),
            "counts": selectors.status_counts(request.user, campaign),
            "progress": selectors.campaign_progress(request.user, campaign),
            "can_close": org.is_admin_of(request.user, campaign.owner)
            and campaign.status == Campaign.Status.OPEN,
            "can_edit": org.is_admin_of(request.user, campaign.owner)
            and campaign.status == Campaign.Status.OPEN,
        },
    )


@login_required
def campaign_export(request, pk):
    _require_oversight(request.user)
    campaign = selectors.get_campaign(request.user, pk)
    _form, rows = _campaign_rows(request, campaign)
    with translation.override("vi"):
        content = _campaign_xlsx(campaign, rows)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ket-qua-danh-gia-{campaign.year}.xlsx"'
    )
    return response


def _campaign_xlsx(campaign, rows) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#E7EEF7", "border": 1, "text_wrap": 1})
    points = workbook.add_format({"num_format": "0.00"})
    sheet = workbook.add_worksheet("ket_qua")
    sheet.write(0, 0, campaign.title, workbook.add_format({"bold": True, "font_size": 13}))
    headers = [
        _("No."),
        _("Code"),
        _("Agency"),
        _("Kind"),
        _("Under"),
        _("Status"),
        _("Self-assessed total"),
        _("Appraised total"),
        _("Final total"),
        _("Band"),
        _("Rank"),
    ]
    sheet.write_row(2, 0, headers, bold)
    sheet.freeze_panes(3, 0)
    for r, a in enumerate(rows, start=3):
        sheet.write_row(
            r,
            0,
            [
                r - 2,
                a.unit.code,
                a.unit.name,
                a.unit.get_kind_display(),
                a.unit.parent.name if a.unit.parent_id else "",
                a.get_status_display(),
            ],
        )
        for col, value in enumerate((a.self_total, a.appraised_total, a.final_total), start=6):
            if value is None:
                sheet.write_blank(r, col, None)
            else:
                sheet.write_number(r, col, float(value), points)
        sheet.write(r, 9, a.get_band_display() if a.band else "")
        if a.rank:
            sheet.write_number(r, 10, a.rank)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 45)
    sheet.set_column(3, 5, 24)
    sheet.set_column(6, 10, 12)
    workbook.close()
    return buffer.getvalue()


@login_required
def campaign_edit(request, pk):
    _require_oversight(request.user)
    campaign = selectors.get_campaign(request.user, pk)
    if not org.is_admin_of(request.user, campaign.owner):
        raise PermissionDenied
    form = CampaignEditForm(
        request.POST or None,
        initial={
            "title": campaign.title,
            "self_assessment_due": campaign.self_assessment_due,
            "appraisal_due": campaign.appraisal_due,
            "contest_working_days": campaign.contest_working_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(request.user, campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campaign deadlines saved."))
            return redirect("campaign_detail", campaign.pk)
    return render(request, "assessments/campaign_edit.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_close(request, pk):
    _require_oversight(request.user)
    campaign = selectors.get_campaign(request.user, pk)
    if not org.is_admin_of(request.user, campaign.owner):
        raise PermissionDenied
    try:
        services.close_campaign(request.user, campaign)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The campaign is closed: totals, bands and ranks are final."))
    return redirect("campaign_detail", campaign.pk)


# ---------------------------------------------------------------- DoST: appraisal


def _posted_entries(request, scores, fields) -> dict[int, dict]:
    """{criterion_pk: {field: posted value}} for the score rows the form posted."""
    return {
        s.criterion_id: {f: request.POST.get(f"{f}_{s.criterion_id}", "") for f in fields}
        for s in scores
        if f"points_{s.criterion_id}" in request.POST
    }


def _saved_score_table(request, scores, fields, save, success: str) -> bool:
    """Save the posted score table with `save(entries)`. On a refusal the errors are
    shown and what the user typed is kept on the scores; returns whether it saved."""
    try:
        save(_posted_entries(request, scores, fields))
    except ValidationError as error:
        _error_messages(request, error)
        _posted_scores(request, scores, fields)
        return False
    messages.success(request, success)
    return True


def _posted_scores(request, scores, fields):
    """Keep what the user typed on the score objects (shown again after an error)."""
    for score in scores:
        for field in fields:
            key = f"{field}_{score.criterion_id}"
            setattr(score, f"form_{field}", request.POST.get(key, ""))


@login_required
def assessment_appraise(request, pk):
    assessment = _overseen(request, pk)
    can_edit = services.can_appraise(assessment) and org.is_overseer_of(
        request.user, assessment.campaign.owner
    )
    scores = selectors.assessment_scores(assessment)
    posted = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if _saved_score_table(
            request,
            scores,
            ("points", "reason"),
            lambda entries: services.save_appraisal(request.user, assessment, entries),
            _("Appraisal saved."),
        ):
            return redirect("assessment_appraise", assessment.pk)
        posted = True
    return render(
        request,
        "assessments/appraise.html",
        {
            "assessment": assessment,
            "campaign": assessment.campaign,
            "unit": assessment.unit,
            "groups": _groups(scores),
            "can_edit": can_edit,
            "posted": posted,
            "today": timezone.localdate(),
        },
    )


def _groups(scores):
    groups: dict = {}
    for score in scores:
        groups.setdefault(score.criterion.group, []).append(score)
    return list(groups.items())


@login_required
@require_POST
def assessment_release(request, pk):
    assessment = _overseen(request, pk)
    try:
        services.release_appraisal(request.user, assessment)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The appraisal was released to the agency."))
    return redirect("assessment_appraise", assessment.pk)


@login_required
def assessment_decide(request, pk):
    assessment = _overseen(request, pk)
    scores = selectors.assessment_scores(assessment)
    contested = [s for s in scores if s.contest_reason]
    can_decide = assessment.status == Assessment.Status.CONTESTED and org.is_overseer_of(
        request.user, assessment.campaign.owner
    )
    posted = False
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        decisions = {
            s.criterion_id: {
                "accept": request.POST.get(f"outcome_{s.criterion_id}") == "accept",
                "points": request.POST.get(f"points_{s.criterion_id}", ""),
                "reason": request.POST.get(f"reason_{s.criterion_id}", ""),
            }
            for s in contested
        }
        try:
            services.decide_contest(request.user, assessment, decisions)
        except ValidationError as error:
            _error_messages(request, error)
            _posted_scores(request, contested, ("outcome", "points", "reason"))
            posted = True
        else:
            messages.success(request, _("The contest was decided; the assessment is final."))
            return redirect("assessment_decide", assessment.pk)
    return render(
        request,
        "assessments/decide.html",
        {
            "assessment": assessment,
            "campaign": assessment.campaign,
            "unit": assessment.unit,
            "contested": contested,
            "can_decide": can_decide,
            "posted": posted,
        },
    )


# ---------------------------------------------------------------- agency side


@login_required
def agency_assessments(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="yearly assessments")
    return render(
        request,
        "assessments/agency_assessments.html",
        {"unit": unit, "assessments": selectors.unit_assessments(request.user, unit)},
    )


def _agency_assessment(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="yearly assessment")
    return unit, selectors.get_assessment(request.user, unit, pk)


@login_required
def assessment_detail(request, unit_pk, pk):
    unit, assessment = _agency_assessment(request, unit_pk, pk)
    can_edit = services.can_edit_self(request.user, assessment)
    scores = selectors.assessment_scores(assessment)
    posted = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if _saved_score_table(
            request,
            scores,
            ("points", "comment"),
            lambda entries: services.save_self_scores(request.user, assessment, entries),
            _("Self-assessment saved."),
        ):
            return redirect("assessment_detail", unit.pk, assessment.pk)
        posted = True
    released = assessment.status in (
        Assessment.Status.APPRAISED,
        Assessment.Status.CONTESTED,
        Assessment.Status.FINAL,
    )
    is_head = services.is_head(request.user, unit)
    is_overseer = org.is_overseer_of(request.user, assessment.campaign.owner)
    today = timezone.localdate()
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "unit": unit,
            "assessment": assessment,
            "campaign": assessment.campaign,
            "groups": _groups(scores),
            "can_edit": can_edit,
            "is_head": is_head,
            "can_submit": can_edit and is_head,
            "can_contest": is_head and services.can_contest(assessment),
            "released": released,
            "posted": posted,
            "evidence_form": EvidenceForm(),
            "history": selectors.assessment_history(
                assessment, hide_appraisal=not (released or is_overseer)
            ),
            "is_overseer": is_overseer,
            "overdue": assessment.status == Assessment.Status.DRAFT
            and today > assessment.campaign.self_assessment_due,
            "tab": request.GET.get("tab", ""),
        },
    )


@login_required
@require_POST
def assessment_refresh(request, unit_pk, pk):
    unit, assessment = _agency_assessment(request, unit_pk, pk)
    if not services.can_edit_self(request.user, assessment):
        raise PermissionDenied
    try:
        n = services.refresh_proposals(request.user, assessment)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("Recomputed from the records: %(n)s criteria proposed.") % {"n": n}
        )
    return redirect("assessment_detail", unit.pk, assessment.pk)


@login_required
@require_POST
def assessment_submit(request, unit_pk, pk):
    unit, assessment = _agency_assessment(request, unit_pk, pk)
    if not services.can_edit_self(request.user, assessment):
        raise PermissionDenied
    try:
        services.submit_self_assessment(request.user, assessment)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Self-assessment submitted to the DoST."))
    return redirect("assessment_detail", unit.pk, assessment.pk)


@login_required
@require_POST
def assessment_contest(request, unit_pk, pk):
    unit, assessment = _agency_assessment(request, unit_pk, pk)
    if not services.is_head(request.user, unit):
        raise PermissionDenied
    items = {
        s.criterion_id: request.POST.get(f"contest_{s.criterion_id}", "")
        for s in selectors.assessment_scores(assessment)
    }
    try:
        services.contest(
            request.user, assessment, reason=request.POST.get("reason", ""), items=items
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Contest sent to the DoST."))
    return redirect("assessment_detail", unit.pk, assessment.pk)


@login_required
@require_POST
def assessment_evidence_add(request, unit_pk, pk, score_pk):
    unit, assessment = _agency_assessment(request, unit_pk, pk)
    if not services.can_edit_self(request.user, assessment):
        raise PermissionDenied
    score = selectors.get_score(assessment, score_pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                request.user,
                score,
                label=form.cleaned_data["label"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(
                request, _("Evidence added to %(code)s.") % {"code": score.criterion.code}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{_detail_url(unit, assessment)}#score-{score.criterion_id}")


def _detail_url(unit, assessment) -> str:
    return reverse("assessment_detail", args=[unit.pk, assessment.pk])


@login_required
@require_POST
def assessment_evidence_remove(request, unit_pk, pk, evidence_pk):
    unit, assessment = _agency_assessment(request, unit_pk, pk)
    if not services.can_edit_self(request.user, assessment):
        raise PermissionDenied
    evidence = selectors.get_evidence(assessment, evidence_pk)
    try:
        services.remove_evidence(request.user, evidence)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Evidence removed."))
    return redirect(f"{_detail_url(unit, assessment)}#score-{evidence.score.criterion_id}")


@login_required
def assessment_evidence_file(request, unit_pk, pk, evidence_pk):
    _unit, assessment = _agency_assessment(request, unit_pk, pk)
    evidence = selectors.get_evidence(assessment, evidence_pk)
    if not evidence.file:
        raise Http404("No file.")
    # The stored name carries the extension of the checked type; the user's name is
    # shown with that extension, so the browser never guesses another type.
    kind = _STORED_KINDS.get(PurePath(evidence.file.name).suffix.lower().lstrip("."))
    if kind is None:
        raise Http404("No file.")
    name = PurePath(evidence.file_name or f"minh-chung-{evidence.pk}")
    if name.suffix.lower().lstrip(".") not in _extensions_of(kind):
        name = name.with_name(f"{name.name}.{kind.extension}")
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=str(name),
        content_type=kind.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


_STORED_KINDS = {k.extension: k for k in (files.PDF, files.DOCX, files.XLSX, files.JPEG, files.PNG)}


def _extensions_of(kind) -> set[str]:
    return {kind.extension, "jpeg"} if kind is files.JPEG else {kind.extension}
