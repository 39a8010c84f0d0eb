"""API routes of services.activity, mounted under /api/v1/ by the project."""

from django.urls import path

from services.activity.api import views

urlpatterns = [
    path("activity/", views.ActivityListView.as_view(), name="activity-list"),
]
