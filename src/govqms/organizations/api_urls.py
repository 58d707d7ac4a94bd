from django.urls import path

from . import api
from .auth_views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("units/", api.UnitList.as_view(), name="api-unit-list"),
    path("units/<int:pk>/", api.UnitDetail.as_view(), name="api-unit-detail"),
    path("units/<int:pk>/memberships/", api.UnitMemberships.as_view(), name="api-unit-memberships"),
    path("memberships/", api.MembershipList.as_view(), name="api-membership-list"),
]
