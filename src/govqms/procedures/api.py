"""The REST API of the TTHC catalogue and of an agency's internal processes: thin
views over the same selectors as the pages, with the same permissions.

- `procedures/`: the catalogue (anyone signed in; `q` folded, `field`, `level`,
  `online_level`); `procedures/<pk>/`: one TTHC with its history.
- `units/<unit_pk>/processes/`: the agency's internal processes in the export's JSON
  format (`govqms.internal-processes/1`), for a one-stop system to configure from
  (members and overseers; 404 for other agencies)."""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.organizations import selectors as org

from . import exports, selectors
from .models import AdministrativeProcedure, OnlineLevel, ProcedureLevel, ProcedureRevision


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureRevision
        fields = ["changed_at", "announced_by", "announced_on", "changes", "source"]


class ProcedureSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeProcedure
        fields = [
            "id",
            "code",
            "name",
            "field",
            "level",
            "time_limit_days",
            "fees",
            "online_level",
            "legal_basis",
            "announced_by",
            "announced_on",
            "abolished_on",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "revisions"]


class ProcedureList(generics.ListAPIView):
    serializer_class = ProcedureSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Code or name; accents folded"),
            OpenApiParameter("field", str),
            OpenApiParameter("level", str, enum=ProcedureLevel.values),
            OpenApiParameter("online_level", str, enum=OnlineLevel.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.catalogue(
            self.request.user,
            query=params.get("q"),
            field=params.get("field"),
            level=params.get("level"),
            online_level=params.get("online_level"),
        )


class ProcedureDetail(generics.RetrieveAPIView):
    serializer_class = ProcedureDetailSerializer

    def get_object(self):
        return selectors.get_procedure(self.request.user, self.kwargs["pk"])


class UnitProcesses(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what="API: internal processes")
        rows = selectors.assignment_rows(selectors.agency_assignments(request.user, unit))
        return Response(json.loads(exports.processes_json(unit, rows)))
