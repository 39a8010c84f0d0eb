"""API routes of services.notifications, mounted under /api/v1/ by the project."""

urlpatterns: list = []
