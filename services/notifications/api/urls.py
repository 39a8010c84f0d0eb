"""API routes of services.notifications, mounted under /api/v1/ by the project."""

from django.urls import path

from services.notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/unread-count/",
        views.NotificationUnreadCountView.as_view(),
        name="notification-unread-count",
    ),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/preferences/",
        views.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/<uuid:uuid>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path("devices/", views.DeviceRegisterView.as_view(), name="device-register"),
    path("devices/<uuid:uuid>/", views.DeviceDetailView.as_view(), name="device-detail"),
]
