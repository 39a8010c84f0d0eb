"""The portal's own pages (each service module adds its pages under ``/layanan/<slug>/``)."""

from django.urls import include, path

from accounts.portal import views as account_views
from balikpapan_untuk_warga import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("profil/", account_views.profile, name="profile"),
    path("", include("services.catalog.portal.urls")),
    path("", include("services.receipts.portal.urls")),
]
