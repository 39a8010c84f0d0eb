"""Writes on receipts. Every module issues its receipts through :func:`receipt_issue`.

Example, in a module's own service once a request is submitted::

    from services.receipts.models import Receipt
    from services.receipts.services import receipt_issue

    transaction.on_commit(lambda: receipt_issue(
        obj=request, owner=request.applicant, kind=Receipt.Kind.REQUEST_SUBMITTED,
        issuer=request.agency, tracking_number=request.tracking_number,
        title="Permohonan Akta Kelahiran",
    ))

The title is public: it must name the service, never anything about the person (no health
condition, no address).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import is_staff_of
from services.receipts import payloads, signing
from services.receipts.exceptions import ReceiptNotAllowed
from services.receipts.models import Receipt


def _existing(object_type: ContentType, object_id: int, kind: str) -> Receipt | None:
    return (
        Receipt.objects.select_related("issuer")
        .filter(object_type=object_type, object_id=object_id, kind=kind)
        .first()
    )


def receipt_issue(
    *,
    obj,
    owner,
    kind: str,
    issuer,
    tracking_number: str,
    title: str,
    issued_at: dt.datetime | None = None,
    subject_name: str | None = None,
) -> Receipt:
    """Issue (sign and store) the receipt of ``kind`` for ``obj``, or return the one it has.

    ``subject_name`` is the person the transaction is for when it is not ``owner`` (a child's
    birth certificate); only its masked form is kept. Idempotent per (``obj``, ``kind``): a
    second call, or a concurrent one, returns the first receipt unchanged.
    """
    if obj.pk is None:
        raise ValueError("receipt_issue() needs a saved object.")
    object_type = ContentType.objects.get_for_model(obj)
    existing = _existing(object_type, obj.pk, kind)
    if existing is not None:
        return existing
    name = owner.full_name if subject_name is None else subject_name
    receipt = Receipt(
        code=payloads.new_code(),
        kind=kind,
        issuer=issuer,
        tracking_number=tracking_number,
        title=title,
        issued_at=(issued_at or timezone.now()).replace(microsecond=0),
        masked_name=payloads.mask_name(name or ""),
        owner=owner,
        object_type=object_type,
        object_id=obj.pk,
    )
    receipt.payload = payloads.issuance_payload(receipt)
    receipt.signature, receipt.key_id = signing.sign(receipt.payload)
    # issuer, owner and object type are instances already loaded: checking that they exist would
    # cost a query each
    receipt.full_clean(
        exclude=["issuer", "owner", "object_type"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            receipt.save(force_insert=True)
    except IntegrityError:
        existing = _existing(object_type, obj.pk, kind)
        if existing is None:
            raise
        return existing
    return receipt


def _is_issuer_staff(actor, receipt: Receipt) -> bool:
    return is_staff_of(actor, receipt.issuer_id)


@transaction.atomic
def receipt_revoke(*, receipt: Receipt, actor=None) -> Receipt:
    """Mark ``receipt`` revoked (a cancelled request, a refunded payment), signed so that the
    revocation cannot be forged or undone by an edit. ``actor`` is staff of the issuing agency,
    or ``None`` when a module's own logic revokes. Revoking twice changes nothing."""
    receipt = Receipt.objects.select_for_update().select_related("issuer").get(pk=receipt.pk)
    if actor is not None and not _is_issuer_staff(actor, receipt):
        raise ReceiptNotAllowed(_("Only staff of the issuing agency may revoke this receipt."))
    if receipt.is_revoked:
        return receipt
    receipt.status = Receipt.Status.REVOKED
    receipt.revoked_at = timezone.now().replace(microsecond=0)
    receipt.revocation_signature, receipt.revocation_key_id = signing.sign(
        payloads.revocation_payload(receipt)
    )
    receipt.save(
        update_fields=["status", "revoked_at", "revocation_signature", "revocation_key_id"]
    )
    return receipt
