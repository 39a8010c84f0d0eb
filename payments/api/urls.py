from django.urls import path

from payments.api import views

urlpatterns = [
    path("bills/", views.BillListView.as_view()),
    path("bills/<uuid:uuid>/", views.BillDetailView.as_view()),
    path("bills/<uuid:uuid>/payments/", views.BillPaymentCreateView.as_view()),
    path("payments/", views.PaymentListView.as_view()),
    path("payments/<uuid:uuid>/", views.PaymentDetailView.as_view()),
    path("properties/", views.PropertyListView.as_view()),
    path("lookup/", views.LookupView.as_view()),
    path("webhooks/<str:provider>/", views.WebhookView.as_view()),
]
