"""Every read of criteria sets, campaigns and assessments, filtered to the user.

Oversight users see the sets and campaigns owned by a unit of their oversight
subtree and every assessment in them; an agency's members see their own agency's
assessments only (and the criteria set those use)."""

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from govqms.core.text import search_terms
from govqms.organizations import selectors as org
from govqms.organizations.models import UnitKind

from .models import Assessment, Campaign, CriteriaSet, Score, ScoreEvidence


def _owned_q(user, field: str = "owner") -> Q:
    q = Q(pk__in=[])
    for root in org.oversight_roots(user):
        q |= Q(**{f"{field}__path__startswith": root.path})
    return q


def visible_criteria_sets(user) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.filter(_owned_q(user)).select_related("owner")


def visible_campaigns(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(_owned_q(user)).select_related("owner", "criteria_set")


def get_campaign(user, pk) -> Campaign:
    try:
        return visible_campaigns(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404("No such campaign.") from None


def visible_assessments(user) -> QuerySet[Assessment]:
    """Oversight: every assessment of their campaigns; members: their agencies' own."""
    q = Q(campaign__in=visible_campaigns(user).values("pk")) | Q(
        unit__in=org.agency_units(user).values("pk")
    )
    return Assessment.objects.filter(q).select_related("campaign", "unit")


def campaign_assessments(user, campaign: Campaign) -> QuerySet[Assessment]:
    return visible_assessments(user).filter(campaign=campaign)


def campaign_for_year(user, year: int) -> Campaign | None:
    """The user's campaign of that year (the first owner's, for a user over several)."""
    return visible_campaigns(user).filter(year=year).order_by("owner__path").first()


def final_results(user, campaign: Campaign) -> QuerySet[Assessment]:
    """A campaign's final assessments, best first (rank, then name)."""
    return (
        campaign_assessments(user, campaign)
        .filter(status=Assessment.Status.FINAL)
        .select_related("unit__parent")
        .order_by("rank", "unit__name")
    )


# ---------------------------------------------------------------- the campaign pages


def campaigns_for_list(user, year: int | None = None) -> QuerySet[Campaign]:
    qs = visible_campaigns(user).annotate(
        n_total=Count("assessments", distinct=True),
        n_final=Count("assessments", filter=Q(assessments__status="final"), distinct=True),
        n_draft=Count("assessments", filter=Q(assessments__status="draft"), distinct=True),
    )
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "owner__name")


def awaiting_submission(user, campaigns, limit: int) -> dict[int, list[dict]]:
    """{campaign pk: [{"unit", "name"}]}: up to `limit` agencies per campaign that have
    not submitted yet, by name, in one query for all the campaigns."""
    out: dict[int, list[dict]] = {c.pk: [] for c in campaigns}
    rows = (
        visible_assessments(user)
        .filter(campaign__in=list(out), status=Assessment.Status.DRAFT)
        .values_list("campaign_id", "unit_id", "unit__name")
        .order_by("campaign_id", "unit__name")
    )
    for campaign_id, unit_id, name in rows:
        if len(out[campaign_id]) < limit:
            out[campaign_id].append({"unit": unit_id, "name": name})
    return out


def campaign_years(user) -> list[int]:
    return sorted(set(visible_campaigns(user).values_list("year", flat=True)), reverse=True)


def current_campaign(user) -> Campaign | None:
    """The user's open campaign of the latest year, else their latest campaign."""
    qs = visible_campaigns(user).order_by("-year", "owner__path")
    return qs.filter(status=Campaign.Status.OPEN).first() or qs.first()


def admin_owners(user) -> list:
    return org.admin_roots(user)


def sets_to_open(user) -> QuerySet[CriteriaSet]:
    """Published sets of the units this user administers, that no campaign uses yet."""
    q = Q(pk__in=[])
    for root in org.admin_roots(user):
        q |= Q(owner=root)
    used = Campaign.objects.values("criteria_set_id")
    return (
        CriteriaSet.objects.filter(q, status=CriteriaSet.Status.PUBLISHED)
        .exclude(pk__in=used)
        .select_related("owner")
        .order_by("-year")
    )


def campaign_rows(
    user,
    campaign: Campaign,
    *,
    status: str = "",
    kind: str = "",
    query: str = "",
    band: str = "",
) -> QuerySet[Assessment]:
    """Every agency's row of a campaign, filtered (accent-folded search)."""
    qs = campaign_assessments(user, campaign).select_related("unit__parent")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(unit__kind=kind)
    if band:
        qs = qs.filter(band=band)
    for term in search_terms(query):
        qs = qs.filter(unit__search_text__contains=term)
    return qs.order_by(F("rank").asc(nulls_last=True), "unit__name")


def status_counts(user, campaign: Campaign) -> list[tuple[str, str, int]]:
    counts = dict(
        campaign_assessments(user, campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Assessment.Status.choices]


def campaign_progress(user, campaign: Campaign) -> dict:
    counts = status_counts(user, campaign)
    total = sum(n for _v, _l, n in counts)
    by = {v: n for v, _l, n in counts}
    # A draft the DoST appraised without it is past "draft" but was never submitted.
    submitted = campaign_assessments(user, campaign).filter(submitted_at__isnull=False).count()
    return {
        "counts": counts,
        "total": total,
        "submitted": submitted,
        "final": by.get("final", 0),
        "submitted_pct": round(100 * submitted / total) if total else 0,
        "final_pct": round(100 * by.get("final", 0) / total) if total else 0,
    }


def kinds_in(user, campaign: Campaign) -> list[tuple[str, str]]:
    present = set(campaign_assessments(user, campaign).values_list("unit__kind", flat=True))
    return [(v, label) for v, label in UnitKind.choices if v in present]


def get_assessment(user, unit, pk) -> Assessment:
    """One assessment of `unit` the user may see (404 otherwise)."""
    try:
        return (
            visible_assessments(user)
            .select_related("campaign__criteria_set", "campaign__owner")
            .get(pk=pk, unit=unit)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment.") from None


def get_overseen_assessment(user, pk) -> Assessment:
    """An assessment of one of the user's campaigns (oversight side; 404 otherwise)."""
    try:
        return (
            Assessment.objects.filter(campaign__in=visible_campaigns(user).values("pk"))
            .select_related("campaign__criteria_set", "campaign__owner", "unit")
            .get(pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment.") from None


def unit_assessments(user, unit) -> QuerySet[Assessment]:
    return (
        visible_assessments(user)
        .filter(unit=unit)
        .select_related("campaign__owner")
        .order_by("-campaign__year")
    )


def latest_unit_assessment(user, unit) -> Assessment | None:
    return unit_assessments(user, unit).first()


def assessment_scores(assessment: Assessment) -> list[Score]:
    return list(
        Score.objects.filter(assessment=assessment)
        .select_related("criterion__group")
        .prefetch_related("evidence")
        .order_by("criterion__group__order", "criterion__order", "criterion__pk")
    )


def get_score(assessment: Assessment, score_pk) -> Score:
    try:
        return Score.objects.select_related(
            "criterion", "assessment__campaign", "assessment__unit"
        ).get(pk=score_pk, assessment=assessment)
    except (Score.DoesNotExist, ValueError, TypeError):
        raise Http404("No such score.") from None


def get_evidence(assessment: Assessment, pk) -> ScoreEvidence:
    try:
        return ScoreEvidence.objects.select_related("score__criterion", "score__assessment").get(
            pk=pk, score__assessment=assessment
        )
    except (ScoreEvidence.DoesNotExist, ValueError, TypeError):
        raise Http404("No such evidence.") from None


def assessment_history(assessment: Assessment, *, hide_appraisal: bool = False) -> list:
    """The audit entries of this assessment, its scores and evidence, newest first.
    `hide_appraisal`: leave out the DoST's work in progress (before its release)."""
    from govqms.core.models import AuditEntry

    score_ids = [str(pk) for pk in assessment.scores.values_list("pk", flat=True)]
    evidence_ids = [
        str(pk)
        for pk in ScoreEvidence.objects.filter(score__assessment=assessment).values_list(
            "pk", flat=True
        )
    ]
    q = (
        Q(object_type="assessments.assessment", object_id=str(assessment.pk))
        | Q(object_type="assessments.score", object_id__in=score_ids)
        | Q(object_type="assessments.scoreevidence", object_id__in=evidence_ids)
    )
    units = [assessment.unit_id, assessment.campaign.owner_id]
    entries = AuditEntry.objects.filter(q, unit_id__in=units).order_by("-seq")[:300]
    if hide_appraisal:
        return [
            e
            for e in entries
            if e.action != "assessment_appraise_score" and "appraised_total" not in e.changes
        ]
    return list(entries)
