"""A test-only urlconf: tiny DRF views under ``/api/test/`` whose effects can be counted.

Every effect is a row in ``auth_group`` (``Group``) whose name starts with the view's label, so
``effects("thing")`` counts how many times the view really ran. The project's own URLs are
included after them (the allauth headless login is needed to obtain an ``X-Session-Token``).
"""

import hashlib
import threading
import uuid

from django.contrib.auth.models import Group
from django.http import StreamingHttpResponse
from django.urls import include, path
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

# The blocking view signals ``entered`` and then waits for ``release`` (reset by the tests).
entered = threading.Event()
release = threading.Event()
BLOCK_TIMEOUT = 30


def effect(label: str) -> Group:
    return Group.objects.create(name=f"{label}-{uuid.uuid4().hex}")


def effects(label: str) -> int:
    return Group.objects.filter(name__startswith=f"{label}-").count()


def payload(request, group: Group) -> dict:
    return {"id": group.pk, "user": request.user.pk, "method": request.method, "data": request.data}


class ThingView(APIView):
    """Every method has an effect, even GET (to show that GET ignores the header)."""

    def get(self, request):
        group = effect("thing")
        return Response(payload(request, group))

    def post(self, request):
        group = effect("thing")
        response = Response(
            payload(request, group),
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/test/things/{group.pk}/", "X-Not-Stored": "1"},
        )
        response.set_cookie("view_cookie", "from-the-view")
        return response

    def put(self, request):
        return Response(payload(request, effect("thing")))

    def patch(self, request):
        return Response(payload(request, effect("thing")))

    def delete(self, request):
        effect("thing")
        return Response(status=status.HTTP_204_NO_CONTENT)


class AmountSerializer(serializers.Serializer):
    amount = serializers.IntegerField(max_value=100)


class RejectView(APIView):
    """Counts the attempt, then answers 400: a 4xx with an effect of its own."""

    def post(self, request):
        effect("reject")
        serializer = AmountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"amount": serializer.validated_data["amount"]}, status=201)


class StaffOnlyView(APIView):
    permission_classes = [IsAdminUser]

    def post(self, request):
        return Response(payload(request, effect("staff")), status=201)


class ServerErrorView(APIView):
    def post(self, request):
        effect("unavailable")
        return Response({"detail": "try later"}, status=status.HTTP_503_SERVICE_UNAVAILABLE)


class CrashView(APIView):
    def post(self, request):
        effect("crash")
        raise RuntimeError("boom")


class StreamView(APIView):
    def post(self, request):
        effect("stream")
        return StreamingHttpResponse(iter([b"chunk-1 ", b"chunk-2"]), content_type="text/plain")


class AnonymousView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        return Response(payload(request, effect("anonymous")), status=201)


class UploadView(APIView):
    """A multipart upload: the body may exceed ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (files stream)."""

    parser_classes = [MultiPartParser]

    def post(self, request):
        group = effect("upload")
        upload = request.data["file"]
        content = upload.read()
        return Response(
            {
                "id": group.pk,
                "note": request.data.get("note"),
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            },
            status=201,
        )


class BlockingView(APIView):
    """Has its effect, says so, and holds the request open until the test releases it."""

    def post(self, request):
        group = effect("block")
        entered.set()
        release.wait(BLOCK_TIMEOUT)
        return Response(payload(request, group), status=201)


urlpatterns = [
    path("api/test/things/", ThingView.as_view()),
    path("api/test/reject/", RejectView.as_view()),
    path("api/test/staff-only/", StaffOnlyView.as_view()),
    path("api/test/unavailable/", ServerErrorView.as_view()),
    path("api/test/crash/", CrashView.as_view()),
    path("api/test/stream/", StreamView.as_view()),
    path("api/test/anonymous/", AnonymousView.as_view()),
    path("api/test/upload/", UploadView.as_view()),
    path("api/test/block/", BlockingView.as_view()),
    path("", include("balikpapan_untuk_warga.urls")),
]
