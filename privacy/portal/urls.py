"""Portal pages of privacy, under the citizen's profile (included in the ``portal`` namespace)."""

from django.urls import path

from privacy.portal import views

urlpatterns = [
    path("profil/data-pribadi/", views.overview, name="privacy"),
    path("profil/data-pribadi/ekspor/", views.export_create, name="privacy-export-create"),
    path(
        "profil/data-pribadi/ekspor/<uuid:uuid>/unduh/",
        views.export_download,
        name="privacy-export-download",
    ),
    path("profil/data-pribadi/koreksi/", views.correction_create, name="privacy-correction"),
    path("profil/hapus-akun/", views.erase, name="privacy-erase"),
]
