from django.urls import path

from accounts.api import household_views, views

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
]
