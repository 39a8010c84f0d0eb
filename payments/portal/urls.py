from django.urls import path

from payments.portal import views

app_name = "payments"

urlpatterns = [
    path("", views.bill_list, name="list"),
    path("tagihan/<uuid:uuid>/", views.bill_detail, name="bill"),
    path("pembayaran/<uuid:uuid>/", views.payment_detail, name="payment"),
    path("pembayaran/<uuid:uuid>/qr.png", views.payment_qr_png, name="payment_qr_png"),
    path("pembayaran/<uuid:uuid>/simulasi/", views.payment_simulate, name="payment_simulate"),
]
