"""API routes of services.uploads, mounted under /api/v1/ by the project."""

from django.urls import path

from services.uploads.api import views

urlpatterns = [
    path("documents/", views.DocumentUploadView.as_view(), name="document-upload"),
    path("documents/<uuid:uuid>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path(
        "documents/<uuid:uuid>/download/",
        views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
]
