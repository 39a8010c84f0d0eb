"""API routes of services.catalog, mounted under /api/v1/ by the project."""

from django.urls import path

from services.catalog.api import views

urlpatterns = [
    path("catalog/home/", views.HomeView.as_view(), name="catalog-home"),
    path("catalog/services/", views.ServiceListView.as_view(), name="catalog-service-list"),
    path(
        "catalog/services/<slug:slug>/",
        views.ServiceDetailView.as_view(),
        name="catalog-service-detail",
    ),
    path("catalog/categories/", views.CategoryListView.as_view(), name="catalog-category-list"),
    path("catalog/life-events/", views.LifeEventListView.as_view(), name="catalog-life-event-list"),
    path(
        "catalog/life-events/<slug:slug>/",
        views.LifeEventDetailView.as_view(),
        name="catalog-life-event-detail",
    ),
]
