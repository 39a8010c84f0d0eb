"""API routes of services.receipts, mounted under /api/v1/ by the project."""

from django.urls import path

from services.receipts.api import views

urlpatterns = [
    path("receipts/keys/", views.ReceiptPublicKeysView.as_view(), name="receipt-keys"),
    path("receipts/verify/<str:code>/", views.ReceiptVerifyView.as_view(), name="receipt-verify"),
    path("receipts/<uuid:uuid>/", views.ReceiptDetailView.as_view(), name="receipt-detail"),
    path("receipts/<uuid:uuid>/pdf/", views.ReceiptPdfView.as_view(), name="receipt-pdf"),
]
