"""The REST API of management reviews: thin views over the same selectors and
services as the pages, with the same permissions.

- `units/<unit_pk>/reviews/`: list (GET: `year`, `status`) and plan (POST; head and
  ISO secretary).
- `units/<unit_pk>/reviews/<pk>/`: one review.
- `units/<unit_pk>/reviews/<pk>/inputs/`: its inputs, live before the meeting is
  held and frozen afterwards (`frozen`, `at`).
- `units/<unit_pk>/reviews/<pk>/decisions/`: its decisions (GET) and a new one
  (POST; once held).
- `units/<unit_pk>/review-actions/`: the actions of every review (`status`);
  `units/<unit_pk>/review-actions/<pk>/`: one action (GET; PATCH by its owner, the
  head or the ISO secretary: `status`, `done_on`, `evidence`).
Other agencies get 404; overseers read, never write."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.organizations import selectors as org

from . import selectors, services
from .models import ActionStatus, DecisionKind, ManagementReview, ReviewDecision, ReviewStatus

WHAT = "API: management reviews"


def _one_of(choices):
    """Validate a request's choice without a second enum component: the names
    "kind" and "status" carry other choice sets in other apps, and the schema keeps
    each of these sets in one component (the response's)."""
    values = [value for value, _label in choices]

    def validate(value):
        if value not in values:
            raise serializers.ValidationError(f"one of {', '.join(values)}")
        return value

    return validate


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return obj.display_name


class ReviewSerializer(serializers.ModelSerializer):
    chair = PersonSerializer(read_only=True)
    secretary = PersonSerializer(read_only=True)
    attendees = PersonSerializer(many=True, read_only=True)
    frozen = serializers.BooleanField(source="is_frozen", read_only=True)

    class Meta:
        model = ManagementReview
        fields = [
            "id",
            "title",
            "planned_date",
            "held_at",
            "place",
            "chair",
            "secretary",
            "attendees",
            "guests",
            "period_start",
            "period_end",
            "status",
            "number",
            "external_providers",
            "resources",
            "comments",
            "frozen",
            "frozen_at",
            "minutes_issued_at",
        ]


class ReviewPlanSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    planned_date = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, default="")
    chair = serializers.IntegerField()
    attendees = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    guests = serializers.CharField(required=False, allow_blank=True, default="")
    period_start = serializers.DateField(required=False, allow_null=True, default=None)
    period_end = serializers.DateField(required=False, allow_null=True, default=None)
    external_providers = serializers.CharField(required=False, allow_blank=True, default="")
    resources = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)
    review = serializers.IntegerField(source="review_id", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ReviewDecision
        fields = [
            "id",
            "review",
            "kind",
            "text",
            "owner",
            "due_date",
            "status",
            "done_on",
            "evidence",
            "overdue",
            "nonconformity_id",
            "nonconformity_label",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class DecisionCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="improvement, qms_change or resource_need",
        validators=[_one_of(DecisionKind.choices)],
    )
    text = serializers.CharField()
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ActionUpdateSerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False, help_text="open or done", validators=[_one_of(ActionStatus.choices)]
    )
    done_on = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True)


def _person(user, unit, pk):
    if pk is None:
        return None
    person = selectors.members(user, unit).filter(pk=pk).first()
    if person is None:
        raise exceptions.ValidationError({"person": f"{pk} is not a member of the agency."})
    return person


class ReviewList(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("status", str, enum=ReviewStatus.values),
        ],
        responses={200: ReviewSerializer(many=True)},
    )
    def get(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        year = request.query_params.get("year")
        qs = selectors.reviews(
            request.user,
            unit,
            year=int(year) if (year or "").isdigit() else None,
            status=request.query_params.get("status") or None,
        ).prefetch_related("attendees")
        return Response(ReviewSerializer(qs, many=True).data)

    @extend_schema(request=ReviewPlanSerializer, responses={201: ReviewSerializer})
    def post(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        if not request.user.has_perm("reviews.manage", unit):
            raise exceptions.PermissionDenied()
        body = ReviewPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["chair"] = _person(request.user, unit, data["chair"])
        data["attendees"] = [_person(request.user, unit, pk) for pk in data["attendees"]]
        review = _call(lambda: services.plan_review(request.user, unit, **data))
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewDetail(APIView):
    @extend_schema(responses={200: ReviewSerializer})
    def get(self, request, unit_pk, pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        return Response(ReviewSerializer(selectors.get_review(request.user, unit, pk)).data)


class ReviewInputs(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, unit_pk, pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        review = selectors.get_review(request.user, unit, pk)
        data = selectors.review_inputs(request.user, review)
        return Response(
            {
                "review": review.pk,
                "frozen": data["frozen"],
                "at": data["at"].isoformat() if data["at"] else None,
                "period_start": review.period_start,
                "period_end": review.period_end,
                "inputs": data["inputs"],
            }
        )


class ReviewDecisions(APIView):
    @extend_schema(responses={200: DecisionSerializer(many=True)})
    def get(self, request, unit_pk, pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        review = selectors.get_review(request.user, unit, pk)
        return Response(
            DecisionSerializer(selectors.decisions(request.user, review), many=True).data
        )

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer})
    def post(self, request, unit_pk, pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        review = selectors.get_review(request.user, unit, pk)
        if not request.user.has_perm("reviews.manage", unit):
            raise exceptions.PermissionDenied()
        body = DecisionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["owner"] = _person(request.user, unit, data["owner"])
        decision = _call(lambda: services.add_decision(request.user, review, **data))
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class ActionList(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ActionStatus.values)],
        responses={200: DecisionSerializer(many=True)},
    )
    def get(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        qs = selectors.actions(
            request.user, unit, status=request.query_params.get("status") or None
        )
        return Response(DecisionSerializer(qs, many=True).data)


class ActionDetail(APIView):
    @extend_schema(responses={200: DecisionSerializer})
    def get(self, request, unit_pk, pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        return Response(DecisionSerializer(selectors.get_decision(request.user, unit, pk)).data)

    @extend_schema(request=ActionUpdateSerializer, responses={200: DecisionSerializer})
    def patch(self, request, unit_pk, pk):
        unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
        decision = selectors.get_decision(request.user, unit, pk)
        body = ActionUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        decision = _call(
            lambda: services.update_action(request.user, decision, **body.validated_data)
        )
        return Response(DecisionSerializer(decision).data)
