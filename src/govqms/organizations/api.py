"""The REST API of agencies and people: thin views over the same selectors as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .serializers import MembershipSerializer, MeSerializer, UnitSerializer


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        user.oversight = selectors.is_oversight_user(user)
        data = MeSerializer(user, context={"memberships": selectors.active_memberships(user)}).data
        return Response(data)


class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Search (accents and đ folded)"),
            OpenApiParameter("kind", str),
            OpenApiParameter("active", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        qs = selectors.visible_units(self.request.user).search(params.get("q"))
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("active") in {"1", "true", "yes"}:
            qs = qs.active_on()
        return qs.order_by("path")


class UnitDetail(generics.RetrieveAPIView):
    serializer_class = UnitSerializer

    def get_object(self):
        return selectors.get_visible_unit(self.request.user, self.kwargs["pk"])


class UnitMemberships(generics.ListAPIView):
    serializer_class = MembershipSerializer

    def get_queryset(self):
        unit = selectors.get_internal_unit(
            self.request.user, self.kwargs["pk"], what="API: people and roles"
        )
        return selectors.unit_memberships(self.request.user, unit)


class MembershipList(generics.ListAPIView):
    serializer_class = MembershipSerializer

    def get_queryset(self):
        return selectors.visible_memberships(self.request.user).active_on().order_by("pk")
