"""The REST API of the policy and objectives, the risk register and the yearly plan:
thin views over the same selectors and services as the pages, same permissions.

Every route is under the agency, `units/<unit_pk>/...` (404 for other agencies;
the agency's overseers read, and their reads are logged). Writes (POST, PATCH):
head and ISO secretary; measurements also process owners; risks also the owner
of the risk's process. A refused write answers 403, an invalid one 400."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from govqms.core.api import call_service as _call
from govqms.documents.models import Document
from govqms.organizations import selectors as org
from govqms.procedures.models import AdministrativeProcedure

from . import selectors, services
from .models import Measurement, Objective, PlanItem, Risk

# The statuses of objectives are read-only text here: the name "status" carries
# other choice sets (the yearly plan's, other apps'), one enum component each.
STATUS_HELP = "on_track, at_risk or off_track"


class MeasurementSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "period_start",
            "period_end",
            "measured_on",
            "value",
            "target",
            "status",
            "comment",
            "automatic",
            "basis",
        ]
        read_only_fields = ["period_start", "period_end", "target", "status", "automatic", "basis"]


class ObjectiveSerializer(serializers.ModelSerializer):
    last_status = serializers.CharField(read_only=True, help_text=STATUS_HELP + " (empty: never)")
    procedures = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=AdministrativeProcedure.objects.all()
    )
    plan_who = serializers.PrimaryKeyRelatedField(
        required=False, allow_null=True, queryset=get_user_model().objects.all()
    )

    class Meta:
        model = Objective
        fields = [
            "id",
            "year",
            "title",
            "indicator",
            "measure_unit",
            "direction",
            "target",
            "tolerance",
            "schedule",
            "source",
            "kpi",
            "procedures",
            "plan_what",
            "plan_who",
            "plan_when",
            "plan_resources",
            "last_value",
            "last_status",
            "last_measured_on",
        ]
        read_only_fields = ["last_value", "last_status", "last_measured_on"]


class RiskSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(read_only=True)
    band = serializers.SerializerMethodField()
    process = serializers.PrimaryKeyRelatedField(
        required=False, allow_null=True, queryset=Document.objects.all()
    )
    owner = serializers.PrimaryKeyRelatedField(
        required=False, allow_null=True, queryset=get_user_model().objects.all()
    )
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = Risk
        fields = [
            "id",
            "kind",
            "process",
            "process_text",
            "description",
            "cause",
            "likelihood",
            "impact",
            "level",
            "band",
            "treatment",
            "owner",
            "review_date",
            "effectiveness",
            "evaluated_on",
            "closed",
        ]

    def get_band(self, obj) -> str:
        # The agency's bands are read once per response, not once per risk of a list.
        known = self.context.setdefault("bands", {})
        if obj.unit_id not in known:
            known[obj.unit_id] = selectors.bands(obj.unit)
        return known[obj.unit_id].band(obj.likelihood * obj.impact)


class PlanItemSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        required=False, allow_null=True, queryset=get_user_model().objects.all()
    )

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "year",
            "kind",
            "title",
            "start",
            "end",
            "owner",
            "remind_days",
            "status",
            "done_on",
            "evidence",
            "evidence_url",
            "cancel_reason",
        ]
        extra_kwargs = {"year": {"required": False}}


class _UnitMixin:
    what = "planning"

    def unit(self):
        if not hasattr(self, "_unit"):
            self._unit = org.get_internal_unit(
                self.request.user, self.kwargs["unit_pk"], what=f"API: {self.what}"
            )
        return self._unit


def _year(request):
    value = request.query_params.get("year", "")
    return int(value) if value.isdigit() else None


# ---------------------------------------------------------------- objectives


class ObjectiveList(_UnitMixin, generics.ListCreateAPIView):
    serializer_class = ObjectiveSerializer
    what = "quality objectives"

    def get_queryset(self):
        query = self.request.query_params.get("q")
        return selectors.objectives(self.unit(), _year(self.request), query)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        procedures = data.pop("procedures", None)
        serializer.instance = _call(
            lambda: services.save_objective(
                self.request.user, self.unit(), data, procedures=procedures
            )
        )


class ObjectiveDetail(_UnitMixin, generics.RetrieveUpdateAPIView):
    serializer_class = ObjectiveSerializer
    http_method_names = ["get", "patch", "head", "options"]
    what = "quality objectives"

    def get_object(self):
        return selectors.get_objective(self.unit(), self.kwargs["pk"])

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        procedures = data.pop("procedures", None)
        objective = self.get_object()
        serializer.instance = _call(
            lambda: services.save_objective(
                self.request.user, self.unit(), data, objective=objective, procedures=procedures
            )
        )


class MeasurementList(_UnitMixin, generics.ListCreateAPIView):
    serializer_class = MeasurementSerializer
    what = "quality objectives"

    def objective(self):
        return selectors.get_objective(self.unit(), self.kwargs["pk"])

    def get_queryset(self):
        return selectors.measurements(self.objective())

    @extend_schema(request=MeasurementSerializer, responses={201: MeasurementSerializer})
    def post(self, request, *args, **kwargs):
        objective = self.objective()
        body = MeasurementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        m = _call(
            lambda: services.record_measurement(
                request.user,
                objective,
                value=data["value"],
                measured_on=data.get("measured_on"),
                comment=data.get("comment", ""),
            )
        )
        return Response(MeasurementSerializer(m).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- risks


class RiskList(_UnitMixin, generics.ListCreateAPIView):
    serializer_class = RiskSerializer
    what = "risks and opportunities"

    def get_queryset(self):
        p = self.request.query_params
        return selectors.risks(
            self.unit(),
            query=p.get("q"),
            kind=p.get("kind") or None,
            band=p.get("band") or None,
            include_closed=p.get("closed") == "1",
        )

    def perform_create(self, serializer):
        serializer.instance = _call(
            lambda: services.save_risk(
                self.request.user, self.unit(), dict(serializer.validated_data)
            )
        )


class RiskDetail(_UnitMixin, generics.RetrieveUpdateAPIView):
    serializer_class = RiskSerializer
    http_method_names = ["get", "patch", "head", "options"]
    what = "risks and opportunities"

    def get_object(self):
        return selectors.get_risk(self.unit(), self.kwargs["pk"])

    def perform_update(self, serializer):
        risk = self.get_object()
        serializer.instance = _call(
            lambda: services.save_risk(
                self.request.user, self.unit(), dict(serializer.validated_data), risk=risk
            )
        )


# ---------------------------------------------------------------- yearly plan


class PlanItemList(_UnitMixin, generics.ListCreateAPIView):
    serializer_class = PlanItemSerializer
    what = "yearly QMS plan"

    def get_queryset(self):
        p = self.request.query_params
        return selectors.plan_items(
            self.unit(),
            _year(self.request),
            kind=p.get("kind") or None,
            status=p.get("status") or None,
            overdue=p.get("overdue") == "1",
        )

    def perform_create(self, serializer):
        serializer.instance = _call(
            lambda: services.save_plan_item(
                self.request.user, self.unit(), dict(serializer.validated_data)
            )
        )


class PlanItemDetail(_UnitMixin, generics.RetrieveUpdateAPIView):
    serializer_class = PlanItemSerializer
    http_method_names = ["get", "patch", "head", "options"]
    what = "yearly QMS plan"

    def get_object(self):
        return selectors.get_plan_item(self.unit(), self.kwargs["pk"])

    def perform_update(self, serializer):
        item = self.get_object()
        serializer.instance = _call(
            lambda: services.save_plan_item(
                self.request.user, self.unit(), dict(serializer.validated_data), item=item
            )
        )
