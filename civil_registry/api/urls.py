from django.urls import path

from civil_registry.api import views

urlpatterns = [
    path("types/", views.RequestTypeListView.as_view()),
    path("requests/", views.RequestListView.as_view()),
    path("requests/<uuid:uuid>/", views.RequestDetailView.as_view()),
    path("requests/<uuid:uuid>/documents/", views.RequestDocumentView.as_view()),
    path("requests/<uuid:uuid>/submit/", views.RequestSubmitView.as_view()),
    path("requests/<uuid:uuid>/cancel/", views.RequestCancelView.as_view()),
    path("requests/<uuid:uuid>/history/", views.RequestHistoryView.as_view()),
    path("requests/<uuid:uuid>/issued-document/", views.IssuedDocumentView.as_view()),
    path("verify/<str:code>/", views.VerificationView.as_view()),
]
