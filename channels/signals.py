"""Status changes of complaints filed by WhatsApp without an account reach the citizen on
WhatsApp (account holders are notified by the notification kit, on the channels they chose); and
changes of complaints renew Open311's cached request lists.

A signal, not a call from ``complaints``: it keeps the complaints module free of the channels
(STYLE rule 8, signals only to decouple apps)."""

from __future__ import annotations

import datetime as dt
import functools
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from channels.models import ServiceRequest
from channels.open311 import caching as open311_caching
from channels.open311.selectors import PUBLIC_COMPLAINT_FIELDS
from complaints.models import Complaint
from services.workflow.models import StatusHistory

#: Transitions within this time of filing are part of filing (routing); the citizen was told.
FILING_GRACE = dt.timedelta(minutes=1)


@receiver(post_save, sender=StatusHistory, dispatch_uid="channels.complaint_status_to_whatsapp")
def complaint_status_to_whatsapp(sender, instance: StatusHistory, created: bool, **kwargs):
    if not created or instance.is_internal or not instance.from_state:
        return
    if instance.content_type.app_label != "complaints":
        return
    transaction.on_commit(
        partial(complaint_status_send, history_id=instance.pk, complaint_id=instance.object_id),
        robust=True,
    )


def complaint_status_send(*, history_id: int, complaint_id: int) -> bool:
    """Queue the WhatsApp message of one complaint history row, once. The thread is looked for
    first: a complaint without one (most of them: filed in the app) costs one query."""
    from channels.models import ComplaintThread, Message
    from channels.whatsapp.services import reply_queue

    thread = (
        ComplaintThread.objects.select_related("complaint", "conversation")
        .filter(complaint_id=complaint_id)
        .first()
    )
    if thread is None or thread.complaint.reporter_id is not None:
        return False
    complaint = thread.complaint
    history = StatusHistory.objects.filter(pk=history_id, object_id=complaint_id).first()
    if history is None:
        return False
    if history.at - complaint.created_at < FILING_GRACE:
        return False
    if Message.objects.filter(payload__history=history_id).exists():
        return False
    with translation.override(thread.conversation.language):
        text = _("Update on %(number)s: %(state)s.") % {
            "number": complaint.tracking_number,
            "state": complaint.workflow.label(history.to_state),
        }
        if history.note:
            text = f"{text}\n{history.note}"
    with transaction.atomic():
        message = reply_queue(conversation=thread.conversation, text=text, complaint=complaint)
        Message.objects.filter(pk=message.pk).update(payload={"history": history_id})
    return True


# --- Open311: the cached requests lists follow the complaints --------------------------------------


@functools.cache
def _public_fields() -> frozenset[str]:
    """The complaint fields an Open311 answer is built from, by name and column name (``save``
    accepts either in ``update_fields``)."""
    names = set(PUBLIC_COMPLAINT_FIELDS)
    names.update(Complaint._meta.get_field(name).attname for name in PUBLIC_COMPLAINT_FIELDS)
    return frozenset(names)


@receiver(post_save, sender=Complaint, dispatch_uid="channels.open311_complaint_saved")
@receiver(post_delete, sender=Complaint, dispatch_uid="channels.open311_complaint_deleted")
@receiver(post_save, sender=ServiceRequest, dispatch_uid="channels.open311_request_saved")
@receiver(post_delete, sender=ServiceRequest, dispatch_uid="channels.open311_request_deleted")
def open311_requests_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A complaint (or its Open311 request) was filed, changed in a public field, or deleted:
    bump the version of the cached ``requests.json`` answers (one cache round trip; a save of
    other fields only, such as the SLA flag, leaves the cache alone). Now, so that the next read
    in this transaction sees the change, and again after the commit: a read by another request
    between the two still saw the old rows and cached them under the version of the first bump."""
    if update_fields is not None and not (set(update_fields) & _public_fields()):
        return
    open311_caching.changed()
    transaction.on_commit(open311_caching.changed, robust=True)
