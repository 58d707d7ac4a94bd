"""Routes of distribution and awareness (read tasks) and the periodic review."""

from django.urls import path

from . import views_awareness as views

urlpatterns = [
    path("my/reading/", views.my_reading, name="my_reading"),
    path("my/reading/<int:pk>/read/", views.acknowledge, name="reading_acknowledge"),
    path("versions/<int:pk>/reading/", views.version_reading, name="version_reading"),
    path("versions/<int:pk>/reading/remind/", views.version_remind, name="version_remind"),
    path("agencies/<int:unit_pk>/reviews/", views.agency_reviews, name="agency_reviews"),
    path("documents/<int:pk>/reviewed/", views.document_reviewed, name="document_reviewed"),
    path("oversight/reviews/", views.oversight_reviews, name="oversight_reviews"),
]
