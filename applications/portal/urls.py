from django.urls import path

from applications.portal import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("ajukan/<slug:code>/", views.application_apply, name="apply"),
    path("<uuid:uuid>/", views.application_detail, name="detail"),
    path("<uuid:uuid>/ubah/", views.application_edit, name="edit"),
    path("<uuid:uuid>/batal/", views.application_cancel, name="cancel"),
    path("<uuid:uuid>/hasil/", views.application_output, name="output"),
]
