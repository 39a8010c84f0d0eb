"""Portal pages: thin views over the same selectors and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import HouseholdMember
from balikpapan_untuk_warga.api.errors import ApplicationError
from health import selectors, services
from health.checkin import check_in_qr_data_uri, check_in_token
from health.models import Ticket
from health.portal.forms import BookForm, NearForm, VisitPlanForm
from health.workflow import TicketState


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
    context = {"ticket": ticket, "position": position}
    if ticket.state == TicketState.BOOKED:
        context["check_in_qr"] = check_in_qr_data_uri(ticket)
        context["check_in_token"] = check_in_token(ticket)
    return render(request, "health/ticket_detail.html", context)


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


# --- one MPP visit for a household ----------------------------------------------------------------


def _visit_form(request, data=None):
    return VisitPlanForm(
        data, counters=selectors.mpp_counter_list(), members=_members(request.user)
    )


@login_required
def visit_plan_new(request: HttpRequest) -> HttpResponse:
    """Plan one MPP visit: pick the services and the people; the portal proposes a chain of
    consecutive times ordered by what depends on what; booking it books every step at once."""
    form = _visit_form(request, request.POST or None)
    proposal, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.visit_plan_propose(
                actor=request.user, steps=form.steps(), date=form.cleaned_data.get("date")
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.detail))
            status = exc.status_code
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "health/visit_plan_new.html",
        {"form": form, "proposal": proposal, "payer": request.POST.get("payer", "")},
        status=status,
    )


@login_required
@require_POST
def visit_plan_book(request: HttpRequest) -> HttpResponse:
    """Book the proposed chain (the sessions and people posted back from the proposal)."""
    sessions = request.POST.getlist("session")
    member_ids = request.POST.getlist("member")
    payer = request.POST.get("payer", "")
    members = {str(m.uuid): m for m in _members(request.user)}
    steps = []
    try:
        if not sessions or len(sessions) != len(member_ids) or payer not in Ticket.Payer.values:
            raise Http404
        for session_uuid, member_uuid in zip(sessions, member_ids, strict=True):
            if member_uuid and member_uuid not in members:
                raise Http404
            steps.append((_session(session_uuid), members.get(member_uuid)))
    except (Http404, ValidationError):
        messages.error(request, _("This proposal is no longer valid; plan the visit again."))
        return redirect("health:visit-plan-new")
    try:
        plan = services.visit_plan_book(actor=request.user, steps=steps, payer=payer)
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
        return redirect("health:visit-plan-new")
    messages.success(request, _("Your visit is booked."))
    return redirect("health:visit-plan-detail", uuid=plan.uuid)


def _plan(request, uuid):
    plan = selectors.visit_plan_get_for(user=request.user, uuid=uuid)
    if plan is None:
        raise Http404
    return plan


@login_required
def visit_plan_detail(request: HttpRequest, uuid) -> HttpResponse:
    plan = _plan(request, uuid)
    options = selectors.visit_plan_replan_options(plan=plan)
    tickets = list(plan.tickets.all())
    for ticket in tickets:
        ticket.options = options.get(ticket.plan_step, [])
    try:
        moves = services.visit_plan_replan_moves(plan=plan)
    except ApplicationError:
        moves = []
    moved = {ticket.pk: session for ticket, session in moves}
    for ticket in tickets:
        ticket.move_to = moved.get(ticket.pk)
    return render(
        request,
        "health/visit_plan_detail.html",
        {"plan": plan, "tickets": tickets, "may_replan": bool(moves)},
    )


@login_required
@require_POST
def visit_plan_step_cancel(request: HttpRequest, uuid, step: int) -> HttpResponse:
    """Cancel one step of the visit; the page then offers to re-plan the steps after it."""
    plan = _plan(request, uuid)
    ticket = next((t for t in plan.tickets.all() if t.plan_step == step and t.is_active), None)
    if ticket is None:
        raise Http404
    try:
        services.ticket_cancel(actor=request.user, ticket=ticket)
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("This step is cancelled."))
    return redirect("health:visit-plan-detail", uuid=plan.uuid)


@login_required
@require_POST
def visit_plan_replan(request: HttpRequest, uuid) -> HttpResponse:
    plan = _plan(request, uuid)
    try:
        services.visit_plan_replan(actor=request.user, plan=plan)
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("The rest of your visit has new times."))
    return redirect("health:visit-plan-detail", uuid=plan.uuid)
