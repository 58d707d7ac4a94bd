from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/import/", views.agency_import, name="agency_import"),
    path("agencies/restructure/", views.agency_restructure, name="agency_restructure"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/audit/", views.agency_audit, name="agency_audit"),
    path("agencies/<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path(
        "agencies/<int:pk>/members/<int:membership_pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
]
