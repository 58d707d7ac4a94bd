"""The REST API of documented information: thin views over the same selectors and
services as the pages, with the same permissions.

Reads go through `selectors.documents` (404 for another agency's objects; overseers'
reads are logged for the agency); writes call `services.versions` and
`services.awareness`, whose PermissionDenied answers 403 and ValidationError 400."""

from django.db.models import F
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.response import Response
from rest_framework.views import APIView

from govqms.core.api import call_service as _call
from govqms.core.text import search_terms
from govqms.organizations import selectors as org

from .models import DocumentKind, LegalStatus
from .selectors import awareness as awareness_selectors
from .selectors import documents as docs
from .selectors import legal as legal_selectors
from .serializers import (
    AcknowledgementSerializer,
    DecideSerializer,
    DocumentSerializer,
    ErrorSerializer,
    LegalDocumentSerializer,
    SignOffSerializer,
    SubmitSerializer,
    VersionBriefSerializer,
    VersionDetailSerializer,
)
from .services import awareness, versions

_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused by the rules of the workflow"),
    403: OpenApiResponse(ErrorSerializer, description="The caller's role may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or of another agency"),
}


# ---------------------------------------------------------------- documents


class DocumentList(generics.ListAPIView):
    """Documents of the agencies the caller may see (an overseer: their subtree)."""

    serializer_class = DocumentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Only this agency's documents"),
            OpenApiParameter("kind", str, enum=DocumentKind.values),
            OpenApiParameter("q", str, description="Code, title or division; accents folded"),
        ],
        responses={200: DocumentSerializer(many=True), 404: _ERRORS[404]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user, params = self.request.user, self.request.query_params
        if params.get("unit"):
            unit = org.get_internal_unit(user, params["unit"], what="API: document register")
            qs = docs.register(user, unit, kind=params.get("kind"), query=params.get("q"))
        else:
            qs = docs.visible_documents(user)
            if params.get("kind"):
                qs = qs.filter(kind=params["kind"])
            for term in search_terms(params.get("q")):
                qs = qs.filter(search_text__contains=term)
        return docs.with_live_versions(qs.order_by("unit__code", "code", "pk"))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if not self.request.query_params.get("unit"):
            docs.log_list_read(
                self.request.user, (d.unit for d in page or []), "API: document register"
            )
        return page


class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = DocumentSerializer

    @extend_schema(responses={200: DocumentSerializer, 404: _ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return docs.get_document(self.request.user, self.kwargs["pk"], what="API: document")


class DocumentVersions(generics.ListAPIView):
    """Every issue of a document, newest first."""

    serializer_class = VersionBriefSerializer

    @extend_schema(responses={200: VersionBriefSerializer(many=True), 404: _ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        document = docs.get_document(
            self.request.user, self.kwargs["pk"], what="API: versions of a document"
        )
        return document.versions.order_by("-issue_no")


# ---------------------------------------------------------------- versions


class VersionDetail(generics.RetrieveAPIView):
    """A version with its structured content, its hash and its sign-offs."""

    serializer_class = VersionDetailSerializer

    @extend_schema(responses={200: VersionDetailSerializer, 404: _ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return docs.get_version(self.request.user, self.kwargs["pk"], what="API: version")


class VersionSignOffs(generics.ListAPIView):
    """The sign-offs of a version, oldest first; `counts` is false once the content
    has changed since."""

    serializer_class = SignOffSerializer

    @extend_schema(responses={200: SignOffSerializer(many=True), 404: _ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        version = docs.get_version(self.request.user, self.kwargs["pk"], what="API: sign-offs")
        return version.approvals.select_related("version").order_by("at", "pk")


def _version_response(request, version):
    version = docs.get_version(request.user, version.pk)
    return Response(VersionDetailSerializer(version, context={"request": request}).data)


class VersionSubmit(APIView):
    @extend_schema(
        summary="Send a draft for review",
        description="The author signs 'drafted' and the draft goes to the first step. "
        "Editors of the agency only (process owner, ISO secretary, head).",
        request=SubmitSerializer,
        responses={200: VersionDetailSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        version = docs.get_version(request.user, pk, what="API: submit for review")
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _call(
            lambda: versions.submit_for_review(
                request.user, version, comment=body.validated_data["comment"]
            )
        )
        return _version_response(request, version)


class VersionDecide(APIView):
    @extend_schema(
        summary="Sign the current review step, or return the draft",
        description="Only a holder of the role the current step names may decide; "
        "returning a draft needs a comment.",
        request=DecideSerializer,
        responses={200: VersionDetailSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        version = docs.get_version(request.user, pk, what="API: sign-off")
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _call(
            lambda: versions.decide(
                request.user,
                version,
                approve=body.validated_data["approve"],
                comment=body.validated_data["comment"],
            )
        )
        return _version_response(request, version)


class VersionAcknowledge(APIView):
    @extend_schema(
        summary="Confirm having read a version",
        description="The caller's own read task for this version; 404 if the caller "
        "has none. Confirming twice keeps the first time.",
        request=None,
        responses={200: AcknowledgementSerializer, **_ERRORS},
    )
    def post(self, request, pk):
        version = docs.get_version(request.user, pk, what="API: read confirmation")
        task = version.acknowledgements.filter(user=request.user).first()
        if task is None:
            raise exceptions.NotFound()
        task = _call(lambda: awareness.acknowledge(request.user, task))
        return Response(AcknowledgementSerializer(task).data)


# ---------------------------------------------------------------- read tasks


class AcknowledgementList(generics.ListAPIView):
    """The caller's own read tasks, unread first."""

    serializer_class = AcknowledgementSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "pending", OpenApiTypes.BOOL, description="Only unread tasks of versions in force"
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        if self.request.query_params.get("pending") in {"1", "true", "yes"}:
            return awareness_selectors.my_open_tasks(user)
        # The caller's own tasks, whatever agency: unread first, then the newest.
        return user.read_tasks.select_related("version__document__unit").order_by(
            F("acknowledged_at").desc(nulls_first=True), "-assigned_at", "pk"
        )


# ---------------------------------------------------------------- legal documents


class LegalDocumentList(generics.ListAPIView):
    """The shared register of legal documents (any signed-in user)."""

    serializer_class = LegalDocumentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Number, title or issuer; accents folded"),
            OpenApiParameter("status", str, enum=LegalStatus.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return legal_selectors.legal_documents(
            self.request.user, query=params.get("q"), status=params.get("status")
        )


class LegalDocumentDetail(generics.RetrieveAPIView):
    serializer_class = LegalDocumentSerializer

    def get_object(self):
        return legal_selectors.get_legal_document(self.request.user, self.kwargs["pk"])
