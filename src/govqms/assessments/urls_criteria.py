from django.urls import path

from . import criteria_views as views

P = "oversight/criteria/"
S = P + "<int:pk>/"

urlpatterns = [
    path(P, views.criteria_set_list, name="criteria_set_list"),
    path(P + "new/", views.criteria_set_create, name="criteria_set_create"),
    path(S, views.criteria_set_detail, name="criteria_set_detail"),
    path(S + "edit/", views.criteria_set_edit, name="criteria_set_edit"),
    path(S + "copy/", views.criteria_set_copy, name="criteria_set_copy"),
    path(S + "bands/", views.criteria_bands_edit, name="criteria_bands_edit"),
    path(S + "publish/", views.criteria_set_publish, name="criteria_set_publish"),
    path(S + "history/", views.criteria_set_history, name="criteria_set_history"),
    path(S + "export.xlsx", views.criteria_set_export, name="criteria_set_export"),
    path(S + "import/", views.criteria_set_import, name="criteria_set_import"),
    path(S + "groups/new/", views.criteria_group_create, name="criteria_group_create"),
    path(S + "groups/<int:group_pk>/edit/", views.criteria_group_edit, name="criteria_group_edit"),
    path(
        S + "groups/<int:group_pk>/delete/",
        views.criteria_group_delete,
        name="criteria_group_delete",
    ),
    path(S + "criteria/new/", views.criterion_create, name="criterion_create"),
    path(S + "criteria/<int:criterion_pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path(
        S + "criteria/<int:criterion_pk>/delete/",
        views.criterion_delete,
        name="criterion_delete",
    ),
]
