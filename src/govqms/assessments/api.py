"""The REST API of the yearly campaigns and assessments: thin views over the same
selectors and services as the pages, with the same permissions.

Oversight (DoST officers and administrators, their subtree only; agency users 403):
- `campaigns/` : the campaigns they oversee (`year`), with progress counts and the
  agencies that have not submitted yet.
- `campaigns/<year>/` : the campaign of that year (`owner` picks one when the user
  oversees several units), with counts per status.
- `campaigns/<year>/assessments/` : every agency's assessment: totals, band, rank
  (`status`, `band`, `kind`, `q` folded).

One assessment (`units/<unit_pk>/assessments/<pk>/...`): the agency's own members and
the DoST over it; anyone else gets 404. The DoST's appraisal stays hidden from the
agency until it is released.
- `` (GET) : the assessment with its scores and what the caller may do.
- `self-scores/` (POST) : save self-assessed points and comments (ISO secretary or head,
  while a draft of an open campaign).
- `submit/` (POST) : the head submits.
- `appraisal/` (GET, POST) : the DoST's points and reasons; POST saves them and, with
  `release`, releases the appraisal to the agency.
- `contest/` (GET, POST) : the head contests, once, by the contest deadline.
- `decision/` (GET, POST) : the DoST decides the contest; the assessment becomes final.
Service refusals answer 403 (role) or 400 (workflow rule, e.g. a criterion unscored)."""

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.documents.serializers import ErrorSerializer
from govqms.organizations import selectors as org
from govqms.organizations.models import UnitKind

from . import selectors, services
from .models import Assessment, Band, Campaign

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused by the rules of the campaign"),
    403: OpenApiResponse(ErrorSerializer, description="The caller's role may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or of another agency"),
}

# How many agencies still to submit are named per campaign.
AWAITING_LIMIT = 20

RELEASED = (Assessment.Status.APPRAISED, Assessment.Status.CONTESTED, Assessment.Status.FINAL)


def _require_oversight(user) -> None:
    if not org.is_oversight_user(user):
        raise exceptions.PermissionDenied("Oversight users only.")


# ---------------------------------------------------------------- serializers


class AwaitingAgencySerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()


class CampaignSummarySerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    state = serializers.CharField(source="status", read_only=True)
    assessments = serializers.SerializerMethodField()
    final = serializers.SerializerMethodField()
    not_submitted = serializers.SerializerMethodField()
    awaiting_submission = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "year",
            "title",
            "owner",
            "owner_name",
            "criteria_set",
            "state",
            "reference_date",
            "self_assessment_due",
            "appraisal_due",
            "contest_working_days",
            "opened_at",
            "closed_at",
            "assessments",
            "final",
            "not_submitted",
            "awaiting_submission",
            "url",
        ]

    def get_assessments(self, campaign) -> int:
        return getattr(campaign, "n_total", 0)

    def get_final(self, campaign) -> int:
        return getattr(campaign, "n_final", 0)

    def get_not_submitted(self, campaign) -> int:
        return getattr(campaign, "n_draft", 0)

    @extend_schema_field(AwaitingAgencySerializer(many=True))
    def get_awaiting_submission(self, campaign):
        return self.context.get("awaiting", {}).get(campaign.pk, [])

    def get_url(self, campaign) -> str:
        return reverse("api-campaign-detail", args=[campaign.year]) + f"?owner={campaign.owner_id}"


class AssessmentStatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CampaignYearSerializer(CampaignSummarySerializer):
    by_status = serializers.SerializerMethodField()

    class Meta(CampaignSummarySerializer.Meta):
        fields = [*CampaignSummarySerializer.Meta.fields, "by_status"]

    @extend_schema_field(AssessmentStatusCountSerializer(many=True))
    def get_by_status(self, campaign):
        return self.context.get("by_status", [])


class AssessmentRowSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_kind = serializers.CharField(source="unit.kind", read_only=True)
    state = serializers.CharField(source="status", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "unit_kind",
            "state",
            "self_total",
            "appraised_total",
            "final_total",
            "band",
            "rank",
            "submitted_at",
            "appraised_at",
            "contest_due",
            "contested_at",
            "finalized_at",
            "url",
        ]

    def get_url(self, assessment) -> str:
        return reverse("api-assessment-detail", args=[assessment.unit_id, assessment.pk])


class ScoreEvidenceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    url = serializers.CharField()
    file_name = serializers.CharField()


class AssessmentScoreSerializer(serializers.Serializer):
    """One criterion's score; the appraisal is left out (null) while the caller may not
    see it yet (the agency, before its release)."""

    criterion = serializers.IntegerField(source="criterion_id")
    code = serializers.CharField(source="criterion.code")
    text = serializers.CharField(source="criterion.text")
    group = serializers.CharField(source="criterion.group.code")
    max_points = serializers.DecimalField(
        source="criterion.max_points", max_digits=6, decimal_places=2
    )
    rule = serializers.CharField(source="criterion.rule")
    proposed_points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    proposal_summary = serializers.CharField()
    proposal_evidence = serializers.JSONField()
    self_points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    self_comment = serializers.CharField()
    appraised_points = serializers.SerializerMethodField()
    appraisal_reason = serializers.SerializerMethodField()
    contest_reason = serializers.CharField()
    contest_outcome = serializers.CharField()
    decided_points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    decision_reason = serializers.CharField()
    final_points = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    def _shown(self) -> bool:
        return self.context.get("show_appraisal", False)

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True))
    def get_appraised_points(self, score):
        return _decimal(score.appraised_points) if self._shown() else None

    def get_appraisal_reason(self, score) -> str:
        return score.appraisal_reason if self._shown() else ""

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True))
    def get_final_points(self, score):
        if self._shown():
            return _decimal(score.final_points)
        return _decimal(score.self_points)

    @extend_schema_field(ScoreEvidenceRefSerializer(many=True))
    def get_evidence(self, score):
        return [
            {"id": e.pk, "label": e.label, "url": e.url, "file_name": e.file_name}
            for e in score.evidence.all()
        ]


def _decimal(value):
    return None if value is None else f"{value:.2f}"


class AssessmentAllowedSerializer(serializers.Serializer):
    edit_self_scores = serializers.BooleanField()
    submit = serializers.BooleanField()
    appraise = serializers.BooleanField()
    contest = serializers.BooleanField()
    decide = serializers.BooleanField()


class AssessmentDetailSerializer(AssessmentRowSerializer):
    campaign = serializers.IntegerField(source="campaign_id", read_only=True)
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    self_assessment_due = serializers.DateField(
        source="campaign.self_assessment_due", read_only=True
    )
    appraised_total = serializers.SerializerMethodField()
    appraisal_released = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    allowed = serializers.SerializerMethodField()

    class Meta(AssessmentRowSerializer.Meta):
        fields = [
            *AssessmentRowSerializer.Meta.fields,
            "campaign",
            "campaign_title",
            "year",
            "self_assessment_due",
            "contest_reason",
            "decided_at",
            "appraisal_released",
            "scores",
            "allowed",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True))
    def get_appraised_total(self, assessment):
        return _decimal(assessment.appraised_total) if self.context["show_appraisal"] else None

    def get_appraisal_released(self, assessment) -> bool:
        return assessment.status in RELEASED

    @extend_schema_field(AssessmentScoreSerializer(many=True))
    def get_scores(self, assessment):
        return AssessmentScoreSerializer(
            self.context["scores"], many=True, context=self.context
        ).data

    @extend_schema_field(AssessmentAllowedSerializer)
    def get_allowed(self, assessment):
        return self.context["allowed"]


class SelfScoreEntrySerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True)


class SelfScoresSerializer(serializers.Serializer):
    scores = SelfScoreEntrySerializer(many=True, required=False, default=list)


class AppraisalScoreEntrySerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AppraisalInputSerializer(serializers.Serializer):
    scores = AppraisalScoreEntrySerializer(many=True, required=False, default=list)
    release = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Release the appraisal to the agency after saving (every criterion "
        "must be appraised); the contest period starts.",
    )


class ContestedCriterionSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    grounds = serializers.CharField()


class ContestInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    items = ContestedCriterionSerializer(many=True, required=False, default=list)


class ContestDecisionEntrySerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    accept = serializers.BooleanField()
    points = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="The points given when the contest of this criterion is accepted.",
    )
    reason = serializers.CharField(allow_blank=True)


class ContestDecisionInputSerializer(serializers.Serializer):
    decisions = ContestDecisionEntrySerializer(many=True)


class AppraisalStateOfAssessmentSerializer(serializers.Serializer):
    state = serializers.CharField()
    released = serializers.BooleanField()
    may_appraise = serializers.BooleanField()
    appraised_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    appraised_at = serializers.DateTimeField(allow_null=True)
    contest_due = serializers.DateField(allow_null=True)
    scores = AssessmentScoreSerializer(many=True)


class ContestStateOfAssessmentSerializer(serializers.Serializer):
    state = serializers.CharField()
    may_contest = serializers.BooleanField()
    contest_due = serializers.DateField(allow_null=True)
    contested_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    items = ContestedCriterionSerializer(many=True)


class ContestDecisionItemSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    code = serializers.CharField()
    grounds = serializers.CharField()
    outcome = serializers.CharField()
    decided_points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    reason = serializers.CharField()


class ContestDecisionStateSerializer(serializers.Serializer):
    state = serializers.CharField()
    may_decide = serializers.BooleanField()
    decided_at = serializers.DateTimeField(allow_null=True)
    final_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    items = ContestDecisionItemSerializer(many=True)


# ---------------------------------------------------------------- campaigns


def _campaign_of_year(request, year) -> Campaign:
    _require_oversight(request.user)
    qs = selectors.visible_campaigns(request.user).filter(year=year)
    owner = request.query_params.get("owner")
    if owner:
        if not owner.isdigit():
            raise exceptions.NotFound("No such campaign.")
        qs = qs.filter(owner_id=int(owner))
    campaign = qs.order_by("owner__path").first()
    if campaign is None:
        raise exceptions.NotFound("No such campaign.")
    return campaign


_OWNER = OpenApiParameter(
    "owner", int, description="The oversight unit whose campaign (when the caller oversees several)"
)


