"""Thin views: validate the shape, call a selector or a service, render."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from complaints import exceptions, selectors, services
from complaints.api import serializers as s
from services.models import Agency

TAG = ["pengaduan"]


class ComplaintListView(ListAPIView):
    serializer_class = s.ComplaintSerializer
    filter_backends = []

    def get_throttles(self):
        if self.request.method == "POST":
            self.throttle_scope = "complaint"
            return [*super().get_throttles(), ScopedThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        return selectors.complaint_list_for(user=self.request.user)

    @extend_schema(operation_id="complaints_list", tags=TAG)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="complaints_create",
        request=s.ComplaintCreateInputSerializer,
        responses={201: s.ComplaintSerializer},
        tags=TAG,
    )
    def post(self, request):
        data = s.ComplaintCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        code = values.pop("category")
        category = None
        if code:
            category = selectors.category_get(code=code)
            if category is None:
                raise exceptions.CategoryNotFound()
        complaint = services.complaint_create(actor=request.user, category=category, **values)
        return Response(
            s.ComplaintSerializer(complaint, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _get(request, uuid):
    complaint = selectors.complaint_get_for(user=request.user, uuid=uuid)
    if complaint is None:
        raise Http404
    return complaint


class ComplaintDetailView(APIView):
    @extend_schema(operation_id="complaints_retrieve", responses=s.ComplaintSerializer, tags=TAG)
    def get(self, request, uuid):
        complaint = _get(request, uuid)
        return Response(s.ComplaintSerializer(complaint, context={"request": request}).data)


def _command(name, input_serializer, perform, *, status_code=200):
    """One explicit command endpoint (``POST …/complaints/{uuid}/<name>/``)."""

    class Command(APIView):
        @extend_schema(
            operation_id=f"complaints_{name}",
            request=input_serializer,
            responses={status_code: s.ComplaintSerializer},
            tags=TAG,
        )
        def post(self, request, uuid):
            complaint = _get(request, uuid)
            values = {}
            if input_serializer is not None:
                data = input_serializer(data=request.data)
                data.is_valid(raise_exception=True)
                values = data.validated_data
            result = perform(request.user, complaint, values)
            return Response(
                s.ComplaintSerializer(result, context={"request": request}).data,
                status=status_code,
            )

    Command.__name__ = Command.__qualname__ = f"Complaint{name.title().replace('_', '')}View"
    return Command


def _category(code):
    category = selectors.category_get(code=code)
    if category is None:
        raise exceptions.CategoryNotFound()
    return category


def _agency(code):
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise exceptions.AgencyNotFound()
    return agency


def _other(user, uuid):
    complaint = selectors.complaint_get_for(user=user, uuid=uuid)
    if complaint is None:
        raise exceptions.MergeIntoItself()
    return complaint


ComplaintTriageView = _command(
    "triage",
    s.ComplaintTriageInputSerializer,
    lambda u, c, v: services.complaint_triage(
        actor=u, complaint=c, category=_category(v["category"])
    ),
)
ComplaintRerouteView = _command(
    "reroute",
    s.ComplaintRerouteInputSerializer,
    lambda u, c, v: services.complaint_reroute(
        actor=u, complaint=c, agency=_agency(v["agency"]), note=v["note"]
    ),
)
ComplaintStartView = _command(
    "start",
    s.ComplaintNoteInputSerializer,
    lambda u, c, v: services.complaint_start(actor=u, complaint=c, note=v["note"]),
)
ComplaintAskInformationView = _command(
    "ask_information",
    s.ComplaintNoteInputSerializer,
    lambda u, c, v: services.complaint_ask_information(actor=u, complaint=c, note=v["note"]),
)
ComplaintProvideInformationView = _command(
    "provide_information",
    s.ComplaintNoteInputSerializer,
    lambda u, c, v: services.complaint_provide_information(actor=u, complaint=c, note=v["note"]),
)
ComplaintResolveView = _command(
    "resolve",
    s.ComplaintResolveInputSerializer,
    lambda u, c, v: services.complaint_resolve(
        actor=u, complaint=c, public_note=v["public_note"], after_photo=v["after_photo"]
    ),
)
ComplaintReopenView = _command(
    "reopen",
    s.ComplaintNoteInputSerializer,
    lambda u, c, v: services.complaint_reopen(actor=u, complaint=c, note=v["note"]),
)
ComplaintCloseView = _command(
    "close", None, lambda u, c, v: services.complaint_close(actor=u, complaint=c)
)
ComplaintRejectView = _command(
    "reject",
    s.ComplaintNoteInputSerializer,
    lambda u, c, v: services.complaint_reject(actor=u, complaint=c, note=v["note"]),
)
ComplaintMergeView = _command(
    "merge",
    s.ComplaintMergeInputSerializer,
    lambda u, c, v: services.complaint_merge(actor=u, complaint=c, into=_other(u, v["into"])),
)
ComplaintRateView = _command(
    "rate",
    s.ComplaintRateInputSerializer,
    lambda u, c, v: services.complaint_rate(
        actor=u, complaint=c, rating=v["rating"], comment=v["comment"]
    ),
)


class ComplaintSupportView(APIView):
    """Support an open complaint seen in the "possible duplicates" list (by its ticket number)."""

    @extend_schema(
        operation_id="complaints_support",
        request=None,
        responses={201: s.ComplaintPublicSerializer},
        tags=TAG,
    )
    def post(self, request, tracking_number):
        complaint = selectors.public_complaint_get(tracking_number=tracking_number)
        if complaint is None:
            raise Http404
        services.complaint_support(actor=request.user, complaint=complaint)
        return Response(s.ComplaintPublicSerializer(complaint).data, status=status.HTTP_201_CREATED)


class ComplaintCategoryListView(ListAPIView):
    serializer_class = s.ComplaintCategorySerializer
    permission_classes = [AllowAny]
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return selectors.category_list()

    @extend_schema(operation_id="complaints_categories_list", tags=TAG)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ComplaintNearbyQuerySerializer(drf_serializers.Serializer):
    latitude = drf_serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = drf_serializers.DecimalField(max_digits=9, decimal_places=6)
    category = drf_serializers.SlugField(required=False)


class ComplaintNearbyView(APIView):
    """Possible duplicates before submitting: open complaints within the radius (anonymised)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_nearby_list",
        parameters=[
            OpenApiParameter("latitude", OpenApiTypes.DOUBLE, required=True),
            OpenApiParameter("longitude", OpenApiTypes.DOUBLE, required=True),
            OpenApiParameter("category", OpenApiTypes.STR),
        ],
        responses=s.ComplaintPublicSerializer(many=True),
        tags=TAG,
    )
    def get(self, request):
        query = ComplaintNearbyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = query.validated_data.get("category")
        category = _category(code) if code else None
        found = selectors.nearby_open(
            latitude=query.validated_data["latitude"],
            longitude=query.validated_data["longitude"],
            category=category,
        )
        return Response(s.ComplaintPublicSerializer(found, many=True).data)


