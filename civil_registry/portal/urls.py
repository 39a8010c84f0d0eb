from django.urls import path

from civil_registry.portal import views

app_name = "civil_registry"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("akta-kelahiran/baru/", views.birth_request_create, name="birth-create"),
    path("<uuid:uuid>/", views.request_detail, name="detail"),
    path("<uuid:uuid>/revisi/", views.request_resubmit, name="resubmit"),
    path("<uuid:uuid>/batal/", views.request_cancel, name="cancel"),
    path("<uuid:uuid>/dokumen/", views.issued_document_download, name="issued-document"),
]
