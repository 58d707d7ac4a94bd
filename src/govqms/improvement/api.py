"""The REST API of nonconformities and corrective actions: thin views over the same
selectors and services as the pages, with the same permissions.

- `units/<unit_pk>/nonconformities/`: list (members and overseers; 404 for other
  agencies; `status`, `source`, `grade`, `overdue`, `q` folded) and create (POST:
  head, ISO secretary, process owner).
- `units/<unit_pk>/nonconformities/<pk>/`: one nonconformity with its actions.
- `.../actions/` (POST): add an action; `.../actions/<action_pk>/done/` (POST): mark
  it done (its owner or a manager); `.../evaluate/` and `.../close/` (POST).
Service refusals answer 403 (role) or 400 (workflow rule, e.g. closing too early)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.documents.serializers import ErrorSerializer
from govqms.organizations import selectors as org

from . import selectors, services
from .models import CorrectiveAction, Grade, Nonconformity, Source, Status

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused by the rules of the workflow"),
    403: OpenApiResponse(ErrorSerializer, description="The caller's role may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or of another agency"),
}


# Sources whose nonconformities another app opens, keyed by its record's id.
LINKED_SOURCES = {Source.AUDIT_FINDING, Source.COMPLAINT, Source.MANAGEMENT_REVIEW}


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    state = serializers.CharField(source="status", read_only=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "text",
            "owner",
            "owner_name",
            "due_date",
            "state",
            "done_on",
            "evidence",
            "created_on",
        ]


class NonconformitySerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="status", read_only=True)
    source_kind = serializers.CharField(read_only=True)
    grade = serializers.CharField(read_only=True)
    process_code = serializers.CharField(source="process.code", read_only=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Nonconformity
        fields = [
            "id",
            "number",
            "title",
            "source_kind",
            "source_id",
            "source_label",
            "source_url",
            "clause",
            "process",
            "process_code",
            "grade",
            "state",
            "detected_on",
            "due_date",
            "effective",
            "closed_on",
            "url",
        ]

    def get_url(self, nc) -> str:
        return services.nc_url(nc)


class NonconformityDetailSerializer(NonconformitySerializer):
    actions = ActionSerializer(many=True, read_only=True)
    whys = serializers.JSONField(read_only=True)
    close_problems = serializers.SerializerMethodField()

    class Meta(NonconformitySerializer.Meta):
        fields = [
            *NonconformitySerializer.Meta.fields,
            "description",
            "correction",
            "correction_on",
            "whys",
            "root_cause",
            "evaluated_on",
            "evaluation_comment",
            "improvements",
            "actions",
            "close_problems",
        ]

    def get_close_problems(self, nc) -> list[str]:
        return [str(p) for p in services.close_problems(nc)]


class CreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    source_kind = serializers.CharField(
        default=Source.OTHER, help_text="One of: " + ", ".join(Source.values)
    )
    source_id = serializers.CharField(required=False, allow_blank=True, default="")
    source_label = serializers.CharField(required=False, allow_blank=True, default="")
    source_url = serializers.CharField(required=False, allow_blank=True, default="")
    clause = serializers.CharField(required=False, allow_blank=True, default="")
    process = serializers.IntegerField(required=False, allow_null=True, default=None)
    grade = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="major, minor or empty"
    )
    detected_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class AnalysisSerializer(serializers.Serializer):
    whys = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    root_cause = serializers.CharField()


class CorrectionSerializer(serializers.Serializer):
    correction = serializers.CharField()
    correction_on = serializers.DateField(required=False, allow_null=True, default=None)


class AddActionSerializer(serializers.Serializer):
    text = serializers.CharField()
    owner = serializers.CharField(help_text="The owner's username (a member of the agency).")
    due_date = serializers.DateField()


class DoneSerializer(serializers.Serializer):
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluateSerializer(serializers.Serializer):
    effective = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    improvements = serializers.CharField(required=False, allow_blank=True, default="")


def _unit(request, unit_pk, what):
    return org.get_internal_unit(request.user, unit_pk, what=what)


def _detail(request, unit, nc):
    """The nonconformity as it stands after a service changed it, read again."""
    nc = selectors.get_nonconformity(request.user, unit, nc.pk)
    return NonconformityDetailSerializer(nc).data


class NonconformityList(generics.ListCreateAPIView):
    serializer_class = NonconformitySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["not_closed", *Status.values]),
            OpenApiParameter("source", str, enum=Source.values),
            OpenApiParameter("grade", str, enum=[*Grade.values, "none"]),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str, description="Number, title; accents folded"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unit = _unit(self.request, self.kwargs["unit_pk"], "API: nonconformities")
        params = self.request.query_params
        return selectors.nonconformities(
            self.request.user,
            unit,
            status=params.get("status") or None,
            source=params.get("source") or None,
            grade=params.get("grade") or None,
            overdue=params.get("overdue") in ("1", "true", "on", "yes"),
            query=params.get("q"),
        )

    @extend_schema(
        summary="Open a nonconformity",
        request=CreateSerializer,
        responses={201: NonconformityDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk):
        unit = _unit(request, unit_pk, "API: open a nonconformity")
        body = CreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data["source_id"] and data["source_kind"] in LINKED_SOURCES:
            # Those are opened by their own app (idempotent on the key): a hand-made
            # one would stand in for the real finding, complaint or decision.
            raise exceptions.ValidationError(
                {"source_id": ["Nonconformities of this source are opened by their own record."]}
            )
        process_pk = data.pop("process")
        process = None
        if process_pk:
            process = selectors.process_choices(unit).filter(pk=process_pk).first()
            if process is None:
                raise exceptions.ValidationError({"process": ["No such document."]})
        nc = _call(
            lambda: services.open_nonconformity(request.user, unit=unit, process=process, **data)
        )
        return Response(_detail(request, unit, nc), status=status.HTTP_201_CREATED)


class NonconformityDetail(APIView):
    @extend_schema(responses={200: NonconformityDetailSerializer, **_ERRORS})
    def get(self, request, unit_pk, pk):
        unit = _unit(request, unit_pk, "API: nonconformity")
        nc = selectors.get_nonconformity(request.user, unit, pk)
        return Response(NonconformityDetailSerializer(nc).data)


class _Step(APIView):
    """One step of a nonconformity's handling: each subclass defines
    `act(request, nc, data)`, which calls the service for that step."""

    serializer = None
    what = "API: nonconformity"

    def post(self, request, unit_pk, pk):
        unit = _unit(request, unit_pk, self.what)
        nc = selectors.get_nonconformity(request.user, unit, pk)
        data = {}
        if self.serializer is not None:
            body = self.serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        _call(lambda: self.act(request, nc, data))
        return Response(_detail(request, unit, nc))


class NonconformityCorrection(_Step):
    serializer = CorrectionSerializer

    @extend_schema(
        summary="Record the correction done at once",
        request=CorrectionSerializer,
        responses={200: NonconformityDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return super().post(request, unit_pk, pk)

    def act(self, request, nc, data):
        services.record_correction(
            request.user, nc, text=data["correction"], done_on=data["correction_on"]
        )


class NonconformityAnalysis(_Step):
    serializer = AnalysisSerializer

    @extend_schema(
        summary="Record the root cause analysis (five whys)",
        request=AnalysisSerializer,
        responses={200: NonconformityDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return super().post(request, unit_pk, pk)

    def act(self, request, nc, data):
        services.record_analysis(request.user, nc, whys=data["whys"], root_cause=data["root_cause"])


class NonconformityAddAction(_Step):
    serializer = AddActionSerializer

    @extend_schema(
        summary="Add a corrective action",
        request=AddActionSerializer,
        responses={200: NonconformityDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return super().post(request, unit_pk, pk)

    def act(self, request, nc, data):
        owner = selectors.owner_choices(nc.unit).filter(username=data["owner"]).first()
        if owner is None:
            raise ValidationError({"owner": ["The owner must be a member of the agency."]})
        services.add_action(
            request.user, nc, text=data["text"], owner=owner, due_date=data["due_date"]
        )


class NonconformityEvaluate(_Step):
    serializer = EvaluateSerializer

    @extend_schema(
        summary="Evaluate the effectiveness of the actions",
        request=EvaluateSerializer,
        responses={200: NonconformityDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return super().post(request, unit_pk, pk)

    def act(self, request, nc, data):
        services.evaluate(
            request.user,
            nc,
            effective=data["effective"],
            comment=data["comment"],
            improvements=data["improvements"],
        )


class NonconformityClose(_Step):
    @extend_schema(
        summary="Close the nonconformity",
        description="Refused (400) until every action is done and the effectiveness "
        "was evaluated effective.",
        request=None,
        responses={200: NonconformityDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk):
        return super().post(request, unit_pk, pk)

    def act(self, request, nc, data):
        services.close(request.user, nc)


class ActionDone(APIView):
    @extend_schema(
        summary="Mark a corrective action done",
        description="Its owner, or a manager of the agency.",
        request=DoneSerializer,
        responses={200: NonconformityDetailSerializer, **_ERRORS},
    )
    def post(self, request, unit_pk, pk, action_pk):
        unit = _unit(request, unit_pk, "API: corrective action")
        action = selectors.get_action(request.user, unit, pk, action_pk)
        body = DoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _call(
            lambda: services.complete_action(
                request.user, action, evidence=body.validated_data["evidence"]
            )
        )
        return Response(_detail(request, unit, action.nonconformity))