class ComplaintPublicDetailView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "lookup"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedThrottle()]

    @extend_schema(
        operation_id="complaints_public_retrieve", responses=s.ComplaintPublicSerializer, tags=TAG
    )
    def get(self, request, tracking_number):
        complaint = selectors.public_complaint_get(tracking_number=tracking_number)
        if complaint is None:
            raise Http404
        return Response(s.ComplaintPublicSerializer(complaint).data)


_PUBLIC_FILTERS = [
    OpenApiParameter("category", OpenApiTypes.STR),
    OpenApiParameter("kelurahan", OpenApiTypes.STR),
    OpenApiParameter("state", OpenApiTypes.STR),
    OpenApiParameter("since", OpenApiTypes.DATE),
    OpenApiParameter("until", OpenApiTypes.DATE),
]


def _public_queryset(request):
    filters = s.ComplaintPublicFilterSerializer(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return selectors.public_list(**filters.validated_data)


class ComplaintPublicListView(ListAPIView):
    """The anonymised public list (and map data), filterable by category, kelurahan, state and
    period."""

    permission_classes = [AllowAny]
    serializer_class = s.ComplaintPublicSerializer
    filter_backends = []

    def get_queryset(self):
        return _public_queryset(self.request)

    @extend_schema(operation_id="complaints_public_list", parameters=_PUBLIC_FILTERS, tags=TAG)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


EXPORT_LIMIT = 10_000


class ComplaintExportView(APIView):
    """Open data: the anonymised list as CSV (``?output=csv``) or JSON (at most 10,000 rows)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_public_export",
        parameters=[
            *_PUBLIC_FILTERS,
            OpenApiParameter("output", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): s.ComplaintPublicSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
        tags=TAG,
    )
    def get(self, request):
        rows = s.ComplaintPublicSerializer(_public_queryset(request)[:EXPORT_LIMIT], many=True).data
        if request.query_params.get("output") != "csv":
            return Response(rows)
        import csv
        import io

        from django.http import HttpResponse

        fields = [f for f in s.ComplaintPublicSerializer.Meta.fields if f != "distance_m"]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="pengaduan-balikpapan.csv"'
        return response


class ComplaintHotspotsView(APIView):
    """Flooding, standing water and drainage reports by kelurahan and by a 500 m grid."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_hotspots_retrieve",
        parameters=[OpenApiParameter("since", OpenApiTypes.DATE)],
        responses=s.ComplaintHotspotsSerializer,
        tags=TAG,
    )
    def get(self, request):
        since = (
            drf_serializers.DateField(required=False).run_validation(
                request.query_params.get("since") or None
            )
            if request.query_params.get("since")
            else None
        )
        return Response(s.ComplaintHotspotsSerializer(selectors.hotspots(since=since)).data)


class ComplaintDashboardView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_dashboard_retrieve",
        responses=s.ComplaintDashboardSerializer,
        tags=TAG,
    )
    def get(self, request):
        return Response(s.ComplaintDashboardSerializer(selectors.public_dashboard()).data)
