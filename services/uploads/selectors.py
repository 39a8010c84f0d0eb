"""Reads on documents, scoped to who is asking.

A document is visible to its owner, and to active staff with a membership (any role) in the
agency that handles it (``Document.agency``, set when the document is attached to a request).
Everyone else, superusers included, gets nothing: the API and the admin answer 404.
"""

from __future__ import annotations

import uuid as uuid_lib

from django.db.models import Q, QuerySet

from accounts.selectors import is_staff_of, staff_agency_ids
from services.uploads.models import Document


def _visible_q(user) -> Q | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    visible = Q(owner=user)
    if user.is_staff:
        visible |= Q(agency__isnull=False, agency_id__in=staff_agency_ids(user))
    return visible


def document_list_for(*, user) -> QuerySet[Document]:
    """Every document ``user`` may see, newest first."""
    visible = _visible_q(user)
    if visible is None:
        return Document.objects.none()
    return Document.objects.filter(visible).select_related("owner", "agency", "object_type")


def document_get_for(*, user, uuid: uuid_lib.UUID | str) -> Document | None:
    """The document if ``user`` may see it, else ``None`` (the caller answers 404)."""
    try:
        uuid = uuid_lib.UUID(str(uuid))
    except ValueError:
        return None
    return document_list_for(user=user).filter(uuid=uuid).first()


def document_get_attachable(*, owner, uuid: uuid_lib.UUID | str) -> Document | None:
    """``owner``'s own document, not yet attached to anything: what a module may attach to the
    request ``owner`` is submitting. ``None`` for anyone else's or an attached one."""
    document = document_get_for(user=owner, uuid=uuid)
    if document is None or document.owner_id != owner.pk or document.is_attached:
        return None
    return document


def document_list_for_object(*, obj) -> QuerySet[Document]:
    """The documents attached to ``obj`` (for a module's own scoped views), oldest first."""
    from django.contrib.contenttypes.models import ContentType

    return Document.objects.filter(
        object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("created_at", "id")


def is_handling_staff(*, user, document: Document) -> bool:
    """Whether ``user`` sees ``document`` as staff of its agency rather than as its owner."""
    return document.owner_id != user.pk and is_staff_of(user, document.agency_id)
