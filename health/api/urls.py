from django.urls import path

from health.api import views

urlpatterns = [
    path("facilities/", views.FacilityListView.as_view()),
    path("sessions/", views.SessionListView.as_view()),
    path("sessions/<uuid:uuid>/", views.SessionDetailView.as_view()),
    path("sessions/<uuid:uuid>/now-serving/", views.NowServingView.as_view()),
    path("tickets/", views.TicketListView.as_view()),
    path("tickets/<uuid:uuid>/", views.TicketDetailView.as_view()),
    path("tickets/<uuid:uuid>/cancel/", views.TicketCancelView.as_view()),
    path("visit-plans/", views.VisitPlanCreateView.as_view()),
    path("visit-plans/propose/", views.VisitPlanProposeView.as_view()),
    path("visit-plans/<uuid:uuid>/", views.VisitPlanDetailView.as_view()),
    path("visit-plans/<uuid:uuid>/replan/", views.VisitPlanReplanView.as_view()),
    path("staff/sessions/", views.StaffSessionListView.as_view()),
    path("staff/sessions/<uuid:uuid>/tickets/", views.StaffSessionTicketsView.as_view()),
    path("staff/sessions/<uuid:uuid>/call-next/", views.StaffCallNextView.as_view()),
    path("staff/sessions/<uuid:uuid>/walk-in/", views.StaffWalkInView.as_view()),
    path("staff/sessions/<uuid:uuid>/quota/", views.StaffQuotaView.as_view()),
    path("staff/sessions/<uuid:uuid>/close/", views.StaffCloseView.as_view()),
    path("staff/tickets/", views.StaffTicketSearchView.as_view()),
    path("staff/check-in/", views.StaffScanCheckInView.as_view()),
    path("staff/tickets/<uuid:uuid>/check-in/", views.StaffCheckInView.as_view()),
    path("staff/tickets/<uuid:uuid>/serve/", views.StaffServeView.as_view()),
    path("staff/tickets/<uuid:uuid>/recall/", views.StaffRecallView.as_view()),
]
