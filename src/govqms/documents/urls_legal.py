from django.urls import path

from . import views_legal as views

urlpatterns = [
    path("legal/", views.legal_list, name="legal_list"),
    path("legal/new/", views.legal_create, name="legal_create"),
    path("legal/<int:pk>/", views.legal_detail, name="legal_detail"),
    path("legal/<int:pk>/edit/", views.legal_edit, name="legal_edit"),
    path("agencies/<int:unit_pk>/update-tasks/", views.update_task_list, name="update_task_list"),
]
