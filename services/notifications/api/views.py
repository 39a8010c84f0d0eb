"""The inbox, preferences and push devices of the signed-in person. Thin: each view validates
the shape, calls one function of ``services.notifications.services`` and renders the result."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from balikpapan_untuk_warga.api.pagination import StrictCursorPagination
from services.notifications import selectors, services
from services.notifications.api.filters import NotificationFilter
from services.notifications.api.serializers import (
    DeviceRegisterInputSerializer,
    DeviceSerializer,
    NotificationPreferencesInputSerializer,
    NotificationPreferencesSerializer,
    NotificationReadAllSerializer,
    NotificationSerializer,
    NotificationUnreadCountSerializer,
)
from services.notifications.models import Notification
from services.notifications.selectors import Preferences

TAGS = ["notifications"]
NOT_YOURS = OpenApiResponse(description="No such notification of yours.")


class NotificationCursorPagination(StrictCursorPagination):
    ordering = ("-created_at", "-id")


class NotificationListView(generics.ListAPIView):
    """Your inbox, newest first."""

    serializer_class = NotificationSerializer
    pagination_class = NotificationCursorPagination
    filter_backends = [DjangoFilterBackend]  # the order is fixed: the cursor depends on it
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return selectors.notification_list_for(user=self.request.user)

    @extend_schema(operation_id="notifications_list", tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationUnreadCountView(APIView):
    @extend_schema(
        operation_id="notifications_unread_count",
        description="How many notifications you have not read (for the badge).",
        responses=NotificationUnreadCountSerializer,
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        count = selectors.notification_unread_count_for(user=request.user)
        return Response(NotificationUnreadCountSerializer({"count": count}).data)


class NotificationReadView(APIView):
    @extend_schema(
        operation_id="notifications_read",
        description="Mark one notification read; marking it again keeps the first time.",
        request=None,
        responses={200: NotificationSerializer, 404: NOT_YOURS},
        tags=TAGS,
    )
    def post(self, request: Request, uuid) -> Response:
        notification = selectors.notification_get_for(user=request.user, uuid=uuid)
        if notification is None:
            raise NotFound()
        notification = services.notification_mark_read(
            actor=request.user, notification=notification
        )
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(
        operation_id="notifications_read_all",
        description="Mark every notification read.",
        request=None,
        responses=NotificationReadAllSerializer,
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        marked = services.notification_mark_all_read(actor=request.user)
        return Response(NotificationReadAllSerializer({"marked": marked}).data)


def _render_preferences(preferences: Preferences) -> dict:
    in_app = dict.fromkeys(preferences.channels["email"], True)
    return NotificationPreferencesSerializer(
        {"in_app": in_app, **preferences.channels, "email_digest": preferences.email_digest}
    ).data


class NotificationPreferencesView(APIView):
    @extend_schema(
        operation_id="notifications_preferences_retrieve",
        responses=NotificationPreferencesSerializer,
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        preferences = selectors.notification_preferences_for(user=request.user)
        return Response(_render_preferences(preferences))

    @extend_schema(
        operation_id="notifications_preferences_update",
        description=(
            "Replace your choices: every outside channel with every topic. SMS and WhatsApp go "
            "only to a verified phone number; push only to registered devices."
        ),
        request=NotificationPreferencesInputSerializer,
        responses=NotificationPreferencesSerializer,
        tags=TAGS,
    )
    def put(self, request: Request) -> Response:
        serializer = NotificationPreferencesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        preferences = services.notification_preferences_update(
            actor=request.user,
            channels={channel: data[channel] for channel in ("email", "sms", "whatsapp", "push")},
            email_digest=data["email_digest"],
            source="api",
            consent_versions=data.get("consent_versions"),
        )
        return Response(_render_preferences(preferences))


class DeviceRegisterView(APIView):
    @extend_schema(
        operation_id="devices_register",
        description=(
            "Register this phone for push notifications. Registering the same token again "
            "changes nothing (200); a token registered under another account moves to yours."
        ),
        request=DeviceRegisterInputSerializer,
        responses={200: DeviceSerializer, 201: DeviceSerializer},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = DeviceRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device, created = services.device_register(actor=request.user, **serializer.validated_data)
        return Response(
            DeviceSerializer(device).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class DeviceDetailView(APIView):
    @extend_schema(
        operation_id="devices_remove",
        description="Stop push notifications to this device (e.g. on logout).",
        responses={204: None, 404: OpenApiResponse(description="No such device of yours.")},
        tags=TAGS,
    )
    def delete(self, request: Request, uuid) -> Response:
        device = selectors.device_get_for(user=request.user, uuid=uuid)
        if device is None:
            raise NotFound()
        services.device_remove(actor=request.user, device=device)
        return Response(status=status.HTTP_204_NO_CONTENT)
