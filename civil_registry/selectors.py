"""Reads, scoped to who asks: a citizen sees the requests they filed; active staff with a
membership in Disdukcapil see Disdukcapil's; everyone else (superusers included) sees nothing.
The API, the portal and the admin all read through these functions."""

from __future__ import annotations

import hmac
import uuid as uuid_lib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from accounts.selectors import staff_agency_ids
from civil_registry.models import CivilRequest, RequestDocument
from civil_registry.workflow import State
from services.receipts import payloads
from services.receipts.models import Receipt
from services.receipts.selectors import Verification, VerificationResult, receipt_verify
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
    return (
        request_list_for(user=user)
        .select_related("owner")
        .order_by(F("due_at").asc(nulls_last=True), "created_at", "id")
    )


# --- for the national-system tasks ------------------------------------------------------------


def request_nik_subject(*, request_id: int) -> tuple[str, str, str] | None:
    """(tracking number, NIK, name) of the person whose NIK the request rests on, or ``None``.

    A type with its own NIK field (akta kematian, KIA) names that person; the others rest on the
    applicant or the household member concerned (for an akta kelahiran the child has no NIK
    yet: the applicant's is checked)."""
    from accounts import identifiers

    request = (
        CivilRequest.objects.select_related("owner", "subject_member").filter(pk=request_id).first()
    )
    if request is None:
        return None
    if request.type_spec.nik_field:
        sealed, name = request.subject_nik_sealed, request.subject_name
    else:
        person = request.subject_member or request.owner
        sealed, name = person.nik_sealed or "", person.full_name
    if not sealed:
        return None
    return request.tracking_number, identifiers.unseal(sealed), name


def requests_to_pull(*, limit: int) -> list[tuple[int, str]]:
    """(id, reference) of requests handed to the national system whose status there is not final
    yet and that are still open here, least recently checked first."""
    from civil_registry.national import FINAL_STATUSES

    return list(
        CivilRequest.objects.exclude(national_reference="")
        .exclude(national_status__in=FINAL_STATUSES)
        .filter(state__in=(State.APPROVED, State.ISSUED))
        .order_by(F("national_checked_at").asc(nulls_first=True), "id")
        .values_list("id", "national_reference")[:limit]
    )


# --- public verification of an issued document ------------------------------------------------


@dataclass(frozen=True)
class IssuedDocumentCheck:
    """What the public may learn about an issued document from its receipt code."""

    verification: Verification
    request: CivilRequest

    @property
    def receipt(self):
        return self.verification.receipt

    @property
    def has_file(self) -> bool:
        return self.request.issued_document_id is not None

    def file_matches(self, sha256: str | None) -> bool | None:
        """Whether a file with this SHA-256 (hex) is the issued document; ``None``: not asked."""
        if sha256 is None:
            return None
        document = self.request.issued_document
        return bool(
            document
            and hmac.compare_digest(document.sha256.encode(), sha256.strip().lower().encode())
        )


def issued_document_check(*, code: str, short_signature: str | None = None):
    """The check of the civil registry document whose receipt has ``code``, or ``None`` (answer
    404) when no receipt has it or it is not a civil registry document. A tampered receipt is
    reported as such (``verification.result``) without its facts."""
    verification = receipt_verify(code=code, short_signature=short_signature)
    if verification.result == VerificationResult.UNKNOWN:
        return None
    receipt = (
        verification.receipt or Receipt.objects.filter(code=payloads.normalise_code(code)).first()
    )
    content_type = ContentType.objects.get_for_model(CivilRequest)
    if receipt is None or receipt.object_type_id != content_type.pk:
        return None
    request = (
        CivilRequest.objects.select_related("issued_document").filter(pk=receipt.object_id).first()
    )
    if request is None:
        return None
    return IssuedDocumentCheck(verification=verification, request=request)
