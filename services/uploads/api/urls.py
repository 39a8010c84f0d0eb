"""API routes of services.uploads, mounted under /api/v1/ by the project."""

urlpatterns: list = []
