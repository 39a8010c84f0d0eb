from django.urls import path

from complaints.portal import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("baru/", views.complaint_new, name="new"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("lacak/", views.track, name="track"),
    path("titik-banjir/", views.hotspots, name="hotspots"),
    path("<uuid:uuid>/", views.complaint_detail, name="detail"),
    path("<uuid:uuid>/selesai/", views.complaint_action, {"action": "close"}, name="close"),
    path("<uuid:uuid>/belum-beres/", views.complaint_action, {"action": "reopen"}, name="reopen"),
    path("<uuid:uuid>/nilai/", views.complaint_action, {"action": "rate"}, name="rate"),
]
