"""Routes of the model framework (mô hình khung): the DoST's console and the agency's side."""

from django.urls import path

from . import views_framework as views

urlpatterns = [
    # The DoST's console (administrators of the publisher).
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/new/", views.framework_create, name="framework_create"),
    path("frameworks/adoption/", views.framework_adoption, name="framework_adoption"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<int:pk>/versions/new/",
        views.framework_version_create,
        name="framework_version_create",
    ),
    path(
        "framework-versions/<int:pk>/publish/",
        views.framework_version_publish,
        name="framework_version_publish",
    ),
    path(
        "framework-versions/<int:pk>/templates/new/",
        views.framework_template_create,
        name="framework_template_create",
    ),
    path(
        "framework-templates/<int:pk>/",
        views.framework_template_admin,
        name="framework_template_admin",
    ),
    path(
        "framework-templates/<int:pk>/edit/",
        views.framework_template_edit,
        name="framework_template_edit",
    ),
    path(
        "framework-templates/<int:pk>/delete/",
        views.framework_template_delete,
        name="framework_template_delete",
    ),
    # An agency's side.
    path("agencies/<int:unit_pk>/framework/", views.framework_agency, name="framework_agency"),
    path(
        "agencies/<int:unit_pk>/framework/templates/<int:pk>/",
        views.framework_template,
        name="framework_template",
    ),
    path(
        "agencies/<int:unit_pk>/framework/templates/<int:pk>/adopt/",
        views.framework_adopt,
        name="framework_adopt",
    ),
    path(
        "agencies/<int:unit_pk>/framework/versions/<int:pk>/adopt-all/",
        views.framework_adopt_all,
        name="framework_adopt_all",
    ),
    path("agencies/<int:unit_pk>/framework/drift/", views.framework_drift, name="framework_drift"),
    path(
        "agencies/<int:unit_pk>/framework/drift/<int:pk>/",
        views.framework_drift_detail,
        name="framework_drift_detail",
    ),
    path(
        "agencies/<int:unit_pk>/framework/updates/<int:pk>/",
        views.framework_update,
        name="framework_update",
    ),
    path(
        "agencies/<int:unit_pk>/framework/updates/<int:pk>/merge/",
        views.framework_merge,
        name="framework_merge",
    ),
]
