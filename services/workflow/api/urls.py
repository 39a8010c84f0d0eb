"""API routes of services.workflow, mounted under /api/v1/ by the project."""

urlpatterns: list = []