class CampaignList(generics.ListAPIView):
    serializer_class = CampaignSummarySerializer

    @extend_schema(
        summary="The campaigns the caller oversees",
        parameters=[OpenApiParameter("year", int)],
        responses={200: CampaignSummarySerializer(many=True), 403: _ERRORS[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        _require_oversight(self.request.user)
        year = self.request.query_params.get("year") or ""
        return selectors.campaigns_for_list(
            self.request.user, int(year) if year.isdigit() else None
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = CampaignSummarySerializer(
            page,
            many=True,
            context={"awaiting": selectors.awaiting_submission(request.user, page, AWAITING_LIMIT)},
        ).data
        return self.get_paginated_response(data)


class CampaignDetail(APIView):
    @extend_schema(
        summary="The campaign of a year",
        parameters=[_OWNER],
        responses={200: CampaignYearSerializer, 403: _ERRORS[403], 404: _ERRORS[404]},
    )
    def get(self, request, year):
        campaign = _campaign_of_year(request, year)
        campaign = selectors.campaigns_for_list(request.user).get(pk=campaign.pk)
        context = {
            "awaiting": selectors.awaiting_submission(request.user, [campaign], AWAITING_LIMIT),
            "by_status": [
                {"status": value, "label": str(label), "count": n}
                for value, label, n in selectors.status_counts(request.user, campaign)
            ],
        }
        return Response(CampaignYearSerializer(campaign, context=context).data)


class CampaignAssessments(generics.ListAPIView):
    serializer_class = AssessmentRowSerializer

    @extend_schema(
        summary="Every agency's assessment in the campaign of a year",
        parameters=[
            _OWNER,
            OpenApiParameter("status", str, enum=Assessment.Status.values),
            OpenApiParameter("band", str, enum=Band.values),
            OpenApiParameter("kind", str, enum=UnitKind.values),
            OpenApiParameter("q", str, description="Agency name or code; accents folded"),
        ],
        responses={200: AssessmentRowSerializer(many=True), 403: _ERRORS[403], 404: _ERRORS[404]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        campaign = _campaign_of_year(self.request, self.kwargs["year"])
        params = self.request.query_params
        return selectors.campaign_rows(
            self.request.user,
            campaign,
            status=params.get("status") or "",
            kind=params.get("kind") or "",
            query=params.get("q") or "",
            band=params.get("band") or "",
        )


# ---------------------------------------------------------------- one assessment


def _assessment(request, unit_pk, pk, what="API: yearly assessment") -> Assessment:
    """The assessment, for its agency's members and the DoST over it (404 otherwise;
    an overseer's read is logged where the agency sees it)."""
    unit = org.get_internal_unit(request.user, unit_pk, what=what)
    return selectors.get_assessment(request.user, unit, pk)


def _show_appraisal(user, assessment) -> bool:
    return assessment.status in RELEASED or org.is_overseer_of(user, assessment.campaign.owner)


def _allowed(user, assessment) -> dict:
    overseer = org.is_overseer_of(user, assessment.campaign.owner)
    head = services.is_head(user, assessment.unit)
    can_edit = services.can_edit_self(user, assessment)
    return {
        "edit_self_scores": can_edit,
        "submit": can_edit and head,
        "appraise": overseer and services.can_appraise(assessment),
        "contest": head and services.can_contest(assessment),
        "decide": overseer
        and assessment.status == Assessment.Status.CONTESTED
        and assessment.campaign.status == Campaign.Status.OPEN,
    }


def _detail(request, assessment) -> dict:
    """The assessment as it stands (after a service changed it, read again)."""
    assessment = selectors.get_assessment(request.user, assessment.unit, assessment.pk)
    context = {
        "show_appraisal": _show_appraisal(request.user, assessment),
        "scores": selectors.assessment_scores(assessment),
        "allowed": _allowed(request.user, assessment),
    }
    return AssessmentDetailSerializer(assessment, context=context).data


class AssessmentDetail(APIView):
    @extend_schema(
        summary="An assessment with its scores",
        responses={200: AssessmentDetailSerializer, 404: _ERRORS[404]},
    )
    def get(self, request, unit_pk, pk):
        return Response(_detail(request, _assessment(request, unit_pk, pk)))


class _Action(APIView):
    """One step of the campaign on an assessment: `act(request, assessment, data)`
    calls its service; the answer is the assessment as it then stands."""

    serializer = None
    what = "API: yearly assessment"

    def _post(self, request, unit_pk, pk):
        assessment = _assessment(request, unit_pk, pk, self.what)
        data = {}
        if self.serializer is not None:
            body = self.serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        _call(lambda: self.act(request, assessment, data))
        return Response(_detail(request, assessment))


class SelfScores(_Action):
    serializer = SelfScoresSerializer

    @extend_schema(
        summary="Save self-assessed points and comments",
        description="The agency's ISO secretary or head, while the assessment is a draft "
        "of an open campaign. Points within 0..max_points; null clears them.",
        request=SelfScoresSerializer,
        responses={200: AssessmentDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return self._post(request, unit_pk, pk)

    def act(self, request, assessment, data):
        entries = {}
        for entry in data["scores"]:
            item = {"points": entry["points"]}
            if "comment" in entry:
                item["comment"] = entry["comment"]
            entries[entry["criterion"]] = item
        services.save_self_scores(request.user, assessment, entries)


class Submit(_Action):
    @extend_schema(
        summary="Submit the self-assessment (the head)",
        description="Refused (400) while a criterion is unscored, naming the criteria.",
        request=None,
        responses={200: AssessmentDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return self._post(request, unit_pk, pk)

    def act(self, request, assessment, data):
        services.submit_self_assessment(request.user, assessment)


def _appraisal_state(request, assessment) -> dict:
    shown = _show_appraisal(request.user, assessment)
    state = {
        "state": assessment.status,
        "released": assessment.status in RELEASED,
        "may_appraise": _allowed(request.user, assessment)["appraise"],
        "appraised_total": assessment.appraised_total if shown else None,
        "appraised_at": assessment.appraised_at if assessment.status in RELEASED else None,
        "contest_due": assessment.contest_due,
        "scores": selectors.assessment_scores(assessment),
    }
    return AppraisalStateOfAssessmentSerializer(state, context={"show_appraisal": shown}).data


class Appraisal(_Action):
    serializer = AppraisalInputSerializer
    what = "API: appraisal"

    @extend_schema(
        summary="The DoST's appraisal",
        description="The agency sees the appraised points only once released.",
        responses={200: AppraisalStateOfAssessmentSerializer, 404: _ERRORS[404]},
    )
    def get(self, request, unit_pk, pk):
        assessment = _assessment(request, unit_pk, pk, self.what)
        return Response(_appraisal_state(request, assessment))

    @extend_schema(
        summary="Save the appraisal (the DoST), and release it",
        description="A reason is required where the points differ from the agency's. "
        "With `release`, every criterion must be appraised; the assessment becomes "
        "appraised and the contest period starts.",
        request=AppraisalInputSerializer,
        responses={200: AssessmentDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return self._post(request, unit_pk, pk)

    def act(self, request, assessment, data):
        entries = {
            e["criterion"]: {"points": e["points"], "reason": e["reason"]} for e in data["scores"]
        }
        # Saved and released together, or not at all.
        with transaction.atomic():
            if entries or not data["release"]:
                services.save_appraisal(request.user, assessment, entries)
            if data["release"]:
                services.release_appraisal(request.user, assessment)


def _contested_scores(assessment) -> list:
    return [s for s in selectors.assessment_scores(assessment) if s.contest_reason]


class Contest(_Action):
    serializer = ContestInputSerializer
    what = "API: contest"

    @extend_schema(
        summary="The agency's contest of the appraisal",
        responses={200: ContestStateOfAssessmentSerializer, 404: _ERRORS[404]},
    )
    def get(self, request, unit_pk, pk):
        assessment = _assessment(request, unit_pk, pk, self.what)
        return Response(
            ContestStateOfAssessmentSerializer(
                {
                    "state": assessment.status,
                    "may_contest": _allowed(request.user, assessment)["contest"],
                    "contest_due": assessment.contest_due,
                    "contested_at": assessment.contested_at,
                    "reason": assessment.contest_reason,
                    "items": [
                        {"criterion": s.criterion_id, "grounds": s.contest_reason}
                        for s in _contested_scores(assessment)
                    ],
                }
            ).data
        )

    @extend_schema(
        summary="Contest the appraisal (the head; once, by the contest deadline)",
        request=ContestInputSerializer,
        responses={200: AssessmentDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return self._post(request, unit_pk, pk)

    def act(self, request, assessment, data):
        items = {i["criterion"]: i["grounds"] for i in data["items"]}
        services.contest(request.user, assessment, reason=data["reason"], items=items)


class Decision(_Action):
    serializer = ContestDecisionInputSerializer
    what = "API: contest decision"

    @extend_schema(
        summary="The DoST's decision on the contest",
        responses={200: ContestDecisionStateSerializer, 404: _ERRORS[404]},
    )
    def get(self, request, unit_pk, pk):
        assessment = _assessment(request, unit_pk, pk, self.what)
        return Response(
            ContestDecisionStateSerializer(
                {
                    "state": assessment.status,
                    "may_decide": _allowed(request.user, assessment)["decide"],
                    "decided_at": assessment.decided_at,
                    "final_total": assessment.final_total,
                    "items": [
                        {
                            "criterion": s.criterion_id,
                            "code": s.criterion.code,
                            "grounds": s.contest_reason,
                            "outcome": s.contest_outcome,
                            "decided_points": s.decided_points,
                            "reason": s.decision_reason,
                        }
                        for s in _contested_scores(assessment)
                    ],
                }
            ).data
        )

    @extend_schema(
        summary="Decide the contest (the DoST); the assessment becomes final",
        description="Every contested criterion needs a decision with its reason; an "
        "accepted one gets the points given, a rejected one keeps the appraised points.",
        request=ContestDecisionInputSerializer,
        responses={200: AssessmentDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return self._post(request, unit_pk, pk)

    def act(self, request, assessment, data):
        decisions = {
            d["criterion"]: {"accept": d["accept"], "points": d["points"], "reason": d["reason"]}
            for d in data["decisions"]
        }
        services.decide_contest(request.user, assessment, decisions)
