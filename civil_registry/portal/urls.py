from django.urls import path

from civil_registry.portal import views

app_name = "civil_registry"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("verifikasi/<str:code>/", views.document_verify, name="verify"),
    path("<uuid:uuid>/", views.request_detail, name="detail"),
    path("<uuid:uuid>/ubah/", views.request_edit, name="edit"),
    path("<uuid:uuid>/batal/", views.request_cancel, name="cancel"),
    path("<uuid:uuid>/dokumen/", views.issued_document_download, name="issued-document"),
    path("<slug:type_slug>/baru/", views.request_create, name="create"),
]
