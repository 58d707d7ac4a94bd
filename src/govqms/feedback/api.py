"""The REST API of satisfaction and complaints: thin views over the same selectors
and services as the pages, with the same permissions.

- `units/<unit_pk>/satisfaction/responses/`: the survey responses (members and
  overseers; `period`, `year`, `n` as on the page).
- `units/<unit_pk>/satisfaction/index/`: the satisfaction index of a period.
- `units/<unit_pk>/complaints/`: list (members and overseers) and create (managers).
- `complaints/<pk>/`: read; PATCH fields (managers), or `response`/`responded_on`
  (managers and the assignee); DELETE (managers). The complainant's name and
  contact are returned to the agency's managers only."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.organizations import selectors as org

from . import selectors, services
from .models import Channel, Complaint, Status, SurveyResponse

PERIOD_PARAMS = [
    OpenApiParameter("period", str, enum=["month", "quarter", "year"]),
    OpenApiParameter("year", int),
    OpenApiParameter("n", int, description="Month (1-12) or quarter (1-4)"),
]


def _validation(exc: ValidationError):
    return exceptions.ValidationError({"detail": exc.messages})


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.text")
    score = serializers.IntegerField()


class ResponseSerializer(serializers.ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code", default=None)
    answers = AnswerSerializer(many=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "submitted_at",
            "procedure",
            "procedure_code",
            "dossier_code",
            "comment",
            "answers",
        ]


class UnitResponses(generics.ListAPIView):
    serializer_class = ResponseSerializer

    @extend_schema(parameters=PERIOD_PARAMS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        unit = org.get_internal_unit(user, self.kwargs["unit_pk"], what="API: survey responses")
        period = selectors.parse_period(self.request.query_params)
        return selectors.responses(user, unit, start=period.start, end=period.end)


class UnitIndex(APIView):
    @extend_schema(parameters=PERIOD_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what="API: satisfaction index")
        period = selectors.parse_period(request.query_params)
        data = selectors.satisfaction_index(unit, period.start, period.end).as_dict()
        data["period"] = {"kind": period.kind, "year": period.year, "n": period.number}
        return Response(data)


class ComplaintSerializer(serializers.ModelSerializer):
    procedure = serializers.IntegerField(source="procedure_id", allow_null=True, required=False)
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True, required=False)
    overdue = serializers.SerializerMethodField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "unit",
            "channel",
            "received_on",
            "complainant_name",
            "complainant_contact",
            "subject",
            "procedure",
            "dossier_code",
            "content",
            "assigned_to",
            "response",
            "responded_on",
            "status",
            "due_date",
            "overdue",
            "submitted_online",
        ]
        read_only_fields = ["id", "unit", "response", "responded_on", "submitted_online"]
        extra_kwargs = {"due_date": {"required": False}, "received_on": {"required": False}}

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.is_overdue(timezone.localdate())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("personal"):
            data.pop("complainant_name", None)
            data.pop("complainant_contact", None)
        return data


def _fields(unit, data: dict) -> dict:
    fields = {}
    for name in services.EDITABLE:
        key = {"procedure": "procedure_id", "assigned_to": "assigned_to_id"}.get(name, name)
        if key in data:
            fields[name] = data[key]
    if "procedure" in fields:
        pk = fields["procedure"]
        fields["procedure"] = selectors.public_procedure(unit, pk) if pk else None
        if pk and fields["procedure"] is None:
            raise exceptions.ValidationError({"procedure": "Not a procedure of this agency."})
    if "assigned_to" in fields:
        pk = fields["assigned_to"]
        fields["assigned_to"] = (
            selectors.assignable_users(unit).filter(pk=pk).first() if pk else None
        )
        if pk and fields["assigned_to"] is None:
            raise exceptions.ValidationError({"assigned_to": "Not a member of this agency."})
    return fields


class UnitComplaints(generics.ListCreateAPIView):
    serializer_class = ComplaintSerializer

    def _unit(self):
        return org.get_internal_unit(
            self.request.user, self.kwargs["unit_pk"], what="API: complaints"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("channel", str, enum=Channel.values),
            OpenApiParameter("overdue", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "unit_pk" in self.kwargs and self.request.user.is_authenticated:
            unit = org.get_visible_unit(self.request.user, self.kwargs["unit_pk"])
            context["personal"] = selectors.can_see_personal(self.request.user, unit)
        return context

    def get_queryset(self):
        params = self.request.query_params
        return selectors.complaints(
            self.request.user,
            self._unit(),
            query=params.get("q"),
            status=params.get("status"),
            channel=params.get("channel"),
            overdue=params.get("overdue") in ("1", "true"),
        )

    def create(self, request, *args, **kwargs):
        unit = self._unit()
        if not selectors.can_manage(request.user, unit):
            raise exceptions.PermissionDenied()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            complaint = services.create_complaint(
                request.user, unit, **_fields(unit, serializer.validated_data)
            )
        except ValidationError as exc:
            raise _validation(exc) from None
        return Response(self.get_serializer(complaint).data, status=status.HTTP_201_CREATED)


class ComplaintDetail(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ComplaintSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        complaint = selectors.get_complaint(
            self.request.user, self.kwargs["pk"], what="API: complaint"
        )
        self._personal = selectors.can_see_personal(self.request.user, complaint.unit)
        return complaint

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["personal"] = getattr(self, "_personal", False)
        return context

    def partial_update(self, request, *args, **kwargs):
        complaint = self.get_object()
        data = request.data
        try:
            with transaction.atomic():  # all the changes of one PATCH, or none
                if "response" in data:
                    services.answer_complaint(
                        request.user,
                        complaint,
                        response=data.get("response", ""),
                        responded_on=serializers.DateField(allow_null=True).to_internal_value(
                            data["responded_on"]
                        )
                        if data.get("responded_on")
                        else None,
                    )
                rest = {k: v for k, v in data.items() if k not in ("response", "responded_on")}
                if "status" in rest:
                    services.set_status(request.user, complaint, rest.pop("status"))
                if rest:
                    serializer = self.get_serializer(complaint, data=rest, partial=True)
                    serializer.is_valid(raise_exception=True)
                    fields = _fields(complaint.unit, serializer.validated_data)
                    services.update_complaint(request.user, complaint, **fields)
        except PermissionDenied:
            raise exceptions.PermissionDenied() from None
        except ValidationError as exc:
            raise _validation(exc) from None
        complaint.refresh_from_db()
        return Response(self.get_serializer(complaint).data)

    def destroy(self, request, *args, **kwargs):
        complaint = self.get_object()
        try:
            services.delete_complaint(request.user, complaint)
        except PermissionDenied:
            raise exceptions.PermissionDenied() from None
        return Response(status=status.HTTP_204_NO_CONTENT)
