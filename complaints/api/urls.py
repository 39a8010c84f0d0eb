from django.urls import path

from complaints.api import views

urlpatterns = [
    path("complaints/", views.ComplaintListView.as_view()),
    path("complaints/nearby/", views.ComplaintNearbyView.as_view()),
    path("photo-location/", views.ComplaintPhotoLocationView.as_view()),
    path("complaints/<uuid:uuid>/", views.ComplaintDetailView.as_view()),
    path("complaints/<uuid:uuid>/triage/", views.ComplaintTriageView.as_view()),
    path("complaints/<uuid:uuid>/reroute/", views.ComplaintRerouteView.as_view()),
    path("complaints/<uuid:uuid>/outside-answer/", views.ComplaintOutsideAnswerView.as_view()),
    path("complaints/<uuid:uuid>/notes/", views.ComplaintInternalNoteListView.as_view()),
    path("complaints/<uuid:uuid>/start/", views.ComplaintStartView.as_view()),
    path("complaints/<uuid:uuid>/ask-information/", views.ComplaintAskInformationView.as_view()),
    path(
        "complaints/<uuid:uuid>/provide-information/",
        views.ComplaintProvideInformationView.as_view(),
    ),
    path("complaints/<uuid:uuid>/resolve/", views.ComplaintResolveView.as_view()),
    path("complaints/<uuid:uuid>/reopen/", views.ComplaintReopenView.as_view()),
    path("complaints/<uuid:uuid>/close/", views.ComplaintCloseView.as_view()),
    path("complaints/<uuid:uuid>/reject/", views.ComplaintRejectView.as_view()),
    path("complaints/<uuid:uuid>/merge/", views.ComplaintMergeView.as_view()),
    path("complaints/<uuid:uuid>/rate/", views.ComplaintRateView.as_view()),
    path("categories/", views.ComplaintCategoryListView.as_view()),
    path("outside-bodies/", views.ComplaintOutsideBodyListView.as_view()),
    path("public/complaints/<str:tracking_number>/", views.ComplaintPublicDetailView.as_view()),
    path("public/complaints/<str:tracking_number>/support/", views.ComplaintSupportView.as_view()),
    path(
        "public/complaints/<str:tracking_number>/not-fixed/", views.ComplaintNotFixedView.as_view()
    ),
    path("public/complaints/", views.ComplaintPublicListView.as_view()),
    path("public/export/", views.ComplaintExportView.as_view()),
    path("public/photos/<uuid:uuid>/", views.ComplaintPublicPhotoView.as_view()),
    path("public/hotspots/", views.ComplaintHotspotsView.as_view()),
    path("public/dashboard/", views.ComplaintDashboardView.as_view()),
]
