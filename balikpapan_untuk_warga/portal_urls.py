"""The portal's own pages (each service module adds its pages under ``/layanan/<slug>/``)."""

from django.urls import include, path

from accounts.portal import consent_views as account_consent_views
from accounts.portal import views as account_views
from balikpapan_untuk_warga import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("profil/", account_views.profile, name="profile"),
    path("", include("privacy.portal.urls")),
    path("profil/persetujuan/", account_consent_views.consents, name="consents"),
    path("profil/akses-data/", account_consent_views.access_log, name="access-log"),
    path("", include("services.catalog.portal.urls")),
    path("", include("services.receipts.portal.urls")),
]
