"""API routes of privacy, mounted under /api/v1/ beside the other "me" routes."""

from django.urls import path

from privacy.api import views

urlpatterns = [
    path("me/privacy/exports/", views.ExportListView.as_view(), name="privacy-exports"),
    path(
        "me/privacy/exports/<uuid:uuid>/",
        views.ExportDetailView.as_view(),
        name="privacy-export-detail",
    ),
    path(
        "me/privacy/exports/<uuid:uuid>/download/",
        views.ExportDownloadView.as_view(),
        name="privacy-export-download",
    ),
    path("me/privacy/corrections/", views.CorrectionListView.as_view(), name="privacy-corrections"),
    path(
        "me/privacy/corrections/<uuid:uuid>/",
        views.CorrectionDetailView.as_view(),
        name="privacy-correction-detail",
    ),
    path("me/privacy/erase/", views.ErasureView.as_view(), name="privacy-erase"),
]
