"""Reads of the data-subject rights, always scoped to the asking person."""

from __future__ import annotations

from django.db.models import QuerySet

from privacy.models import CorrectionRequest, ExportRequest


def export_list_for(*, user) -> QuerySet[ExportRequest]:
    return ExportRequest.objects.filter(user=user)


def export_get_for(*, user, uuid) -> ExportRequest | None:
    return ExportRequest.objects.filter(user=user, uuid=uuid).first()


def correction_list_for(*, user) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(user=user).prefetch_related("events")


def correction_get_for(*, user, uuid) -> CorrectionRequest | None:
    return correction_list_for(user=user).filter(uuid=uuid).first()
