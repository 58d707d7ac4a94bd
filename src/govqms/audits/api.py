"""The REST API of internal audit: thin views over the same selectors and services as
the pages, with the same permissions (outsiders 404, oversight read-only: 403 on
writes, PermissionDenied 403 and ValidationError 400).

- `units/<unit_pk>/audit-programmes/`: programmes (GET; POST saves a year's programme)
- `units/<unit_pk>/audit-plans/`: plans (GET `year`, `status`, `q`; POST plans one)
- `audit-plans/<pk>/`: a plan (GET, PATCH)
- `audit-plans/<pk>/checklist/`: its questions (GET; POST adds one, or `{"generate": true}`)
- `audit-checklist-items/<pk>/`: a question (GET, PATCH, DELETE)
- `audit-checklist-items/<pk>/result/`: record the result (POST `result`, `notes`)
- `audit-plans/<pk>/findings/`: findings (GET; POST records one, raising the NC)
- `units/<unit_pk>/auditors/`: the auditor register (GET; POST registers one)"""

from django.contrib.auth import get_user_model
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.documents.models import Document
from govqms.organizations import selectors as org

from . import selectors, services
from .models import Auditor, AuditPlan, AuditProgramme, ChecklistItem, Finding, Grade, Result


def _unit(request, unit_pk, what):
    return org.get_internal_unit(request.user, unit_pk, what=f"API: {what}")


class ProgrammeSerializer(serializers.ModelSerializer):
    processes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Document.objects.all(), required=False
    )
    clauses = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = AuditProgramme
        fields = [
            "id",
            "unit",
            "year",
            "objectives",
            "criteria",
            "frequency",
            "clauses",
            "processes",
        ]
        read_only_fields = ["id", "unit"]
        validators = []


class PlanSerializer(serializers.ModelSerializer):
    User = get_user_model()
    lead = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    team = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.all(), required=False
    )
    processes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Document.objects.all(), required=False
    )
    clauses = serializers.ListField(child=serializers.CharField(), required=False)
    divisions = serializers.ListField(child=serializers.CharField(), required=False)
    findings_by_grade = serializers.SerializerMethodField()

    class Meta:
        model = AuditPlan
        fields = [
            "id",
            "unit",
            "year",
            "title",
            "objectives",
            "criteria",
            "processes",
            "clauses",
            "divisions",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "lead",
            "team",
            "status",
            "summary",
            "conclusion",
            "report_issued_on",
            "checklist_fingerprint",
            "findings_by_grade",
        ]
        read_only_fields = [
            "id",
            "unit",
            "year",
            "actual_start",
            "actual_end",
            "status",
            "summary",
            "conclusion",
            "report_issued_on",
            "checklist_fingerprint",
        ]

    def get_findings_by_grade(self, plan) -> dict:
        return {row["grade"].value: row["count"] for row in selectors.findings_by_grade(plan)}


class ItemSerializer(serializers.ModelSerializer):
    process = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "plan",
            "order",
            "source",
            "clause",
            "process",
            "question",
            "result",
            "notes",
            "answered_at",
        ]
        read_only_fields = ["id", "plan", "order", "source", "answered_at"]


class ResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[("", "")] + list(Result.choices), allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class FindingSerializer(serializers.ModelSerializer):
    process = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistItem.objects.all(), required=False, allow_null=True
    )
    grade = serializers.ChoiceField(choices=Grade.choices)

    class Meta:
        model = Finding
        fields = [
            "id",
            "plan",
            "item",
            "grade",
            "clause",
            "process",
            "description",
            "evidence",
            "nonconformity_id",
            "created_at",
        ]
        read_only_fields = ["id", "plan", "nonconformity_id", "created_at"]


class AuditorSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    user_name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = Auditor
        fields = [
            "id",
            "unit",
            "user",
            "user_name",
            "certificate_name",
            "certificate_issuer",
            "certificate_number",
            "certificate_date",
            "certificate_expiry",
            "active",
            "in_pool",
        ]
        read_only_fields = ["id", "unit"]
        validators = []


