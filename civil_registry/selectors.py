"""Reads, scoped to who asks: a citizen sees the requests they filed; active staff with a
membership in Disdukcapil see Disdukcapil's; everyone else (superusers included) sees nothing.
The API, the portal and the admin all read through these functions."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from accounts.selectors import staff_agency_ids
from civil_registry.models import CivilRequest, RequestDocument
from civil_registry.workflow import State
from services.workflow import Deadline


def _due_at_subquery():
    content_type = ContentType.objects.get_for_model(CivilRequest)
    return Subquery(
        Deadline.objects.filter(
            content_type=content_type, object_id=OuterRef("pk"), completed_at__isnull=True
        ).values("due_at")[:1]
    )


def request_list_for(*, user) -> QuerySet[CivilRequest]:
    """Requests ``user`` may see, annotated with ``due_at`` (the running or paused deadline)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return CivilRequest.objects.none()
    queryset = CivilRequest.objects.select_related("agency", "kelurahan").annotate(
        due_at=_due_at_subquery()
    )
    if user.is_staff:
        agencies = staff_agency_ids(user)
        # a draft is the citizen's own work in progress: staff see it once it is submitted
        return queryset.filter(agency_id__in=agencies).exclude(state=State.DRAFT)
    return queryset.filter(owner=user)


def request_get_for(*, user, uuid) -> CivilRequest | None:
    """The request with its documents if ``user`` may see it, else ``None`` (answer 404)."""
    try:
        uuid = uuid_lib.UUID(str(uuid))
    except ValueError:
        return None
    return (
        request_list_for(user=user)
        .select_related("owner", "issued_document", "subject_member")
        .prefetch_related(
            Prefetch("documents", queryset=RequestDocument.objects.select_related("document"))
        )
        .filter(uuid=uuid)
        .first()
    )


def request_queue_for(*, user) -> QuerySet[CivilRequest]:
    """Staff's work queue: their agency's submitted requests, oldest due first."""
    from django.db.models import F

    return (
        request_list_for(user=user)
        .select_related("owner")
        .order_by(F("due_at").asc(nulls_last=True), "created_at", "id")
    )


def is_overdue(request: CivilRequest, now=None) -> bool:
    due_at = getattr(request, "due_at", None)
    return bool(
        due_at and due_at < (now or timezone.now()) and request.workflow.is_open(request.state)
    )
