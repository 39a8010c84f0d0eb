"""Reads, scoped to who asks. Citizens see the published forms and their own applications; active
staff see the submitted applications of the agencies they work for; agency admins see their
agencies' form definitions. The API, the portal and the admin all read through these."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from accounts.selectors import staff_agency_ids
from applications.models import Application, ApplicationDocument, ApplicationForm
from applications.workflow import State
from services.catalog.selectors import agencies_managed_by
from services.workflow import Deadline


def _uuid(value) -> uuid_lib.UUID | None:
    try:
        return uuid_lib.UUID(str(value))
    except ValueError:
        return None


# --- forms ------------------------------------------------------------------------------------


def form_list_published() -> QuerySet[ApplicationForm]:
    """Forms citizens can apply with now: published, open, of an active catalog service."""
    return (
        ApplicationForm.objects.filter(
            current_version__isnull=False,
            is_open=True,
            service__is_active=True,
            service__agency__is_active=True,
        )
        .select_related("service", "service__agency", "current_version")
        .order_by("service__name_id", "id")
    )


def form_get_published(*, key) -> ApplicationForm | None:
    """A published form by its uuid or its catalog service's code."""
    forms = form_list_published()
    as_uuid = _uuid(key)
    if as_uuid is not None:
        return forms.filter(uuid=as_uuid).first()
    return forms.filter(service__code=str(key)).first()


def form_admin_list_for(*, user) -> QuerySet[ApplicationForm]:
    """The definitions ``user`` may see and edit: their agencies' (all for a superuser)."""
    forms = ApplicationForm.objects.select_related("service", "agency", "current_version")
    if user.is_superuser:
        return forms
    return forms.filter(agency__in=agencies_managed_by(actor=user))


# --- applications -----------------------------------------------------------------------------


def _due_at_subquery():
    content_type = ContentType.objects.get_for_model(Application)
    return Subquery(
        Deadline.objects.filter(
            content_type=content_type, object_id=OuterRef("pk"), completed_at__isnull=True
        ).values("due_at")[:1]
    )


def application_list_for(*, user) -> QuerySet[Application]:
    """Applications ``user`` may see, annotated with ``due_at`` (the running or paused deadline)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Application.objects.none()
    queryset = Application.objects.select_related("agency").annotate(due_at=_due_at_subquery())
    if user.is_staff:
        # a draft is the citizen's own work in progress: staff see it once it is submitted
        return queryset.filter(agency_id__in=staff_agency_ids(user)).exclude(state=State.DRAFT)
    return queryset.filter(owner=user)


def application_get_for(*, user, uuid) -> Application | None:
    """The application with its version and documents if ``user`` may see it, else ``None``."""
    as_uuid = _uuid(uuid)
    if as_uuid is None:
        return None
    return (
        application_list_for(user=user)
        .select_related("owner", "version", "form", "output_document")
        .prefetch_related(
            Prefetch("documents", queryset=ApplicationDocument.objects.select_related("document"))
        )
        .filter(uuid=as_uuid)
        .first()
    )


def application_queue_for(*, user) -> QuerySet[Application]:
    """Staff's work queue: their agencies' submitted applications, oldest due first."""
    return (
        application_list_for(user=user)
        .select_related("owner")
        .order_by(F("due_at").asc(nulls_last=True), "created_at", "id")
    )
