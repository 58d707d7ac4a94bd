"""The REST API of inspections, with the same permissions as the pages.

- `inspection-plans/`: the DoST's plans with their agencies (oversight roles; 403
  for others); POST creates a year's plan with the risk proposal (DoST
  administrator).
- `inspection-plans/<year>/`: the year's plan with every agency's mode, risk score
  and reasons; `.../approve/` (POST, administrator) approves it (400 below the
  minimum on site, naming the shortfall).
- `inspections/`: the inspections the caller may see (the DoST's, or the agency's
  own once the plan is approved), `year` filter.
- `inspections/<pk>/`: one inspection with its findings (404 for others);
  `.../mode/` (POST, administrator, draft plan); `.../decision/`, `.../minutes/`,
  `.../findings/` (GET reads, POST by the DoST of the plan's owner);
  `.../corrective-report/` (GET, POST by the agency's ISO secretary or head,
  multipart with an optional `file`); `.../close/` (GET whether it can be closed,
  POST closes it).
Service refusals answer 403 (role) or 400 (workflow rule)."""

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.documents.serializers import ErrorSerializer
from govqms.organizations import selectors as org

from . import risk, selectors, services
from .models import Inspection, InspectionFinding, InspectionPlan

# Plain text, not an enum: another app's API has a "mode" of its own.
MODE_HELP = "One of: " + ", ".join(Inspection.Mode.values)

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused by the rules of the workflow"),
    403: OpenApiResponse(ErrorSerializer, description="The caller's role may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or of another agency"),
}


class InspectionFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionFinding
        fields = ["id", "order", "clause", "text", "grade", "nonconformity_id"]


class InspectionPlanRowSerializer(serializers.ModelSerializer):
    """One agency of a plan (the DoST's view)."""

    unit = serializers.IntegerField(source="unit_id")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    mode = serializers.CharField(help_text=MODE_HELP)
    state = serializers.CharField(source="status")
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "mode",
            "proposed_on_site",
            "risk_score",
            "reasons",
            "planned_month",
            "state",
        ]

    def get_reasons(self, obj) -> list[str]:
        return risk.reasons_text(obj.risk_reasons)


class InspectionSerializer(serializers.ModelSerializer):
    """One inspection as its agency and the DoST see it (no risk score: that is the
    DoST's working tool, read on the plan)."""

    year = serializers.IntegerField(source="plan.year")
    owner = serializers.CharField(source="plan.owner.name")
    unit = serializers.IntegerField(source="unit_id")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    mode = serializers.CharField(help_text=MODE_HELP)
    state = serializers.CharField(source="status")
    lead = serializers.CharField(source="lead.username", default=None)
    corrective_report_received = serializers.BooleanField(source="report_received")
    has_report_file = serializers.SerializerMethodField()
    findings = InspectionFindingSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "year",
            "owner",
            "unit",
            "unit_code",
            "unit_name",
            "mode",
            "planned_month",
            "state",
            "decision_number",
            "decision_date",
            "lead",
            "team",
            "scheduled_on",
            "inspected_on",
            "agency_representatives",
            "summary",
            "conclusion",
            "corrective_report_due",
            "corrective_report_received",
            "corrective_report_at",
            "corrective_report_text",
            "has_report_file",
            "findings",
        ]

    def get_has_report_file(self, obj) -> bool:
        return bool(obj.corrective_report_file)


class InspectionPlanSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name")
    state = serializers.CharField(source="status")
    counts = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPlan
        fields = ["id", "owner", "owner_name", "year", "title", "number", "state", "counts"]

    def get_counts(self, plan) -> dict:
        counts = getattr(plan, "counts", None) or selectors.plan_counts(plan)
        return {k: v for k, v in counts.items() if k != "share"}


class InspectionPlanDetailSerializer(InspectionPlanSerializer):
    inspections = serializers.SerializerMethodField()

    class Meta(InspectionPlanSerializer.Meta):
        fields = [*InspectionPlanSerializer.Meta.fields, "on_site_share", "inspections"]

    def get_inspections(self, plan) -> list[dict]:
        rows = self.context["rows"]
        return InspectionPlanRowSerializer(rows, many=True).data


class InspectionPlanListItemSerializer(InspectionPlanSerializer):
    agencies = serializers.SerializerMethodField()

    class Meta(InspectionPlanSerializer.Meta):
        fields = [*InspectionPlanSerializer.Meta.fields, "agencies"]

    def get_agencies(self, plan) -> list[dict]:
        return [
            {"unit": i.unit_id, "unit_name": i.unit.name, "mode": i.mode, "state": i.status}
            for i in plan.inspections.all()
        ]


