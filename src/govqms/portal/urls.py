from django.urls import path

from . import views

urlpatterns = [path("", views.agency_directory, name="portal_agencies")]
