"""API routes of services.receipts, mounted under /api/v1/ by the project."""

urlpatterns: list = []
