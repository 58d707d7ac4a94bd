"""The batch API a one-stop system pushes dossier evidence to.

    POST /api/dossiers/batches/    (token authentication)
    Idempotency-Key: <the sender's batch id>
    {"unit": "<agency code>",
     "dossiers": [{"code", "procedure_code", "channel", "received_at", "due_at",
                   "status", "resolved_at", "delivered_at", "division",
                   "events": [{"kind", "at", "step", "actor", "division",
                               "new_due_at"}]}],
     "lenient": false}

201 with the batch's counts; the same key again: 200 with the first batch's result,
nothing changed; 400 with the errors by dossier (row = its position, from 1) and
field when the batch is refused (nothing applied). The caller must hold the ISO
secretary or head role in the agency, or be a DoST administrator above it.
GET lists the batches of the agencies the caller may see (`?unit=<code>`: one)."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.organizations import selectors as org

from .models import ImportBatch
from .selectors import dossiers as sel
from .services import imports


class BatchSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "unit",
            "source",
            "filename",
            "status",
            "total",
            "processed",
            "dossiers_created",
            "dossiers_updated",
            "dossiers_unchanged",
            "events_created",
            "events_unchanged",
            "errors",
            "warnings",
            "created_at",
            "finished_at",
        ]


class DossierBatches(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("unit", str, description="Only this agency (its code)")],
        responses={200: BatchSerializer(many=True)},
    )
    def get(self, request):
        batches = sel.visible_batches(request.user, unit_code=request.query_params.get("unit"))
        batches = list(batches[:100])
        if org.is_oversight_user(request.user):
            for unit in {b.unit for b in batches}:
                org.log_oversight_read(request.user, unit, "API: dossier imports")
        return Response(BatchSerializer(batches, many=True).data)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)
        ],
        responses={
            201: BatchSerializer,
            200: OpenApiResponse(BatchSerializer, description="Replayed: the first result"),
            400: OpenApiResponse(BatchSerializer, description="Refused: nothing applied"),
        },
    )
    def post(self, request):
        unit = sel.get_unit_by_code(request.user, (request.data or {}).get("unit"))
        try:
            batch, result = imports.import_api_batch(
                request.user,
                unit,
                request.data,
                request.headers.get("Idempotency-Key", ""),
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise exceptions.ValidationError({"non_field_errors": exc.messages}) from exc
        data = BatchSerializer(batch).data
        if result is None:
            return Response(data, status=200)
        return Response(data, status=201 if result.ok else 400)
