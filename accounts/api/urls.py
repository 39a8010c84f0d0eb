from django.urls import path

from accounts.api import access_log_views, consent_views, household_views, views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/household/", household_views.MyHouseholdView.as_view(), name="me-household"),
    path("me/delegations/", household_views.MyDelegationListView.as_view(), name="me-delegations"),
    path(
        "me/delegations/<uuid:uuid>/revoke/",
        household_views.MyDelegationRevokeView.as_view(),
        name="me-delegation-revoke",
    ),
    path("me/on-behalf/", household_views.MyOnBehalfListView.as_view(), name="me-on-behalf"),
    path("me/can-act-for/", household_views.CanActForView.as_view(), name="me-can-act-for"),
    path("me/consents/", consent_views.MyConsentView.as_view(), name="me-consents"),
    path("me/access-log/", access_log_views.MyAccessLogView.as_view(), name="me-access-log"),
    path("consent-texts/", consent_views.ConsentTextListView.as_view(), name="consent-texts"),
]
