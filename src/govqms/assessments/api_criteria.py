"""The REST API of criteria sets: thin views over criteria_selectors and the criteria
services, with the same permissions as the pages.

- `criteria-sets/`: the sets of the caller's oversight subtree (`year`, `status`);
  POST creates a draft (DoST administrators), from the default scheme or empty.
- `criteria-sets/<pk>/`: one set with its groups, criteria (rule and parameters) and
  rating bands.
- `criteria-sets/<pk>/publish/` (POST): publish (freeze) a draft.
- `criteria-sets/<pk>/copy/` (POST): copy a set into a new year's draft.
- `criteria-sets/<pk>/bands/` (POST): replace the rating bands of a draft.
- `criteria-sets/<pk>/criteria/<criterion_pk>/` (POST): change a criterion of a draft
  (the fields given).
- `criteria-sets/<pk>/import/` (POST, multipart): import a workbook into a draft.
Agency users get 403; a set of another province 404; a refusal of the services 403
(role) or 400 (for example a published set, which is frozen)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.documents.serializers import ErrorSerializer

from . import criteria as services
from . import criteria_selectors as selectors
from .criteria_xlsx import import_set
from .default_criteria import create_default_set
from .models import CriteriaGroup, CriteriaSet, Criterion, RatingBand

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused (for example a frozen set)"),
    403: OpenApiResponse(ErrorSerializer, description="The caller's role may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or of another province"),
}


class CriteriaCriterionSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.code", read_only=True)
    rule_label = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = [
            "id",
            "group",
            "order",
            "code",
            "text",
            "guidance",
            "evidence_expected",
            "max_points",
            "rule",
            "rule_label",
            "rule_params",
        ]

    def get_rule_label(self, c) -> str:
        words = selectors.rule_in_words(c)
        return words.label if words else ""


class CriteriaGroupSerializer(serializers.ModelSerializer):
    criteria = CriteriaCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriteriaGroup
        fields = ["id", "order", "code", "title", "criteria"]


class RatingBandSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_band_display", read_only=True)

    class Meta:
        model = RatingBand
        fields = ["band", "label", "min_points"]


class CriteriaSetSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    state = serializers.CharField(source="status", read_only=True)
    copied_from = serializers.PrimaryKeyRelatedField(read_only=True)
    criterion_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "owner",
            "owner_name",
            "year",
            "title",
            "legal_basis",
            "state",
            "copied_from",
            "published_at",
            "criterion_count",
        ]


class CriteriaSetDetailSerializer(CriteriaSetSerializer):
    groups = serializers.SerializerMethodField()
    bands = RatingBandSerializer(many=True, read_only=True)
    total_points = serializers.SerializerMethodField()
    publication_problems = serializers.SerializerMethodField()

    class Meta(CriteriaSetSerializer.Meta):
        fields = [
            *CriteriaSetSerializer.Meta.fields,
            "total_points",
            "groups",
            "bands",
            "publication_problems",
        ]

    @extend_schema_field(CriteriaGroupSerializer(many=True))
    def get_groups(self, cs) -> list[dict]:
        view = selectors.set_view(cs)
        return [
            {
                "id": g.group.pk,
                "order": g.group.order,
                "code": g.group.code,
                "title": g.group.title,
                "criteria": CriteriaCriterionSerializer(g.criteria, many=True).data,
            }
            for g in view.groups
        ]

    def get_total_points(self, cs) -> str:
        return str(Decimal(selectors.total_points(cs)).quantize(Decimal("0.01")))

    def get_publication_problems(self, cs) -> list[str]:
        return [] if cs.is_frozen else [str(p) for p in services.publication_problems(cs)]


class CriteriaSetCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    start = serializers.ChoiceField(
        choices=["default", "empty"],
        default="default",
        help_text="default: the 100-point default scheme; empty: only the default bands.",
    )
    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The owning unit's id (only for administrators of several units).",
    )


class CriteriaSetCopySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(required=False, allow_blank=True, default="")


def _detail(request, cs):
    return CriteriaSetDetailSerializer(selectors.get_criteria_set(request.user, cs.pk)).data


class CriteriaSetList(generics.ListAPIView):
    serializer_class = CriteriaSetSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("status", str, enum=CriteriaSet.Status.values),
        ],
        responses={200: CriteriaSetSerializer(many=True), 403: _ERRORS[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        selectors.require_oversight(self.request.user)
        params = self.request.query_params
        year = params.get("year")
        if year and not year.isdigit():
            raise exceptions.ValidationError({"year": ["Enter a year."]})
        status_ = params.get("status") or None
        if status_ and status_ not in CriteriaSet.Status.values:
            raise exceptions.ValidationError({"status": ["Unknown status."]})
        return selectors.criteria_sets(self.request.user, year=year or None, status=status_)

    @extend_schema(
        summary="Create a draft criteria set",
        request=CriteriaSetCreateSerializer,
        responses={201: CriteriaSetDetailSerializer, **_ERRORS},
    )
    def post(self, request):
        owners = selectors.owner_choices(request.user)
        if not owners:
            raise PermissionDenied
        body = CriteriaSetCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        owner = owners[0]
        if data["owner"] is not None:
            owner = next((o for o in owners if o.pk == data["owner"]), None)
            if owner is None:
                raise exceptions.ValidationError({"owner": ["You do not administer this unit."]})
        if data["start"] == "default":
            cs = _call(
                lambda: create_default_set(
                    request.user, owner=owner, year=data["year"], title=data["title"] or None
                )
            )
        else:
            cs = _call(
                lambda: services.create_set(
                    request.user, owner=owner, year=data["year"], title=data["title"]
                )
            )
        return Response(_detail(request, cs), status=status.HTTP_201_CREATED)


class CriteriaSetDetail(APIView):
    @extend_schema(responses={200: CriteriaSetDetailSerializer, **_ERRORS})
    def get(self, request, pk):
        cs = selectors.get_criteria_set(request.user, pk)
        return Response(CriteriaSetDetailSerializer(cs).data)


class CriteriaSetPublish(APIView):
    @extend_schema(
        summary="Publish (freeze) a draft criteria set",
        request=None,
        responses={200: CriteriaSetDetailSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        cs = selectors.get_managed_set(request.user, pk)
        _call(lambda: services.publish_set(request.user, cs))
        return Response(_detail(request, cs))


class CriteriaSetCopy(APIView):
    @extend_schema(
        summary="Copy a criteria set into a new year's draft",
        request=CriteriaSetCopySerializer,
        responses={201: CriteriaSetDetailSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        source = selectors.get_managed_set(request.user, pk)
        body = CriteriaSetCopySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        cs = _call(
            lambda: services.copy_set(request.user, source, data["year"], title=data["title"])
        )
        return Response(_detail(request, cs), status=status.HTTP_201_CREATED)


class RatingBandsInputSerializer(serializers.Serializer):
    excellent = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    good = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    fair = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    average = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    weak = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class CriteriaSetBands(APIView):
    @extend_schema(
        summary="Replace the rating bands of a draft set",
        description="The lower bound in points of each band used (a band left out or "
        "empty is not used); bounds fall strictly and the lowest band starts at 0.",
        request=RatingBandsInputSerializer,
        responses={200: CriteriaSetDetailSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        cs = selectors.get_managed_set(request.user, pk)
        body = RatingBandsInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bands = {k: v or None for k, v in body.validated_data.items()}
        _call(lambda: services.save_bands(request.user, cs, bands))
        return Response(_detail(request, cs))


class CriterionUpdateSerializer(serializers.Serializer):
    group = serializers.CharField(required=False, help_text="The code of a group of the set.")
    code = serializers.CharField(required=False)
    text = serializers.CharField(required=False)
    guidance = serializers.CharField(required=False, allow_blank=True)
    evidence_expected = serializers.CharField(required=False, allow_blank=True)
    max_points = serializers.CharField(required=False)
    order = serializers.IntegerField(required=False, min_value=0)
    rule = serializers.CharField(required=False, allow_blank=True)
    rule_params = serializers.JSONField(required=False)


class CriterionUpdate(APIView):
    @extend_schema(
        summary="Change a criterion of a draft set",
        description="Only the fields given change; the others keep their values.",
        request=CriterionUpdateSerializer,
        responses={200: CriteriaCriterionSerializer, **_ERRORS},
    )
    def post(self, request, pk, criterion_pk):
        cs = selectors.get_managed_set(request.user, pk)
        criterion = selectors.get_criterion(cs, criterion_pk)
        body = CriterionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        group = criterion.group
        if "group" in data:
            group = cs.groups.filter(code=data["group"]).first()
            if group is None:
                raise exceptions.ValidationError({"group": ["No group of this set has this code."]})
        rule = data.get("rule", criterion.rule)
        params = data.get("rule_params", criterion.rule_params if rule == criterion.rule else {})
        saved = _call(
            lambda: services.save_criterion(
                request.user,
                cs,
                criterion=criterion,
                group=group,
                code=data.get("code", criterion.code),
                text=data.get("text", criterion.text),
                guidance=data.get("guidance", criterion.guidance),
                evidence_expected=data.get("evidence_expected", criterion.evidence_expected),
                max_points=data.get("max_points", criterion.max_points),
                rule=rule,
                rule_params=params,
                order=data.get("order", criterion.order),
            )
        )
        return Response(CriteriaCriterionSerializer(selectors.get_criterion(cs, saved.pk)).data)


class CriteriaImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A workbook as exported from a criteria set.")


class CriteriaSetImport(APIView):
    @extend_schema(
        summary="Replace a draft set's groups, criteria and bands from a workbook",
        description="The whole file is checked first: with an error, nothing is "
        "imported and the answer (400) lists every error with its file, sheet, row and "
        "column. Importing the same file again changes nothing.",
        request={"multipart/form-data": CriteriaImportSerializer},
        responses={200: OpenApiResponse(description="The import result"), **_ERRORS},
    )
    def post(self, request, pk):
        cs = selectors.get_managed_set(request.user, pk)
        body = CriteriaImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        result = _call(
            lambda: import_set(request.user, cs, upload, file_name=getattr(upload, "name", ""))
        )
        data = result.as_dict() | {
            "deleted": result.deleted,
            "groups_changed": result.groups_changed,
            "bands_changed": result.bands_changed,
            "summary": result.summary(),
        }
        return Response(data, status=status.HTTP_200_OK if result.ok else 400)
