"""Portal pages of services.receipts (included in the ``portal`` namespace at the root)."""

from django.urls import path

from services.receipts.portal import views

urlpatterns = [
    path("verifikasi/", views.receipt_verify_form, name="receipt_verify_form"),
    path("verifikasi/<str:code>/", views.receipt_verify, name="receipt_verify"),
    path("bukti/<uuid:uuid>/", views.receipt_detail, name="receipt_detail"),
    path("bukti/<uuid:uuid>/pdf/", views.receipt_pdf, name="receipt_pdf"),
]
