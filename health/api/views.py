"""The health API: thin views over selectors (reads) and services (writes)."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import HouseholdMember
from balikpapan_untuk_warga.api.pagination import StrictLimitOffsetPagination
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
    data = serializer_class(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data


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
    key = services.now_serving_cache_key(uuid)
    payload = cache.get(key)
    if payload is None:
        session = selectors.session_get_public(uuid=uuid)
        if session is None:
            return None
        payload = selectors.now_serving_payload(session=session)
        cache.set(key, payload, getattr(settings, "HEALTH_NOW_SERVING_CACHE_SECONDS", 5))
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
        if request.headers.get("If-None-Match") == etag:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        body = {k: v for k, v in payload.items() if k != "etag"}
        return Response(body, headers=headers)


# --- citizens ---------------------------------------------------------------------------------


def _ticket(request, uuid):
    ticket = selectors.ticket_get_for(user=request.user, uuid=uuid)
    if ticket is None:
        raise Http404
    return ticket


def _detail(ticket):
    ticket.position = selectors.ticket_position(ticket=ticket)
    return s.HealthTicketDetailSerializer(ticket).data


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
        responses={201: s.HealthTicketDetailSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def post(self, request):
        data = _valid(s.HealthTicketBookInputSerializer, request)
        session = _session(data["session"])
        member = None
        if data.get("member"):
            member = HouseholdMember.objects.filter(uuid=data["member"]).first()
            if member is None:
                raise NotAllowedForPerson()
        ticket = services.ticket_book(
            actor=request.user, session=session, payer=data["payer"], member=member
        )
        return Response(_detail(ticket), status=status.HTTP_201_CREATED)


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class TicketDetailView(APIView):
    @extend_schema(
        operation_id="health_tickets_retrieve",
        responses={200: s.HealthTicketDetailSerializer, 404: NOT_FOUND},
        tags=TAG,
    )
    def get(self, request, uuid):
        return Response(_detail(_ticket(request, uuid)))


class TicketCancelView(APIView):
    @extend_schema(
        operation_id="health_tickets_cancel",
        request=None,
        responses={200: s.HealthTicketDetailSerializer, 404: NOT_FOUND},
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


StaffCheckInView = _staff_ticket_action(services.ticket_check_in, "health_staff_check_in")
StaffServeView = _staff_ticket_action(services.ticket_serve, "health_staff_serve")
StaffRecallView = _staff_ticket_action(services.ticket_recall, "health_staff_recall")


# --- MPP visit plans --------------------------------------------------------------------------


def _plan_data(plan):
    options = selectors.visit_plan_replan_options(plan=plan)
    plan.replan_options = [{"step": step, "sessions": rows} for step, rows in options.items()]
    plan.tickets_list = list(plan.tickets.all())
    data = s.HealthVisitPlanSerializer(
        {
            "uuid": plan.uuid,
            "created_at": plan.created_at,
            "tickets": plan.tickets_list,
            "replan_options": plan.replan_options,
        }
    ).data
    return data


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
            member = None
            if step.get("member"):
                member = HouseholdMember.objects.filter(uuid=step["member"]).first()
                if member is None:
                    raise NotAllowedForPerson()
            steps.append((_session(step["session"]), member))
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
