"""API routes of services.catalog, mounted under /api/v1/ by the project."""

urlpatterns: list = []
