"""Portal pages: thin views over the same selectors and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import HouseholdMember
from balikpapan_untuk_warga.api.errors import ApplicationError
from health import selectors, services
from health.models import Ticket
from health.portal.forms import BookForm, NearForm


def facility_list(request: HttpRequest) -> HttpResponse:
    form = NearForm(request.GET or None)
    point = form.cleaned_data if form.is_valid() else {}
    facilities = selectors.facility_list(
        latitude=point.get("latitude"), longitude=point.get("longitude")
    )
    return render(request, "health/facility_list.html", {"form": form, "facilities": facilities})


def facility_detail(request: HttpRequest, uuid) -> HttpResponse:
    facility = selectors.facility_get(uuid=uuid)
    if facility is None:
        raise Http404
    sessions = selectors.session_list_public(facility_uuid=uuid)[:60]
    return render(
        request, "health/facility_detail.html", {"facility": facility, "sessions": sessions}
    )


def _session(uuid):
    session = selectors.session_get_public(uuid=uuid)
    if session is None:
        raise Http404
    return session


def session_detail(request: HttpRequest, uuid) -> HttpResponse:
    """The public page of a session: its quota, how many places are left, and every change of its
    quota or opening (who, when, from, to, why)."""
    session = _session(uuid)
    form = None
    if request.user.is_authenticated:
        form = BookForm(members=_members(request.user))
    return render(
        request,
        "health/session_detail.html",
        {
            "session": session,
            "changes": selectors.session_changes(session=session),
            "form": form,
        },
    )


def _members(user):
    return HouseholdMember.objects.filter(household__members__user=user).exclude(user=user)


@login_required
@require_POST
def session_book(request: HttpRequest, uuid) -> HttpResponse:
    session = _session(uuid)
    form = BookForm(request.POST, members=_members(request.user))
    if form.is_valid():
        try:
            ticket = services.ticket_book(
                actor=request.user,
                session=session,
                payer=form.cleaned_data["payer"],
                member=form.cleaned_data.get("member"),
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, _("Your ticket is booked."))
            return redirect("health:ticket-detail", uuid=ticket.uuid)
    return render(
        request,
        "health/session_detail.html",
        {"session": session, "changes": selectors.session_changes(session=session), "form": form},
        status=400,
    )


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = selectors.ticket_list_for(user=request.user)[:50]
    return render(request, "health/ticket_list.html", {"tickets": tickets})


def _ticket(request, uuid) -> Ticket:
    ticket = selectors.ticket_get_for(user=request.user, uuid=uuid)
    if ticket is None:
        raise Http404
    return ticket


@login_required
def ticket_detail(request: HttpRequest, uuid) -> HttpResponse:
    ticket = _ticket(request, uuid)
    position = selectors.ticket_position(ticket=ticket)
    return render(request, "health/ticket_detail.html", {"ticket": ticket, "position": position})


@login_required
@require_POST
def ticket_cancel(request: HttpRequest, uuid) -> HttpResponse:
    ticket = _ticket(request, uuid)
    try:
        services.ticket_cancel(actor=request.user, ticket=ticket)
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("Your ticket is cancelled."))
    return redirect("health:ticket-detail", uuid=ticket.uuid)


def display(request: HttpRequest, uuid) -> HttpResponse:
    """The TV screen of a service point: today's sessions, refreshed by polling the cheap
    "now serving" endpoint (no full reload)."""
    point = selectors.service_point_get_public(uuid=uuid)
    if point is None:
        raise Http404
    sessions = list(
        selectors.session_list_public(service_point_uuid=uuid, date_to=selectors.today())
    )
    return render(request, "health/display.html", {"point": point, "sessions": sessions})
