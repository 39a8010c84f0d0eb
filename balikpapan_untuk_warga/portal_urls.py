"""The portal's own pages (each service module adds its pages under ``/layanan/<slug>/``)."""

from django.urls import include, path

from accounts.portal import views as account_views
from balikpapan_untuk_warga import views
from services import registry

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("profil/", account_views.profile, name="profile"),
    path("", include("services.catalog.portal.urls")),
    path("", include("services.receipts.portal.urls")),
]
urlpatterns += [
    path(f"layanan/{module.slug}/", include(module.portal_urlconf))
    for module in registry.modules()
    if module.portal_urlconf
]