class ProgrammeList(generics.ListCreateAPIView):
    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        unit = _unit(self.request, self.kwargs["unit_pk"], "audit programmes")
        return selectors.programmes(self.request.user, unit)

    def create(self, request, *args, **kwargs):
        unit = _unit(request, kwargs["unit_pk"], "audit programmes")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        year = data.pop("year")
        programme = _call(lambda: services.save_programme(request.user, unit, year, **data))
        return Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)


class PlanList(generics.ListCreateAPIView):
    serializer_class = PlanSerializer

    def get_queryset(self):
        unit = _unit(self.request, self.kwargs["unit_pk"], "audit plans")
        params = self.request.query_params
        try:
            year = int(params.get("year") or 0) or None
        except ValueError:
            year = None
        return selectors.plans(
            self.request.user, unit, year=year, status=params.get("status"), query=params.get("q")
        ).prefetch_related("team", "processes")

    def create(self, request, *args, **kwargs):
        unit = _unit(request, kwargs["unit_pk"], "audit plans")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = _call(lambda: services.create_plan(request.user, unit, **serializer.validated_data))
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetail(generics.RetrieveUpdateAPIView):
    serializer_class = PlanSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return selectors.get_plan(self.request.user, self.kwargs["pk"], what="API: audit plan")

    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = self.get_serializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        plan = _call(lambda: services.update_plan(request.user, plan, **serializer.validated_data))
        return Response(PlanSerializer(plan).data)


class Checklist(generics.ListCreateAPIView):
    serializer_class = ItemSerializer

    def _plan(self):
        return selectors.get_plan(self.request.user, self.kwargs["pk"], what="API: audit checklist")

    def get_queryset(self):
        return selectors.checklist(self._plan())

    def create(self, request, *args, **kwargs):
        plan = self._plan()
        if request.data.get("generate") in (True, "true", "1", 1):
            created = _call(lambda: services.generate_checklist(request.user, plan))
            return Response(ItemSerializer(created, many=True).data, status=status.HTTP_201_CREATED)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = _call(
            lambda: services.add_item(
                request.user,
                plan,
                question=data.get("question", ""),
                clause=data.get("clause", ""),
                process=data.get("process"),
            )
        )
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetail(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ItemSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return selectors.get_item(self.request.user, self.kwargs["pk"])

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        item = _call(lambda: services.edit_item(request.user, item, **serializer.validated_data))
        return Response(ItemSerializer(item).data)

    def destroy(self, request, *args, **kwargs):
        item = self.get_object()
        _call(lambda: services.delete_item(request.user, item))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemResult(APIView):
    serializer_class = ResultSerializer

    def post(self, request, pk):
        item = selectors.get_item(request.user, pk)
        serializer = ResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = _call(
            lambda: services.record_result(request.user, item, **serializer.validated_data)
        )
        return Response(ItemSerializer(item).data)


class Findings(generics.ListCreateAPIView):
    serializer_class = FindingSerializer

    def _plan(self):
        return selectors.get_plan(self.request.user, self.kwargs["pk"], what="API: audit findings")

    def get_queryset(self):
        return selectors.findings(self._plan())

    def create(self, request, *args, **kwargs):
        plan = self._plan()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = _call(
            lambda: services.record_finding(request.user, plan, **serializer.validated_data)
        )
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class Auditors(generics.ListCreateAPIView):
    serializer_class = AuditorSerializer

    def get_queryset(self):
        unit = _unit(self.request, self.kwargs["unit_pk"], "auditor register")
        return selectors.auditors(self.request.user, unit)

    def create(self, request, *args, **kwargs):
        unit = _unit(request, kwargs["unit_pk"], "auditor register")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        auditor = _call(
            lambda: services.register_auditor(request.user, unit, **serializer.validated_data)
        )
        return Response(AuditorSerializer(auditor).data, status=status.HTTP_201_CREATED)
