from django.urls import path

from . import views_notifications as views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
