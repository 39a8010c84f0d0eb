"""API routes of services.activity, mounted under /api/v1/ by the project."""

urlpatterns: list = []
