"""The REST API of the provincial reports, with the same permissions as the pages.

- `oversight/reports/`: GET the reports issued by the caller's province (oversight
  users; `year`, `owner`), each with the figures it printed; `?download=<id>&as=docx|pdf`
  returns an issued report's file. POST issues a report (DoST administrators of the
  owner): kind, year, number, issued_on, place, issuer, signer_name, signer_title and
  optionally authority, addressee, recipients (one per line), remarks.
- `oversight/reports/results/`: the year's figures and every agency's scores, band
  and rank (what the PAR index spreadsheet holds)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service

from . import provincial_reports as P
from . import report_selectors, report_services
from .models import IssuedReport
from .report_views import issued_file_response
from .selectors import parse_year

YEAR = OpenApiParameter("year", int, description="Calendar year (default: the latest)")
OWNER = OpenApiParameter("owner", int, description="Oversight root (default: the first)")


KIND_HELP = "dost_to_province (November) or province_to_ministry (December)"


class IssuedReportSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name", read_only=True)
    # A plain string: "kind" enums of other apps would collide in the schema.
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    recipients = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = IssuedReport
        fields = [
            "id",
            "owner",
            "kind",
            "year",
            *IssuedReport.HEADER_FIELDS,
            "summary",
            "docx_sha256",
            "pdf_sha256",
            "docx_url",
            "pdf_url",
            "created_at",
        ]

    def get_recipients(self, obj) -> list[str]:
        return obj.recipient_list()

    def _url(self, obj, fmt):
        request = self.context.get("request")
        path = f"{request.path if request else ''}?download={obj.pk}&as={fmt}"
        return request.build_absolute_uri(path) if request else path

    def get_docx_url(self, obj) -> str:
        return self._url(obj, "docx")

    def get_pdf_url(self, obj) -> str:
        return self._url(obj, "pdf")


class IssueInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=30, help_text=KIND_HELP)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    place = serializers.CharField(max_length=100)
    issuer = serializers.CharField(max_length=200)
    signer_name = serializers.CharField(max_length=200)
    signer_title = serializers.CharField(max_length=300)
    authority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    addressee = serializers.CharField(max_length=300, required=False, allow_blank=True)
    recipients = serializers.CharField(required=False, allow_blank=True)
    remarks = serializers.CharField(required=False, allow_blank=True)

    def validate_kind(self, value):
        if value not in IssuedReport.Kind.values:
            raise serializers.ValidationError(KIND_HELP)
        return value


def _owner(request):
    return report_selectors.oversight_owner(request.user, request.query_params.get("owner"))


class IssuedReportList(APIView):
    @extend_schema(
        parameters=[
            YEAR,
            OWNER,
            OpenApiParameter("download", int, description="Id of a report: its file"),
            OpenApiParameter("as", str, enum=["docx", "pdf"]),
        ],
        responses=IssuedReportSerializer(many=True),
    )
    def get(self, request):
        owner = _owner(request)
        if request.query_params.get("download"):
            return issued_file_response(
                request, request.query_params["download"], request.query_params.get("as")
            )
        qs = report_selectors.visible_reports(request.user).filter(owner=owner)
        if request.query_params.get("year"):
            qs = qs.filter(year=parse_year(request.query_params["year"]))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        data = IssuedReportSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        parameters=[OWNER], request=IssueInputSerializer, responses=IssuedReportSerializer
    )
    def post(self, request):
        owner = _owner(request)
        if not report_services.can_issue(request.user, owner):
            raise exceptions.PermissionDenied()
        payload = IssueInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = call_service(
            lambda: report_services.issue_report(
                request.user, owner=owner, **payload.validated_data
            )
        )
        return Response(
            IssuedReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class YearResults(APIView):
    @extend_schema(parameters=[YEAR, OWNER], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        owner = _owner(request)
        years = report_selectors.report_years(request.user, owner)
        year = parse_year(request.query_params.get("year"), years[0] if years else None)
        data = P.year_data(request.user, year, owner=owner)
        keys = ["no", "code", "name", "kind", "parent"]
        keys += ["self_total", "appraised_total", "final_total", "band_label", "rank"]
        rows = []
        for row, r in zip(P.par_rows(data), data.rows, strict=True):
            item = dict(zip(keys, row, strict=True))
            item["band"] = r.band
            item["status"] = r.assessment.status
            rows.append(item)
        return Response(
            {
                "owner": owner.name,
                "year": year,
                "campaign": data.campaign.pk if data.campaign else None,
                "figures": P.summary(data),
                "results": rows,
            }
        )
