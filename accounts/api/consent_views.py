"""``/api/v1/me/consents/`` (my decisions; grant or withdraw) and ``/api/v1/consent-texts/``
(the current texts, public, so that the app shows exactly what is recorded)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import consent
from accounts.api.consent_serializers import (
    ConsentChangeInputSerializer,
    ConsentOverviewSerializer,
    ConsentRecordSerializer,
    ConsentTextSerializer,
)
from accounts.models import ConsentRecord
from balikpapan_untuk_warga.api.errors import ErrorResponse409Serializer

TAGS = ["accounts"]


def consent_texts() -> list[dict]:
    labels = dict(ConsentRecord.Purpose.choices)
    return [
        {
            "purpose": purpose,
            "purpose_label": str(labels[purpose]),
            "version": text.version,
            "text": text.text(),
            "text_id": text.text_id,
            "text_en": text.text_en,
            "digest": text.digest,
            "per_object": text.per_object,
        }
        for purpose, text in consent.TEXTS.items()
    ]


class ConsentTextListView(APIView):
    """The current consent texts and their versions (public)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="consent_texts_list",
        responses=ConsentTextSerializer(many=True),
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response(ConsentTextSerializer(consent_texts(), many=True).data)


class MyConsentView(APIView):
    """Your consents to optional processing: the current state and the whole history."""

    @extend_schema(
        operation_id="me_consents_retrieve", responses=ConsentOverviewSerializer, tags=TAGS
    )
    def get(self, request: Request) -> Response:
        # One query: a citizen's history is a handful of deliberate decisions; the current
        # state is the newest record per purpose and object, picked from it.
        history = list(consent.consent_history_for(user=request.user))
        current = consent.consent_current_from(history)
        return Response(ConsentOverviewSerializer({"current": current, "history": history}).data)

    @extend_schema(
        operation_id="me_consents_change",
        description=(
            "Grant or withdraw a consent, with the version of the text you were shown. "
            "Withdrawing stops the processing at once (public complaint photos are deleted, "
            "notifications on that channel stop). Notification consents are granted by choosing "
            "topics in notifications/preferences/."
        ),
        request=ConsentChangeInputSerializer,
        responses={
            201: ConsentRecordSerializer,
            409: ErrorResponse409Serializer,
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = ConsentChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = consent.consent_change(
            actor=request.user,
            purpose=data.validated_data["purpose"],
            granted=data.validated_data["granted"],
            version=data.validated_data["version"],
            object_ref=data.validated_data["object_ref"],
            source=ConsentRecord.Source.API,
        )
        return Response(ConsentRecordSerializer(record).data, status=status.HTTP_201_CREATED)
