from django.urls import path

from . import views

P = "agencies/<int:unit_pk>/nonconformities/"

urlpatterns = [
    path(P, views.nc_list, name="nc_list"),
    path(P + "export.xlsx", views.nc_export, name="nc_export"),
    path(P + "new/", views.nc_create, name="nc_create"),
    path(P + "<int:pk>/", views.nc_detail, name="nc_detail"),
    path(P + "<int:pk>/edit/", views.nc_edit, name="nc_edit"),
    path(P + "<int:pk>/correction/", views.nc_correction, name="nc_correction"),
    path(P + "<int:pk>/analysis/", views.nc_analysis, name="nc_analysis"),
    path(P + "<int:pk>/actions/", views.nc_action_add, name="nc_action_add"),
    path(
        P + "<int:pk>/actions/<int:action_pk>/done/",
        views.nc_action_done,
        name="nc_action_done",
    ),
    path(P + "<int:pk>/evaluate/", views.nc_evaluate, name="nc_evaluate"),
    path(P + "<int:pk>/close/", views.nc_close, name="nc_close"),
]
