from django.urls import path

from . import views_render

urlpatterns = [
    path("versions/<int:pk>/docx/", views_render.version_docx, name="version_docx"),
    path("versions/<int:pk>/pdf/", views_render.version_pdf, name="version_pdf"),
    path("versions/<int:pk>/print/", views_render.version_print, name="version_print"),
]
