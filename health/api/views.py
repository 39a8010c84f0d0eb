"""The health API: thin views over selectors (reads) and services (writes)."""

import datetime as dt
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils.http import http_date, parse_http_date_safe
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import HouseholdMember
from balikpapan_untuk_warga.api.errors import ApplicationError
from balikpapan_untuk_warga.api.pagination import StrictLimitOffsetPagination
from balikpapan_untuk_warga.api.query import query_validated
from balikpapan_untuk_warga.cache import MISSING
from health import selectors, services
from health.api import serializers as s
from health.exceptions import NotAllowedForPerson

TAG = ["kesehatan"]
NOT_FOUND = OpenApiResponse(description="No such object (or not yours).")


def _paginated(view, request, rows, serializer_class):
    page = view.paginate_queryset(rows)
    return view.get_paginated_response(serializer_class(page, many=True).data)


class ListView(GenericAPIView):
    """A list paginated with ``?limit=``/``?offset=`` (the count is one query)."""

    pagination_class = StrictLimitOffsetPagination
    filter_backends = []


def _query(serializer_class, request):
    return query_validated(request, serializer_class)


# --- public -----------------------------------------------------------------------------------


class FacilityListView(ListView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="health_facilities_list",
        parameters=[s.HealthFacilityQuerySerializer],
        responses=s.HealthFacilitySerializer(many=True),
        tags=TAG,
    )
    def get(self, request):
        query = _query(s.HealthFacilityQuerySerializer, request)
        rows = selectors.facility_list(
            latitude=query.get("latitude"), longitude=query.get("longitude"), kind=query.get("kind")
        )
        return _paginated(self, request, rows, s.HealthFacilitySerializer)


class SessionListView(ListView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="health_sessions_list",
        parameters=[s.HealthSessionQuerySerializer],
        responses=s.HealthSessionSerializer(many=True),
        tags=TAG,
    )
    def get(self, request):
        query = _query(s.HealthSessionQuerySerializer, request)
        rows = selectors.session_list_public(
            service_point_uuid=query.get("service_point"),
            facility_uuid=query.get("facility"),
            date_from=query.get("date_from"),
            date_to=query.get("date_to"),
        )
        return _paginated(self, request, rows, s.HealthSessionSerializer)


def _session(uuid):
    session = selectors.session_get_public(uuid=uuid)
    if session is None:
        raise Http404
    return session


class SessionDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="health_sessions_retrieve",
        responses={200: s.HealthSessionDetailSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def get(self, request, uuid):
        session = _session(uuid)
        session.changes_list = list(selectors.session_changes(session=session))
        data = s.HealthSessionSerializer(session).data
        data["changes"] = s.HealthSessionChangeSerializer(session.changes_list, many=True).data
        return Response(data)


def now_serving_cached(uuid) -> dict | None:
    """The answer from this process's copy (``services.now_serving_local``), else from the
    shared cache, else built."""
    payload = services.now_serving_local.get(str(uuid))
    if payload is not MISSING:
        return payload
    key = services.now_serving_cache_key(uuid)
    payload = cache.get(key)
    if payload is None:
        session = selectors.session_get_public(uuid=uuid)
        if session is None:
            return None
        payload = selectors.now_serving_payload(session=session)
        cache.set(key, payload, settings.HEALTH_NOW_SERVING_CACHE_SECONDS)
    services.now_serving_local.put(str(uuid), payload)
    return payload


class NowServingView(APIView):
    """Cheap to poll: cached for a few seconds (and dropped on every change), with an ETag; send
    ``If-None-Match`` to get a bodiless 304 while nothing changed."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="health_sessions_now_serving",
        responses={
            200: s.HealthNowServingSerializer,
            304: OpenApiResponse(description="Not changed since the ETag sent."),
            404: NOT_FOUND,
        },
        tags=TAG,
    )
    def get(self, request, uuid):
        payload = now_serving_cached(uuid)
        if payload is None:
            raise Http404
        etag = f'"{payload["etag"]}"'
        headers = {"ETag": etag, "Cache-Control": "public, max-age=5"}
        modified = int(dt.datetime.fromisoformat(payload["updated_at"]).timestamp())
        # HTTP dates have whole seconds: Last-Modified is only sent once its second is over,
        # so that a later change always has a later date (else only the ETag answers).
        if int(time.time()) > modified:
            headers["Last-Modified"] = http_date(modified)
        if _not_modified(
            request, etag=etag, modified=modified if "Last-Modified" in headers else None
        ):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        body = {k: v for k, v in payload.items() if k != "etag"}
        return Response(body, headers=headers)


def _not_modified(request, *, etag: str, modified: int | None) -> bool:
    """``If-None-Match`` decides when sent (it wins over ``If-Modified-Since``)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return modified is not None and since is not None and modified <= since


# --- citizens ---------------------------------------------------------------------------------


def _ticket(request, uuid):
    ticket = selectors.ticket_get_for(user=request.user, uuid=uuid)
    if ticket is None:
        raise Http404
    return ticket


def _detail(ticket, serializer_class=s.HealthTicketMineSerializer):
    ticket.position = selectors.ticket_position(ticket=ticket)
    return serializer_class(ticket).data


class TicketListView(ListView):
    @extend_schema(
        operation_id="health_tickets_list",
        responses=s.HealthTicketSerializer(many=True),
        tags=TAG,
    )
    def get(self, request):
        rows = selectors.ticket_list_for(user=request.user)
        return _paginated(self, request, rows, s.HealthTicketSerializer)

    @extend_schema(
        operation_id="health_tickets_book",
        request=s.HealthTicketBookInputSerializer,
        responses={201: s.HealthTicketBookedSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def post(self, request):
        data = _valid(s.HealthTicketBookInputSerializer, request)
        # a full session's rush is refused from the cache, before any query
        services.booking_refused_early(session_uuid=data["session"])
        session = selectors.session_get_for_booking(uuid=data["session"])
        if session is None:
            raise Http404
        member = None
        if data.get("member"):
            member = HouseholdMember.objects.filter(uuid=data["member"]).first()
            if member is None:
                raise NotAllowedForPerson()
        ticket = services.ticket_book(
            actor=request.user, session=session, payer=data["payer"], member=member
        )
        return Response(
            _detail(ticket, s.HealthTicketBookedSerializer), status=status.HTTP_201_CREATED
        )


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class TicketDetailView(APIView):
    @extend_schema(
        operation_id="health_tickets_retrieve",
        responses={200: s.HealthTicketMineSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def get(self, request, uuid):
        return Response(_detail(_ticket(request, uuid)))


class TicketCancelView(APIView):
    @extend_schema(
        operation_id="health_tickets_cancel",
        request=None,
        responses={200: s.HealthTicketMineSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def post(self, request, uuid):
        ticket = services.ticket_cancel(actor=request.user, ticket=_ticket(request, uuid))
        return Response(_detail(ticket))


# --- staff ------------------------------------------------------------------------------------


def _staff_session(request, uuid):
    session = selectors.staff_session_get_for(user=request.user, uuid=uuid)
    if session is None:
        raise Http404
    return session


def _staff_ticket(request, uuid):
    ticket = selectors.staff_ticket_get_for(user=request.user, uuid=uuid)
    if ticket is None:
        raise Http404
    return ticket


class StaffSessionListView(ListView):
    @extend_schema(
        operation_id="health_staff_sessions_list",
        responses=s.HealthSessionSerializer(many=True),
        tags=TAG,
        description="Today's sessions at the service points of the staff member's agencies.",
    )
    def get(self, request):
        rows = selectors.staff_session_list_for(user=request.user)
        return _paginated(self, request, rows, s.HealthSessionSerializer)


class StaffSessionTicketsView(ListView):
    @extend_schema(
        operation_id="health_staff_session_tickets",
        parameters=[
            s.HealthStaffTicketQuerySerializer,
        ],
        responses={200: s.HealthTicketSerializer(many=True), 404: NOT_FOUND},
        tags=TAG,
    )
    def get(self, request, uuid):
        session = _staff_session(request, uuid)
        query = _query(s.HealthStaffTicketQuerySerializer, request)
        rows = selectors.staff_ticket_list_for(
            user=request.user, session=session, search=query.get("q", "")
        )
        return _paginated(self, request, rows, s.HealthTicketSerializer)


class StaffCallNextView(APIView):
    @extend_schema(
        operation_id="health_staff_call_next",
        request=None,
        responses={200: s.HealthTicketSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def post(self, request, uuid):
        ticket = services.session_call_next(
            actor=request.user, session=_staff_session(request, uuid)
        )
        return Response(s.HealthTicketSerializer(ticket).data)


class StaffWalkInView(APIView):
    @extend_schema(
        operation_id="health_staff_walk_in",
        request=s.HealthWalkInInputSerializer,
        responses={201: s.HealthTicketSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def post(self, request, uuid):
        session = _staff_session(request, uuid)
        data = _valid(s.HealthWalkInInputSerializer, request)
        ticket = services.ticket_walk_in(actor=request.user, session=session, **data)
        return Response(s.HealthTicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class StaffQuotaView(APIView):
    @extend_schema(
        operation_id="health_staff_session_quota",
        request=s.HealthQuotaChangeInputSerializer,
        responses={200: s.HealthSessionSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def post(self, request, uuid):
        session = _staff_session(request, uuid)
        data = _valid(s.HealthQuotaChangeInputSerializer, request)
        session = services.session_quota_change(actor=request.user, session=session, **data)
        return Response(s.HealthSessionSerializer(session).data)


class StaffCloseView(APIView):
    @extend_schema(
        operation_id="health_staff_session_close",
        request=s.HealthSessionCloseInputSerializer,
        responses={200: s.HealthSessionSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def post(self, request, uuid):
        session = _staff_session(request, uuid)
        data = _valid(s.HealthSessionCloseInputSerializer, request)
        session = services.session_close(actor=request.user, session=session, **data)
        return Response(s.HealthSessionSerializer(session).data)


def _staff_ticket_action(action, operation_id):
    class View(APIView):
        @extend_schema(
            operation_id=operation_id,
            request=None,
            responses={200: s.HealthTicketSerializer, 404: NOT_FOUND},
            tags=TAG,
        )
        def post(self, request, uuid):
            ticket = action(actor=request.user, ticket=_staff_ticket(request, uuid))
            return Response(s.HealthTicketSerializer(ticket).data)

    View.__name__ = View.__qualname__ = f"Staff{operation_id.title().replace('_', '')}View"
    return View


class StaffTicketSearchView(ListView):
    @extend_schema(
        operation_id="health_staff_tickets_search",
        parameters=[s.HealthStaffTicketQuerySerializer],
        responses=s.HealthTicketSerializer(many=True),
        tags=TAG,
        description=(
            "Today's tickets at the staff member's service points by number, code or patient "
            "name (for a ticket whose QR cannot be scanned). Empty without ``q``."
        ),
    )
    def get(self, request):
        query = _query(s.HealthStaffTicketQuerySerializer, request)
        rows = selectors.staff_ticket_search(user=request.user, search=query.get("q", ""))
        return _paginated(self, request, rows, s.HealthTicketSerializer)


class StaffScanCheckInView(APIView):
    @extend_schema(
        operation_id="health_staff_check_in_by_code",
        request=s.HealthCheckInInputSerializer,
        responses={
            200: s.HealthTicketSerializer,
            400: OpenApiResponse(description="Not a check-in code signed here."),
            404: NOT_FOUND,
            409: OpenApiResponse(description="Already checked in, cancelled or no-show."),
        },
        tags=TAG,
        description=(
            "Check a ticket in by its scanned QR code. A ticket of another facility's service "
            "point is not found (404)."
        ),
    )
    def post(self, request):
        data = _valid(s.HealthCheckInInputSerializer, request)
        ticket = selectors.staff_ticket_by_check_in_token(user=request.user, token=data["token"])
        if ticket is None:
            raise Http404
        ticket = services.ticket_check_in(actor=request.user, ticket=ticket)
        return Response(s.HealthTicketSerializer(ticket).data)


StaffCheckInView = _staff_ticket_action(services.ticket_check_in, "health_staff_check_in")
StaffServeView = _staff_ticket_action(services.ticket_serve, "health_staff_serve")
StaffRecallView = _staff_ticket_action(services.ticket_recall, "health_staff_recall")


# --- MPP visit plans --------------------------------------------------------------------------


def _plan_data(plan):
    options = selectors.visit_plan_replan_options(plan=plan)
    try:
        moves = services.visit_plan_replan_moves(plan=plan)
    except ApplicationError:
        moves = []
    return s.HealthVisitPlanSerializer(
        {
            "uuid": plan.uuid,
            "created_at": plan.created_at,
            "tickets": list(plan.tickets.all()),
            "replan_options": [{"step": step, "sessions": rows} for step, rows in options.items()],
            "replan": [{"step": t.plan_step, "session": session} for t, session in moves],
        }
    ).data


class VisitPlanCreateView(APIView):
    @extend_schema(
        operation_id="health_visit_plans_book",
        request=s.HealthVisitPlanInputSerializer,
        responses={201: s.HealthVisitPlanSerializer, 404: NOT_FOUND},
        tags=TAG,
        description=(
            "Book one MPP visit for a household: a chain of tickets across counters in the order "
            "of what depends on what, all or nothing."
        ),
    )
    def post(self, request):
        data = _valid(s.HealthVisitPlanInputSerializer, request)
        steps = []
        for step in data["steps"]:
            steps.append((_session(step["session"]), _member(step.get("member"))))
        plan = services.visit_plan_book(actor=request.user, steps=steps, payer=data["payer"])
        plan = selectors.visit_plan_get_for(user=request.user, uuid=plan.uuid)
        return Response(_plan_data(plan), status=status.HTTP_201_CREATED)


class VisitPlanDetailView(APIView):
    @extend_schema(
        operation_id="health_visit_plans_retrieve",
        responses={200: s.HealthVisitPlanSerializer, 404: NOT_FOUND},
        tags=TAG,
        description="The plan's tickets; after a cancelled step, new times for the steps after it.",
    )
    def get(self, request, uuid):
        plan = selectors.visit_plan_get_for(user=request.user, uuid=uuid)
        if plan is None:
            raise Http404
        return Response(_plan_data(plan))


def _member(uuid):
    """A household member named in a request, or ``None`` for oneself. Who may book for them is
    checked by the service (403 ``not_allowed_for_person``); an unknown one is refused the same."""
    if not uuid:
        return None
    member = HouseholdMember.objects.filter(uuid=uuid).first()
    if member is None:
        raise NotAllowedForPerson()
    return member


class VisitPlanProposeView(APIView):
    @extend_schema(
        operation_id="health_visit_plans_propose",
        request=s.HealthVisitProposeInputSerializer,
        responses={200: s.HealthVisitProposalSerializer},
        tags=TAG,
        description=(
            "Propose one MPP visit for a household before booking it: the steps ordered by what "
            "depends on what, each at the earliest session that starts after the previous one "
            "ends. Nothing is booked; send the sessions to ``visit-plans/`` to book them."
        ),
    )
    def post(self, request):
        data = _valid(s.HealthVisitProposeInputSerializer, request)
        steps = []
        for step in data["steps"]:
            point = selectors.service_point_get_public(uuid=step["service_point"])
            if point is None:
                raise Http404
            steps.append((point, _member(step.get("member"))))
        chain = services.visit_plan_propose(actor=request.user, steps=steps, date=data.get("date"))
        rows = [
            {"step": i, "session": session, "member": member.uuid if member else None}
            for i, (session, member) in enumerate(chain, start=1)
        ]
        return Response(s.HealthVisitProposalSerializer({"steps": rows}).data)


class VisitPlanReplanView(APIView):
    @extend_schema(
        operation_id="health_visit_plans_replan",
        request=None,
        responses={200: s.HealthVisitPlanSerializer, 404: NOT_FOUND},
        tags=TAG,
        description=(
            "After a step was cancelled, move the waiting steps after it to the earliest "
            "consecutive sessions (new tickets; the old ones are cancelled). All or nothing."
        ),
    )
    def post(self, request, uuid):
        plan = selectors.visit_plan_get_for(user=request.user, uuid=uuid)
        if plan is None:
            raise Http404
        services.visit_plan_replan(actor=request.user, plan=plan)
        plan = selectors.visit_plan_get_for(user=request.user, uuid=uuid)
        return Response(_plan_data(plan))
