from django.urls import path

from applications.api import views

urlpatterns = [
    path("forms/", views.FormListView.as_view()),
    path("forms/<str:key>/", views.FormDetailView.as_view()),
    path("forms/<str:key>/validate/", views.FormValidateView.as_view()),
    path("applications/", views.ApplicationListView.as_view()),
    path("applications/<uuid:uuid>/", views.ApplicationDetailView.as_view()),
    path("applications/<uuid:uuid>/definition/", views.ApplicationDefinitionView.as_view()),
    path("applications/<uuid:uuid>/documents/", views.ApplicationDocumentView.as_view()),
    path("applications/<uuid:uuid>/submit/", views.ApplicationSubmitView.as_view()),
    path("applications/<uuid:uuid>/cancel/", views.ApplicationCancelView.as_view()),
    path("applications/<uuid:uuid>/history/", views.ApplicationHistoryView.as_view()),
    path("applications/<uuid:uuid>/output/", views.ApplicationOutputView.as_view()),
]
