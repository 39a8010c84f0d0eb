from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from services.activity.selectors import activity_list_for
from services.catalog.selectors import catalog_home
from services.notifications.selectors import (
    notification_list_for,
    notification_unread_count_for,
)

HOME_ACTIVITY_ITEMS = 5
HOME_NOTIFICATIONS = 3


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front door: search the catalog, and for a signed-in citizen what they have
    going on and what is new for them."""
    context = {"catalog": catalog_home(language=get_language() or "id")}
    if request.user.is_authenticated:
        context.update(
            activity=list(activity_list_for(user=request.user)[:HOME_ACTIVITY_ITEMS]),
            notifications=list(notification_list_for(user=request.user)[:HOME_NOTIFICATIONS]),
            unread_count=notification_unread_count_for(user=request.user),
        )
    return render(request, "portal/home.html", context)
