from django.urls import path

from health.portal import views

app_name = "health"

urlpatterns = [
    path("", views.facility_list, name="facility-list"),
    path("fasilitas/<uuid:uuid>/", views.facility_detail, name="facility-detail"),
    path("sesi/<uuid:uuid>/", views.session_detail, name="session-detail"),
    path("sesi/<uuid:uuid>/pesan/", views.session_book, name="session-book"),
    path("tiket/", views.ticket_list, name="ticket-list"),
    path("tiket/<uuid:uuid>/", views.ticket_detail, name="ticket-detail"),
    path("tiket/<uuid:uuid>/batal/", views.ticket_cancel, name="ticket-cancel"),
    path("layar/<uuid:uuid>/", views.display, name="display"),
    path("kunjungan/", views.visit_plan_new, name="visit-plan-new"),
    path("kunjungan/pesan/", views.visit_plan_book, name="visit-plan-book"),
    path("kunjungan/<uuid:uuid>/", views.visit_plan_detail, name="visit-plan-detail"),
    path(
        "kunjungan/<uuid:uuid>/langkah/<int:step>/batal/",
        views.visit_plan_step_cancel,
        name="visit-plan-step-cancel",
    ),
    path("kunjungan/<uuid:uuid>/rencana-ulang/", views.visit_plan_replan, name="visit-plan-replan"),
]