class InspectionPlanCreateSerializer(serializers.Serializer):
    owner = serializers.IntegerField(required=False, help_text="Default: your first province")
    year = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionPlanApproveSerializer(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionModeSerializer(serializers.Serializer):
    mode = serializers.CharField(help_text=MODE_HELP)
    planned_month = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=12
    )


class InspectionDecisionSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=100)
    date = serializers.DateField()
    lead = serializers.CharField(help_text="The team lead's username (a DoST officer)")
    team = serializers.CharField(required=False, allow_blank=True, default="")
    scheduled_on = serializers.DateField()


class InspectionMinutesSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    representatives = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    conclusion = serializers.CharField()


class InspectionFindingInputSerializer(serializers.Serializer):
    clause = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField()
    grade = serializers.ChoiceField(choices=InspectionFinding.Grade.values)


class InspectionReportSerializer(serializers.Serializer):
    text = serializers.CharField()
    file = serializers.FileField(required=False, allow_null=True, default=None)


def _oversight(request):
    if not org.is_oversight_user(request.user):
        raise exceptions.PermissionDenied()


def _inspection(request, pk) -> Inspection:
    inspection = selectors.get_inspection(request.user, pk)
    if not org.is_member_of(request.user, inspection.unit):
        org.log_oversight_read(request.user, inspection.unit, "API: inspection")
    return inspection


def _detail(request, pk):
    return InspectionSerializer(selectors.get_inspection(request.user, pk)).data


# ---------------------------------------------------------------- plans


class PlanList(APIView):
    @extend_schema(responses={200: InspectionPlanListItemSerializer(many=True), **_ERRORS})
    def get(self, request):
        _oversight(request)
        plans = selectors.plans_with_counts(request.user)
        prefetch_related_objects(plans, "inspections__unit")
        return Response(InspectionPlanListItemSerializer(plans, many=True).data)

    @extend_schema(
        summary="Create a year's plan with the risk proposal",
        request=InspectionPlanCreateSerializer,
        responses={201: InspectionPlanSerializer, **_ERRORS},
    )
    def post(self, request):
        owners = org.admin_roots(request.user)
        if not owners:
            raise exceptions.PermissionDenied()
        body = InspectionPlanCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        owner = owners[0]
        if data.get("owner"):
            owner = next((o for o in owners if o.pk == data["owner"]), None)
            if owner is None:
                raise exceptions.ValidationError({"owner": ["Not a province you administer."]})
        plan = _call(
            lambda: services.create_plan(
                request.user,
                owner=owner,
                year=data["year"],
                title=data["title"],
                number=data["number"],
            )
        )
        return Response(InspectionPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetail(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("mode", str, enum=Inspection.Mode.values),
            OpenApiParameter("status", str, enum=Inspection.Status.values),
            OpenApiParameter("q", str, description="Agency name; accents folded"),
        ],
        responses={200: InspectionPlanDetailSerializer, **_ERRORS},
    )
    def get(self, request, year):
        _oversight(request)
        plan = selectors.get_plan_for_year(request.user, year)
        params = request.query_params
        rows = selectors.plan_inspections(
            request.user,
            plan,
            mode=params.get("mode") or None,
            status=params.get("status") or None,
            kind=params.get("kind") or None,
            query=params.get("q"),
        )
        return Response(InspectionPlanDetailSerializer(plan, context={"rows": rows}).data)


class PlanApprove(APIView):
    @extend_schema(
        summary="Approve the plan",
        request=InspectionPlanApproveSerializer,
        responses={200: InspectionPlanSerializer, **_ERRORS},
    )
    def post(self, request, year):
        if not org.admin_roots(request.user):
            raise exceptions.PermissionDenied()
        plan = selectors.get_plan_for_year(request.user, year)
        if not selectors.is_admin(request.user, plan):
            raise exceptions.PermissionDenied()
        body = InspectionPlanApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = _call(
            lambda: services.approve_plan(request.user, plan, number=body.validated_data["number"])
        )
        return Response(InspectionPlanSerializer(plan).data)


# ---------------------------------------------------------------- inspections


