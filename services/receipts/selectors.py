"""Reads on receipts: the owner's and the issuing agency's views, and public verification."""

from __future__ import annotations

import hmac
import re
import uuid as uuid_lib
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.selectors import staff_agency_ids
from services.receipts import payloads, signing
from services.receipts.models import Receipt

_CODE = re.compile(r"[A-Z2-7]{16}")


def receipt_list_for(*, user) -> QuerySet[Receipt]:
    """The receipts ``user`` owns, and, for active staff, those their agencies issued."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Receipt.objects.none()
    visible = Q(owner=user)
    if user.is_staff:
        visible |= Q(issuer_id__in=staff_agency_ids(user))
    return Receipt.objects.filter(visible).select_related("issuer")


def receipt_list_for_staff(*, user) -> QuerySet[Receipt]:
    """The receipts the agencies of staff member ``user`` issued (the admin's list)."""
    if not (user.is_active and user.is_staff):
        return Receipt.objects.none()
    return Receipt.objects.filter(issuer_id__in=staff_agency_ids(user)).select_related("issuer")


def receipt_get_for(*, user, uuid: uuid_lib.UUID | str) -> Receipt | None:
    try:
        uuid = uuid_lib.UUID(str(uuid))
    except ValueError:
        return None
    return receipt_list_for(user=user).filter(uuid=uuid).first()


class VerificationResult(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    TAMPERED = "tampered", _("Tampered")
    UNKNOWN = "unknown", _("Unknown")


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a code. ``receipt`` is set only when its data can be trusted
    (valid or revoked); a tampered receipt's fields are not shown as facts."""

    result: VerificationResult
    receipt: Receipt | None = None

    @property
    def signature_valid(self) -> bool:
        return self.result in (VerificationResult.VALID, VerificationResult.REVOKED)


def receipt_verify(*, code: str, short_signature: str | None = None) -> Verification:
    """Check the receipt with public ``code`` (as typed or scanned; case, spaces and hyphens do
    not matter).

    * ``unknown``: no receipt has the code;
    * ``tampered``: the stored fields no longer match the signed payload, a signature does not
      verify (or its key is unknown), the revocation is not signed, or ``short_signature`` (from
      a QR code) is not the start of the receipt's signature;
    * ``revoked``: authentic, and revoked by the issuer;
    * ``valid``: authentic and in force.
    """
    code = payloads.normalise_code(code or "")
    if not _CODE.fullmatch(code):
        return Verification(VerificationResult.UNKNOWN)
    receipt = Receipt.objects.select_related("issuer").filter(code=code).first()
    if receipt is None:
        return Verification(VerificationResult.UNKNOWN)
    if not _is_authentic(receipt, short_signature):
        return Verification(VerificationResult.TAMPERED)
    if receipt.is_revoked:
        return Verification(VerificationResult.REVOKED, receipt)
    return Verification(VerificationResult.VALID, receipt)


def _is_authentic(receipt: Receipt, short_signature: str | None) -> bool:
    payload = payloads.issuance_payload(receipt)
    if not hmac.compare_digest(payload.encode(), receipt.payload.encode()):
        return False
    if not signing.verify(payload, receipt.signature, receipt.key_id):
        return False
    if short_signature is not None and not hmac.compare_digest(
        short_signature.encode(), payloads.short_signature(receipt).encode()
    ):
        return False
    if receipt.status == Receipt.Status.REVOKED:
        return receipt.revoked_at is not None and signing.verify(
            payloads.revocation_payload(receipt),
            receipt.revocation_signature,
            receipt.revocation_key_id,
        )
    if receipt.status != Receipt.Status.VALID:
        return False
    # A valid receipt carries no trace of a revocation: one that was erased by hand is noticed.
    return receipt.revoked_at is None and not receipt.revocation_signature
