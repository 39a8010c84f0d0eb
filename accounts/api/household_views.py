"""``/api/v1/me/household/``, ``me/delegations/``, ``me/on-behalf/`` and ``me/can-act-for/``.

Thin: each view validates the shape with an input serializer, calls one function of
``accounts.households`` and renders the result with an output serializer.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import households
from accounts.api.household_serializers import (
    CanActForQuerySerializer,
    CanActForSerializer,
    DelegationGrantInputSerializer,
    DelegationSerializer,
    HouseholdRecordInputSerializer,
    HouseholdSerializer,
    ProxyActionSerializer,
)
from accounts.models import Delegation, ProxyAction
from balikpapan_untuk_warga.api.query import query_validated
from balikpapan_untuk_warga.api.throttling import ScopedThrottle

TAGS = ["accounts"]
_BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class MyHouseholdView(APIView):
    """The signed-in citizen's KK and its members."""

    def _render(self, request: Request, status_code: int = status.HTTP_200_OK) -> Response:
        household = households.household_for(user=request.user)
        if household is None:
            raise NotFound(_("You have not recorded your household (KK) yet."))
        return Response(
            HouseholdSerializer(household, context={"request": request}).data, status=status_code
        )

    @extend_schema(operation_id="me_household_retrieve", responses=HouseholdSerializer, tags=TAGS)
    def get(self, request: Request) -> Response:
        return self._render(request)

    @extend_schema(
        operation_id="me_household_record",
        description=(
            "Record your KK, or replace it: list every member printed on it and mark yourself. "
            "Any change to a confirmed household withdraws the confirmation until counter staff "
            "see the KK again."
        ),
        request=HouseholdRecordInputSerializer,
        responses={200: HouseholdSerializer, 201: HouseholdSerializer},
        tags=TAGS,
    )
    def put(self, request: Request) -> Response:
        serializer = HouseholdRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = households.household_exists_for(user=request.user)
        households.household_record(
            actor=request.user,
            kk_number=data["kk_number"],
            address=data["address"],
            kelurahan=data["kelurahan"],
            members=data["members"],
        )
        return self._render(request, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class DelegationFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[("given", _("Given by me")), ("received", _("Received by me"))],
        method="filter_direction",
    )
    active = django_filters.ChoiceFilter(choices=_BOOLEAN_CHOICES, method="filter_active")

    class Meta:
        model = Delegation
        fields = ["direction", "active"]

    def filter_direction(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(grantor=user) if value == "given" else queryset.filter(grantee=user)

    def filter_active(self, queryset, name, value):
        active = households.delegation_active_q()
        return queryset.filter(active) if value == "true" else queryset.exclude(active)


class MyDelegationListView(generics.ListAPIView):
    """Delegations the signed-in person gave or received."""

    serializer_class = DelegationSerializer
    filterset_class = DelegationFilter
    ordering_fields = ["created_at", "valid_until"]
    ordering = ["-created_at"]
    throttle_scope = "lookup"  # granting looks up an account by email or phone

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Delegation.objects.none()
        return households.delegation_list_for(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(ScopedThrottle())
        return throttles

    @extend_schema(operation_id="me_delegations_list", tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="me_delegations_grant",
        description=(
            "Let another adult act for you for some services until a moment at most a year "
            "ahead. Both of you need a NIK on your accounts. The consent statement returned in "
            "`consent_text` is stored word for word."
        ),
        request=DelegationGrantInputSerializer,
        responses={201: DelegationSerializer},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = DelegationGrantInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delegation = households.delegation_grant(actor=request.user, **serializer.validated_data)
        return Response(
            DelegationSerializer(delegation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class MyDelegationRevokeView(APIView):
    """End a delegation now (the grantor or the grantee may); revoking twice changes nothing."""

    @extend_schema(
        operation_id="me_delegations_revoke",
        request=None,
        responses={200: DelegationSerializer, 404: OpenApiResponse(description="Not yours.")},
        tags=TAGS,
    )
    def post(self, request: Request, uuid) -> Response:
        delegation = households.delegation_get_for(user=request.user, uuid=uuid)
        if delegation is None:
            raise NotFound()
        delegation = households.delegation_revoke(actor=request.user, delegation=delegation)
        context = {"request": request, "now": timezone.now()}
        return Response(DelegationSerializer(delegation, context=context).data)


class ProxyActionFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[("by_me", _("Done by me")), ("for_me", _("Done for me or my family"))],
        method="filter_direction",
    )

    class Meta:
        model = ProxyAction
        fields = ["direction"]

    def filter_direction(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(actor=user) if value == "by_me" else queryset.exclude(actor=user)


class MyOnBehalfListView(generics.ListAPIView):
    """What was done on someone's behalf: by the signed-in person, or for them and their minor
    household members, newest first."""

    serializer_class = ProxyActionSerializer
    filterset_class = ProxyActionFilter
    ordering_fields = ["at"]
    ordering = ["-at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ProxyAction.objects.none()
        return households.proxy_actions_for(user=self.request.user)

    @extend_schema(operation_id="me_on_behalf_list", tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class CanActForView(APIView):
    """May I act for this person for this service? An unknown uuid answers `allowed: false`."""

    @extend_schema(
        operation_id="me_can_act_for",
        parameters=[CanActForQuerySerializer],
        responses=CanActForSerializer,
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        query = query_validated(request, CanActForQuerySerializer)
        basis = households.acting_basis_for_uuid(
            actor=request.user,
            service_code=query["service"],
            member_uuid=query.get("member"),
            user_uuid=query.get("user"),
        )
        return Response(
            CanActForSerializer({"allowed": basis is not None, "basis": basis and basis.kind}).data
        )