class InspectionList(generics.ListAPIView):
    serializer_class = InspectionSerializer

    @extend_schema(parameters=[OpenApiParameter("year", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.visible_inspections(self.request.user).prefetch_related("findings")
        year = self.request.query_params.get("year")
        if year:
            try:
                qs = qs.filter(plan__year=int(year))
            except ValueError:
                raise exceptions.ValidationError({"year": ["Enter a year."]}) from None
        return qs.order_by("-plan__year", "unit__name", "pk")


class InspectionDetail(APIView):
    @extend_schema(responses={200: InspectionSerializer, **_ERRORS})
    def get(self, request, pk):
        return Response(InspectionSerializer(_inspection(request, pk)).data)


class InspectionMode(APIView):
    @extend_schema(
        summary="On site or by records (administrator, draft plan)",
        request=InspectionModeSerializer,
        responses={200: InspectionPlanRowSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        if not org.admin_roots(request.user):
            raise exceptions.PermissionDenied()
        inspection = selectors.get_inspection(request.user, pk)
        body = InspectionModeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        inspection = _call(
            lambda: services.set_mode(
                request.user, inspection, data["mode"], planned_month=data["planned_month"]
            )
        )
        return Response(InspectionPlanRowSerializer(inspection).data)


class _Step(APIView):
    """GET reads the inspection; POST runs one step through its service."""

    serializer = None

    def get(self, request, pk):
        return Response(InspectionSerializer(_inspection(request, pk)).data)

    def post(self, request, pk):
        inspection = _inspection(request, pk)
        data = {}
        if self.serializer is not None:
            body = self.serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        _call(lambda: self.act(request, inspection, data))
        return Response(_detail(request, pk))


class InspectionDecision(_Step):
    serializer = InspectionDecisionSerializer

    @extend_schema(responses={200: InspectionSerializer, **_ERRORS})
    def get(self, request, pk):
        return super().get(request, pk)

    @extend_schema(
        summary="Issue the inspection decision (form 20)",
        request=InspectionDecisionSerializer,
        responses={200: InspectionSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, inspection, data):
        lead = selectors.lead_choices(inspection.plan).filter(username=data.pop("lead")).first()
        if lead is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"lead": ["The team lead must be a DoST officer."]})
        services.issue_decision(request.user, inspection, lead=lead, **data)


class InspectionMinutes(_Step):
    serializer = InspectionMinutesSerializer

    @extend_schema(responses={200: InspectionSerializer, **_ERRORS})
    def get(self, request, pk):
        return super().get(request, pk)

    @extend_schema(
        summary="Record the minutes (form 21); the corrective report is due 2 months later",
        request=InspectionMinutesSerializer,
        responses={200: InspectionSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, inspection, data):
        services.record_minutes(request.user, inspection, **data)


class InspectionFindings(_Step):
    serializer = InspectionFindingInputSerializer

    @extend_schema(responses={200: InspectionFindingSerializer(many=True), **_ERRORS})
    def get(self, request, pk):
        inspection = _inspection(request, pk)
        return Response(InspectionFindingSerializer(inspection.findings.all(), many=True).data)

    @extend_schema(
        summary="Add a finding (a nonconformity opens one in the agency's register)",
        request=InspectionFindingInputSerializer,
        responses={200: InspectionSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, inspection, data):
        services.add_finding(request.user, inspection, **data)


class InspectionReport(_Step):
    serializer = InspectionReportSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses={200: InspectionSerializer, **_ERRORS})
    def get(self, request, pk):
        return super().get(request, pk)

    @extend_schema(
        summary="Submit the corrective report (the agency's ISO secretary or head)",
        request={
            "multipart/form-data": InspectionReportSerializer,
            "application/json": InspectionReportSerializer,
        },
        responses={200: InspectionSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, inspection, data):
        services.submit_corrective_report(
            request.user, inspection, text=data["text"], file=data["file"]
        )


class InspectionCloseStateSerializer(serializers.Serializer):
    state = serializers.CharField()
    closable = serializers.BooleanField()
    needs_report = serializers.BooleanField()
    report_received = serializers.BooleanField()


class InspectionClose(_Step):
    @extend_schema(responses={200: InspectionCloseStateSerializer, **_ERRORS})
    def get(self, request, pk):
        inspection = _inspection(request, pk)
        needs = services.needs_report(inspection)
        return Response(
            {
                "state": inspection.status,
                "closable": inspection.status == Inspection.Status.DONE
                and (inspection.report_received or not needs),
                "needs_report": needs,
                "report_received": inspection.report_received,
            }
        )

    @extend_schema(
        summary="Close the inspection (after the corrective report)",
        request=None,
        responses={200: InspectionSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, inspection, data):
        services.close_inspection(request.user, inspection)
