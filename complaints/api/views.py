"""Thin views: validate the shape, call a selector or a service, render."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_log import AccessLoggedAPIMixin
from balikpapan_untuk_warga.api.pagination import MAX_PAGE_SIZE, StrictCursorPagination
from balikpapan_untuk_warga.api.query import query_validated
from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from complaints import exceptions, exif, selectors, services
from complaints.api import serializers as s
from services.models import Agency

TAG = ["pengaduan"]


class ComplaintCursorPagination(StrictCursorPagination):
    """Newest first; a cursor rather than an offset so that no page counts all the complaints."""

    ordering = ("-created_at", "-id")


class ComplaintListView(ListAPIView):
    serializer_class = s.ComplaintSerializer
    pagination_class = ComplaintCursorPagination
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
        kelurahan = None
        if values.pop("kelurahan"):
            kelurahan = selectors.kelurahan_get(code=data.validated_data["kelurahan"])
            if kelurahan is None:
                raise exceptions.KelurahanNotFound()
        complaint = services.complaint_create(
            actor=request.user, category=category, kelurahan=kelurahan, **values
        )
        return Response(
            s.ComplaintSerializer(complaint, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _get(request, uuid):
    complaint = selectors.complaint_get_for(user=request.user, uuid=uuid)
    if complaint is None:
        raise Http404
    return complaint


class ComplaintDetailView(AccessLoggedAPIMixin, APIView):
    access_log_subject_fields = ("reporter",)

    @extend_schema(operation_id="complaints_retrieve", responses=s.ComplaintSerializer, tags=TAG)
    def get(self, request, uuid):
        complaint = _get(request, uuid)
        self.log_access(request, complaint)
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


def _outside_body(code):
    body = selectors.outside_body_get(code=code)
    if body is None:
        raise exceptions.OutsideBodyNotFound()
    return body


ComplaintRerouteView = _command(
    "reroute",
    s.ComplaintRerouteInputSerializer,
    lambda u, c, v: services.complaint_reroute(
        actor=u,
        complaint=c,
        agency=_agency(v["agency"]) if v["agency"] else None,
        outside_body=_outside_body(v["outside_body"]) if v["outside_body"] else None,
        note=v["note"],
    ),
)
ComplaintOutsideAnswerView = _command(
    "outside_answer",
    s.ComplaintOutsideAnswerInputSerializer,
    lambda u, c, v: services.complaint_record_outside_answer(
        actor=u, complaint=c, answer=v["answer"], resolve=v["resolve"]
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


class ComplaintNotFixedView(APIView):
    """A supporter says "not fixed" within the confirmation window (the reporter uses
    ``complaints/{uuid}/reopen/``): the complaint reopens and its clock restarts."""

    @extend_schema(
        operation_id="complaints_not_fixed",
        request=s.ComplaintNoteInputSerializer,
        responses={200: s.ComplaintPublicSerializer},
        tags=TAG,
    )
    def post(self, request, tracking_number):
        complaint = selectors.public_complaint_get(tracking_number=tracking_number)
        if complaint is None:
            raise Http404
        data = s.ComplaintNoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = services.complaint_reopen(
            actor=request.user, complaint=complaint, note=data.validated_data["note"]
        )
        return Response(s.ComplaintPublicSerializer(complaint).data)


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
        query = query_validated(request, ComplaintNearbyQuerySerializer)
        code = query.get("category")
        category = _category(code) if code else None
        found = selectors.nearby_open(
            latitude=query["latitude"],
            longitude=query["longitude"],
            category=category,
        )
        # The nearest MAX_PAGE_SIZE at most: a busy spot never makes an unbounded answer.
        found = found[:MAX_PAGE_SIZE]
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


def _query_filters(request, serializer_class) -> dict:
    """The validated query filters. Read from a plain dict, not the QueryDict: DRF treats an
    empty form value of an optional field as absent, so ``?until=`` would mean "no filter";
    a parameter that is present must be valid (400 otherwise)."""
    return query_validated(request, serializer_class)


def _public_queryset(request):
    return selectors.public_list(**_query_filters(request, s.ComplaintPublicFilterSerializer))


class ComplaintPublicListView(ListAPIView):
    """The anonymised public list (and map data), filterable by category, kelurahan, state and
    period."""

    permission_classes = [AllowAny]
    serializer_class = s.ComplaintPublicSerializer
    filter_backends = []

    def get_queryset(self):
        return _public_queryset(self.request)

    @extend_schema(
        operation_id="complaints_public_list",
        parameters=[s.ComplaintPublicFilterSerializer],
        tags=TAG,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


EXPORT_LIMIT = 10_000


class ComplaintExportView(APIView):
    """Open data: the anonymised list as CSV (``?output=csv``) or JSON (at most 10,000 rows)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_public_export",
        parameters=[s.ComplaintExportFilterSerializer],
        responses={
            (200, "application/json"): s.ComplaintPublicSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
        tags=TAG,
    )
    def get(self, request):
        filters = dict(_query_filters(request, s.ComplaintExportFilterSerializer))
        output = filters.pop("output")
        queryset = selectors.public_list(**filters)[:EXPORT_LIMIT]
        rows = s.ComplaintPublicSerializer(queryset, many=True).data
        if output != "csv":
            return Response(rows)
        import csv
        import io

        from django.http import HttpResponse

        fields = [f for f in s.ComplaintPublicSerializer.Meta.fields if f != "distance_m"]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({**row, "photos": " ".join(row["photos"])} for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="pengaduan-balikpapan.csv"'
        return response


class ComplaintHotspotsView(APIView):
    """Flooding, standing water and drainage reports by kelurahan and by a 500 m grid."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_hotspots_retrieve",
        parameters=[s.ComplaintHotspotsFilterSerializer],
        responses=s.ComplaintHotspotsSerializer,
        tags=TAG,
    )
    def get(self, request):
        since = _query_filters(request, s.ComplaintHotspotsFilterSerializer).get("since")
        return Response(s.ComplaintHotspotsSerializer(selectors.hotspots(since=since)).data)


DASHBOARD_BODY_KEY = "complaints:dashboard:body"


class ComplaintDashboardView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_dashboard_retrieve",
        responses=s.ComplaintDashboardSerializer,
        tags=TAG,
    )
    def get(self, request):
        # The rendered answer is cached per computation of the dashboard (and language): a poll
        # costs two small cache reads, not unpickling, serialising and rendering it all again.
        language = translation.get_language()
        generation = selectors.public_dashboard_generation()
        body = cache.get(f"{DASHBOARD_BODY_KEY}:{generation}:{language}") if generation else None
        if body is None:
            data = s.ComplaintDashboardSerializer(selectors.public_dashboard()).data
            body = JSONRenderer().render(data)
            generation = selectors.public_dashboard_generation()
            if generation:
                lifetime = 3 * settings.COMPLAINT_DASHBOARD_CACHE_SECONDS
                cache.set(f"{DASHBOARD_BODY_KEY}:{generation}:{language}", body, lifetime)
        return HttpResponse(body, content_type="application/json")


class ComplaintInternalNoteListView(APIView):
    """Staff notes on a complaint (handling agency and command centre only). They never appear
    in what the reporter or the public see."""

    def _complaint(self, request, uuid):
        complaint = _get(request, uuid)
        if not services.may_handle(user=request.user, complaint=complaint):
            raise Http404  # the reporter does not learn that notes exist
        return complaint

    @extend_schema(
        operation_id="complaints_notes_list",
        responses=s.ComplaintInternalNoteSerializer(many=True),
        tags=TAG,
    )
    def get(self, request, uuid):
        complaint = self._complaint(request, uuid)
        notes = selectors.internal_notes_for(complaint=complaint)
        return Response(s.ComplaintInternalNoteSerializer(notes, many=True).data)

    @extend_schema(
        operation_id="complaints_notes_create",
        request=s.ComplaintInternalNoteSerializer,
        responses={201: s.ComplaintInternalNoteSerializer},
        tags=TAG,
    )
    def post(self, request, uuid):
        complaint = self._complaint(request, uuid)
        data = s.ComplaintInternalNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.internal_note_add(
            actor=request.user, complaint=complaint, text=data.validated_data["text"]
        )
        return Response(
            s.ComplaintInternalNoteSerializer(note).data, status=status.HTTP_201_CREATED
        )


class ComplaintOutsideBodyListView(ListAPIView):
    """The bodies outside the city government a complaint can be re-routed to."""

    serializer_class = s.ComplaintOutsideBodySerializer
    permission_classes = [AllowAny]
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return selectors.outside_body_list()

    @extend_schema(operation_id="complaints_outside_bodies_list", tags=TAG)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ComplaintPublicPhotoView(APIView):
    """A blurred public copy of a complaint photo (faces and plates pixelated), served only while
    the reporter allows public photos."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="complaints_public_photo_retrieve",
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY},
        tags=TAG,
    )
    def get(self, request, uuid):
        from django.http import FileResponse

        photo = selectors.public_photo_get(uuid=uuid)
        if photo is None:
            raise Http404
        response = FileResponse(photo.file.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "public, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ComplaintPhotoLocationView(APIView):
    """The GPS position stored in a photo's EXIF data, offered as the complaint's location. The
    photo is read and forgotten (nothing is stored); uploading it afterwards through
    /api/v1/documents/ strips the position from the stored copy."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="complaints_photo_location",
        request=s.ComplaintPhotoLocationInputSerializer,
        responses=s.ComplaintPhotoLocationSerializer,
        tags=TAG,
    )
    def post(self, request):
        from django.conf import settings

        from services.uploads.validation import read_limited

        data = s.ComplaintPhotoLocationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        read_limited(upload, settings.UPLOAD_MAX_SIZE)  # refuses an oversized file (400)
        position = exif.gps_position(upload)
        result = {
            "found": position is not None,
            "latitude": None,
            "longitude": None,
            "inside_city": False,
            "kelurahan": None,
            "kelurahan_name": None,
        }
        if position is not None:
            latitude, longitude = position
            inside = services.boundary_contains(latitude=latitude, longitude=longitude)
            kelurahan = (
                services.kelurahan_for(latitude=latitude, longitude=longitude) if inside else None
            )
            result.update(
                latitude=latitude,
                longitude=longitude,
                inside_city=inside,
                kelurahan=kelurahan.code if kelurahan else None,
                kelurahan_name=kelurahan.name if kelurahan else None,
            )
        return Response(s.ComplaintPhotoLocationSerializer(result).data)
