"""Portal pages of services.catalog. ``/layanan/<module slug>/`` belongs to the service modules,
so the catalog's own pages live under ``/layanan/katalog/`` (``katalog`` is not a module slug)."""

from django.urls import path

from services.catalog.portal import views

urlpatterns = [
    path("layanan/", views.service_list, name="catalog-list"),
    path("layanan/katalog/<slug:slug>/", views.service_detail, name="catalog-service"),
    path("peristiwa/<slug:slug>/", views.life_event_detail, name="catalog-life-event"),
]
