"""The REST API of the oversight app, with the same permissions as the pages.

- `units/<unit_pk>/announcements/`: GET the agency's conformity announcements
  (members and overseers; 404 for other agencies); POST records one (head or ISO
  secretary; multipart with the signed PDF in `signed_file`).
- `units/<unit_pk>/lifecycle/`: the four steps of Decision 19/2014 (`year`).
- `units/<unit_pk>/signals/`: the agency's own formalism signals (`year`).
- `oversight/signals/`: the DoST: every agency of its subtree with its signals
  (`year`, `signal`, `q`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.organizations import selectors as org

from . import selectors, services
from . import signals as registry
from .models import ConformityAnnouncement

YEAR = OpenApiParameter("year", int, description="Calendar year (default: this year)")


class AnnouncementSerializer(serializers.ModelSerializer):
    procedures = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    has_signed_file = serializers.SerializerMethodField()

    class Meta:
        model = ConformityAnnouncement
        fields = [
            "id",
            "decision_number",
            "decision_date",
            "scope",
            "procedures",
            "procedure_count",
            "has_signed_file",
            "posted_at_office",
            "posted_url",
            "recorded_at",
        ]

    def get_has_signed_file(self, obj) -> bool:
        return bool(obj.signed_file)


class AnnouncementInputSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=100)
    decision_date = serializers.DateField()
    scope = serializers.CharField(required=False, allow_blank=True, default="")
    procedures = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    procedure_count = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    signed_file = serializers.FileField(required=False, allow_null=True)
    posted_at_office = serializers.BooleanField(required=False, default=False)
    posted_url = serializers.URLField(required=False, allow_blank=True, default="")


def _status_dict(st) -> dict:
    return {
        "status": st.status,
        "label": st.label,
        "current": st.current.pk if st.current else None,
        "reasons": [{"label": r["label"], "url": r["url"]} for r in st.reasons],
    }


class AnnouncementList(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what="API: conformity announcements")
        items = selectors.agency_announcements(request.user, unit)
        return Response(
            {
                "unit": unit.pk,
                "status": _status_dict(selectors.announcement_status(unit)),
                "results": AnnouncementSerializer(items, many=True).data,
            }
        )

    @extend_schema(request=AnnouncementInputSerializer, responses={201: AnnouncementSerializer})
    def post(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what="API: conformity announcements")
        body = AnnouncementInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        ann = _call(lambda: services.record_announcement(request.user, unit, **data))
        return Response(AnnouncementSerializer(ann).data, status=status.HTTP_201_CREATED)


def _signals_list(items) -> list[dict]:
    return [
        {
            "key": s.signal.key,
            "title": str(s.signal.title),
            "severity": s.signal.severity,
            "evidence": s.evidence,
        }
        for s in items
    ]


class UnitLifecycle(APIView):
    @extend_schema(parameters=[YEAR], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what="API: lifecycle")
        year = selectors.parse_year(request.query_params.get("year"))
        return Response(selectors.agency_lifecycle(request.user, unit, year).as_dict())


class UnitSignals(APIView):
    @extend_schema(parameters=[YEAR], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, unit_pk):
        unit = org.get_internal_unit(request.user, unit_pk, what="API: formalism signals")
        year = selectors.parse_year(request.query_params.get("year"))
        return Response(
            {
                "unit": unit.pk,
                "year": year,
                "signals": _signals_list(selectors.unit_signals(request.user, unit, year)),
            }
        )


class OversightSignals(APIView):
    @extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter("signal", str, enum=[s.key for s in registry._registry.values()]),
            OpenApiParameter("q", str, description="Agency name or code; accents folded"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not org.is_oversight_user(request.user):
            raise exceptions.PermissionDenied()
        params = request.query_params
        year = selectors.parse_year(params.get("year"))
        signal = params.get("signal") or None
        if signal and registry.get_signal(signal) is None:
            raise exceptions.ValidationError({"signal": ["Unknown signal."]})
        rows = selectors.subtree_signals(request.user, year, query=params.get("q"), signal=signal)
        return Response(
            {
                "year": year,
                "signals": [
                    {"key": s.key, "title": str(s.title), "severity": s.severity}
                    for s in registry.all_signals()
                ],
                "results": [
                    {
                        "unit": r.unit.pk,
                        "code": r.unit.code,
                        "name": r.unit.name,
                        "count": r.count,
                        "announcement": r.announcement.status if r.announcement else None,
                        "signals": _signals_list(r.signals),
                    }
                    for r in rows
                ],
            }
        )
