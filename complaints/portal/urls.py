from django.urls import path

from complaints.portal import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("baru/", views.complaint_new, name="new"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("<uuid:uuid>/", views.complaint_detail, name="detail"),
]
