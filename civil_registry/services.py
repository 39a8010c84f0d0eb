"""Writes of the civil registry module. The API, the portal, the admin, the tasks and the demo
data all call these functions; none of them changes a request any other way.

State changes go through ``services.workflow.transition_perform`` (history row, activity item,
notification after commit). Side effects (the national-system push, receipts) run on commit.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts import identifiers
from accounts.households import acting_basis, proxy_action_record
from accounts.models import HouseholdMember
from civil_registry import exceptions
from civil_registry.models import CivilRequest, Relationship, RequestDocument
from civil_registry.national import NikCheck
from civil_registry.types import REQUEST_TYPES, RequestType
from civil_registry.workflow import State
from services.agencies import agency_required
from services.models import Agency
from services.uploads.models import Document
from services.uploads.selectors import document_get_attachable
from services.uploads.services import document_attach, document_upload
from services.workflow import (
    deadline_start,
    deadline_stop,
    tracking_number_next,
    transition_perform,
    workflow_start,
)
from services.workflow.guards import note_clean, transition_ensure_allowed

AGENCY_CODE = "disdukcapil"
TRACKING_PREFIX = "DUK"

logger = logging.getLogger(__name__)


# --- subject data -----------------------------------------------------------------------------


def _clean_subject_data(
    *, spec: RequestType, data: dict, partial_ok: bool
) -> tuple[dict, str | None]:
    """Validate ``data`` with the type's serializer; return (storable data, NIK or None).

    Raises a DRF ``ValidationError`` whose attrs are ``subject_data.<field>``."""
    if not isinstance(data, dict):
        raise serializers.ValidationError(
            {"subject_data": [_("Expected an object of fields.")]}, code="invalid"
        )
    serializer = spec.serializer(data=data, partial=partial_ok)
    if not serializer.is_valid():
        raise serializers.ValidationError({"subject_data": serializer.errors})
    if partial_ok:  # a draft may lack fields, but a list row (a moving member) is all or nothing
        rows = spec.serializer()  # not partial: its nested rows need every field
        errors = {}
        for name, field in rows.fields.items():
            if isinstance(field, serializers.ListSerializer) and name in data:
                try:
                    field.run_validation(data[name])
                except serializers.ValidationError as exc:
                    errors[name] = exc.detail
        if errors:
            raise serializers.ValidationError({"subject_data": errors})
    validated = dict(serializer.validated_data)
    nik = validated.pop(spec.nik_field, None) if spec.nik_field else None
    storable = {
        name: serializer.fields[name].to_representation(value) for name, value in validated.items()
    }
    return storable, nik


def _full_data(request: CivilRequest) -> dict:
    data = dict(request.subject_data)
    spec = request.type_spec
    if spec.nik_field and request.subject_nik_sealed:
        data[spec.nik_field] = identifiers.unseal(request.subject_nik_sealed)
    return data


def _apply_subject(request: CivilRequest, spec: RequestType, data: dict, nik: str | None) -> None:
    request.subject_data = data
    if nik:
        request.subject_nik_sealed = identifiers.seal(nik)
        request.subject_nik_digest = identifiers.digest(nik)
    if spec.name_field and data.get(spec.name_field):
        request.subject_name = data[spec.name_field]


# --- citizen ----------------------------------------------------------------------------------


def _handling_agency() -> Agency:
    """Disdukcapil's row. Without it no request can be received: a server misconfiguration
    (``check_config`` reports it), answered as a 503 in the shared error shape, never a crash."""
    return agency_required(AGENCY_CODE, error=exceptions.AgencyNotConfigured)


def _require_valid_nik(actor) -> None:
    if not actor.nik_digest:
        raise exceptions.NikRequired()


def _subject_basis(*, actor, member: HouseholdMember | None, service_code: str):
    if member is None:
        return None
    basis = acting_basis(actor=actor, subject=member, service_code=service_code)
    if basis is None:
        raise exceptions.NotAllowedForSubject()
    return basis


@transaction.atomic
def request_create(
    *,
    actor,
    request_type: str,
    subject_data: dict | None = None,
    subject_member: HouseholdMember | None = None,
    kelurahan=None,
) -> CivilRequest:
    """A draft of ``request_type`` by ``actor``, for themselves or ``subject_member`` (a member
    of their household they may act for). Fields are checked for shape now, completeness on
    submission."""
    agency = _handling_agency()
    _require_valid_nik(actor)
    spec = REQUEST_TYPES[request_type]
    data, nik = _clean_subject_data(spec=spec, data=subject_data or {}, partial_ok=True)
    basis = _subject_basis(actor=actor, member=subject_member, service_code=request_type)
    if subject_member is None or basis.kind == "self":
        relationship = Relationship.SELF
    elif basis.kind == "delegation":
        relationship = Relationship.DELEGATION
    else:
        relationship = Relationship.HOUSEHOLD_MEMBER
    request = CivilRequest(
        request_type=request_type,
        owner=actor,
        agency=agency,
        subject_member=subject_member,
        relationship=relationship,
        member_relationship=subject_member.relationship if subject_member else "",
        subject_name=subject_member.full_name if subject_member else actor.full_name,
        kelurahan=kelurahan or actor.home_kelurahan,
        tracking_number=tracking_number_next(prefix=TRACKING_PREFIX),
    )
    _apply_subject(request, spec, data, nik)
    if not spec.nik_field:  # the person concerned is the applicant or the member
        person = subject_member if subject_member is not None else actor
        request.subject_nik_sealed = person.nik_sealed or ""
        request.subject_nik_digest = person.nik_digest
    request.full_clean(exclude=["subject_data", "state"])
    request.save(force_insert=True)
    workflow_start(obj=request, actor=actor)
    if subject_member is not None and basis.kind != "self":
        proxy_action_record(
            actor=actor,
            subject=subject_member,
            service_code=request_type,
            description=f"{spec.title} {request.tracking_number}",
            delegation=basis.delegation,
        )
    return request


def _lock_editable(request: CivilRequest) -> CivilRequest:
    locked = CivilRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_editable:
        raise exceptions.NotEditable()
    return locked


@transaction.atomic
def request_update(
    *, actor, request: CivilRequest, subject_data: dict | None = None, kelurahan=None
) -> CivilRequest:
    """Change the subject data (fields given replace those stored) or the kelurahan of a draft
    or of a request sent back for revision. Only the owner calls it (the caller's selector)."""
    locked = _lock_editable(request)
    spec = locked.type_spec
    fields = ["updated_at"]
    if subject_data is not None:
        data, nik = _clean_subject_data(spec=spec, data=subject_data, partial_ok=True)
        _apply_subject(locked, spec, {**locked.subject_data, **data}, nik)
        fields += ["subject_data", "subject_nik_sealed", "subject_nik_digest", "subject_name"]
    if kelurahan is not None:
        locked.kelurahan = kelurahan
        fields.append("kelurahan")
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def request_document_attach(
    *, actor, request: CivilRequest, requirement: str, document_uuid
) -> RequestDocument:
    """Use the applicant's uploaded document for ``requirement``; a later one replaces it."""
    locked = _lock_editable(request)
    if locked.type_spec.requirement(requirement) is None:
        raise exceptions.UnknownRequirement()
    document = document_get_attachable(owner=actor, uuid=document_uuid)
    if document is None:
        raise exceptions.DocumentUnavailable()
    document_attach(document=document, obj=locked, agency=locked.agency)
    now = timezone.now()
    link = RequestDocument.objects.filter(request=locked, requirement=requirement).first()
    if link is None:
        link = RequestDocument.objects.create(
            request=locked, requirement=requirement, document=document, attached_at=now
        )
    else:
        link.document = document
        link.attached_at = now
        link.save(update_fields=["document", "attached_at"])
    locked.save(update_fields=["updated_at"])
    return link


def request_check_complete(*, request: CivilRequest) -> None:
    """Raise one 400 listing every missing or invalid field and every missing document."""
    spec = request.type_spec
    errors: dict = {}
    data = _full_data(request)
    serializer = spec.serializer(data=data)
    if not serializer.is_valid():
        errors["subject_data"] = serializer.errors
    present = set(request.documents.values_list("requirement", flat=True))
    missing = spec.missing_documents(data=data, present=present)
    if missing:
        errors["documents"] = {
            r.code: [
                serializers.ErrorDetail(
                    _("Missing document: %(label)s") % {"label": r.label}, code="missing_document"
                )
            ]
            for r in missing
        }
    if errors:
        raise serializers.ValidationError(errors)


@transaction.atomic
def request_submit(*, actor, request: CivilRequest) -> CivilRequest:
    """Submit a draft, or send back a revised request. The clock starts on the first submission
    and resumes (with the time left) on a resubmission; see ``workflow.py``."""
    locked = CivilRequest.objects.select_for_update().get(pk=request.pk)
    name = "resubmit" if locked.state == State.NEEDS_REVISION else "submit"
    # the state and the actor first: a 409/403 is more telling than a list of missing fields
    transition_ensure_allowed(obj=locked, name=name, actor=actor)
    request_check_complete(request=locked)
    transition_perform(obj=locked, name=name, actor=actor)
    if name == "submit":
        locked.submitted_at = timezone.now()
        locked.revision_note = ""
        locked.save(update_fields=["submitted_at", "revision_note", "updated_at"])
        deadline_start(obj=locked, agency=locked.agency, days=locked.type_spec.working_days)
    else:
        locked.save(update_fields=["updated_at"])
    # the data may have changed in a revision: check (again) after every submission
    transaction.on_commit(partial(_queue_nik_check, locked.pk))
    return locked


def _queue(task_name: str, request_id: int) -> None:
    """Queue a national-system task after the commit. Whatever happens to it (a broker outage;
    in eager mode without a broker, the task's own failure) is logged, never shown to the
    citizen or staff whose action is already done."""
    from civil_registry import tasks

    try:
        getattr(tasks, task_name).delay(request_id)
    except Exception:
        logger.exception("Could not run %s for request id %s", task_name, request_id)


def _queue_nik_check(request_id: int) -> None:
    _queue("request_check_nik", request_id)


def _queue_national_push(request_id: int) -> None:
    _queue("request_push_to_national", request_id)


@transaction.atomic
def request_cancel(*, actor, request: CivilRequest, note: str = "") -> CivilRequest:
    transition_perform(obj=request, name="cancel", actor=actor, note=note_clean(note))
    return request


# --- staff ------------------------------------------------------------------------------------


@transaction.atomic
def request_start_review(*, actor, request: CivilRequest) -> CivilRequest:
    transition_perform(obj=request, name="start_review", actor=actor)
    return request


@transaction.atomic
def request_ask_revision(*, actor, request: CivilRequest, note: str) -> CivilRequest:
    note = note_clean(note)
    if not note:
        raise exceptions.NoteRequired()
    transition_perform(obj=request, name="ask_revision", actor=actor, note=note)
    request.revision_note = note
    request.save(update_fields=["revision_note", "updated_at"])
    return request


@transaction.atomic
def request_approve(*, actor, request: CivilRequest, note: str = "") -> CivilRequest:
    """Approve; the request is then handed to the national system (a task, on commit)."""
    transition_perform(obj=request, name="approve", actor=actor, note=note_clean(note))
    transaction.on_commit(partial(_queue_national_push, request.pk))
    return request


@transaction.atomic
def request_reject(*, actor, request: CivilRequest, reason: str) -> CivilRequest:
    reason = note_clean(reason)
    if not reason:
        raise exceptions.ReasonRequired()
    transition_perform(obj=request, name="reject", actor=actor, note=reason)
    return request


@transaction.atomic
def request_issue(*, actor, request: CivilRequest, pdf=None, pickup_note: str = "") -> CivilRequest:
    """Issue the document: attach the signed PDF of the national system (``pdf``, a file) or
    say where to pick it up (``pickup_note``, e.g. "MPP counter 4"). A receipt follows on commit.
    """
    pickup_note = (pickup_note or "").strip()[:200]
    if pdf is None and not pickup_note:
        raise exceptions.IssueOutputRequired()
    transition_ensure_allowed(obj=request, name="issue", actor=actor)
    document = None
    if pdf is not None:
        document = document_upload(owner=request.owner, file=pdf, purpose="civil_registry:issued")
        if document.content_type != Document.Kind.PDF:
            raise serializers.ValidationError(
                {"pdf": [_("The issued document must be a PDF.")]}, code="not_pdf"
            )
    note = _("Ready for pick-up: %(where)s") % {"where": pickup_note} if pickup_note else ""
    transition_perform(obj=request, name="issue", actor=actor, note=note)
    fields = ["issued_at", "pickup_note", "updated_at"]
    if document is not None:
        document_attach(document=document, obj=request, agency=request.agency)
        request.issued_document = document
        fields.append("issued_document")
    request.issued_at = timezone.now()
    request.pickup_note = pickup_note
    request.save(update_fields=fields)
    deadline_stop(obj=request)
    transaction.on_commit(partial(_issue_receipt, request.pk))
    return request


def _issue_receipt(request_id: int):
    from services.receipts.models import Receipt
    from services.receipts.services import receipt_issue

    request = CivilRequest.objects.select_related("owner", "agency").get(pk=request_id)
    with translation.override(settings.LANGUAGE_CODE):  # the public title, in Indonesian
        title = str(request.type_spec.title)
    return receipt_issue(
        obj=request,
        owner=request.owner,
        kind=Receipt.Kind.DOCUMENT_ISSUED,
        issuer=request.agency,
        tracking_number=request.tracking_number,
        title=title,
        issued_at=request.issued_at,
        subject_name=request.subject_name or None,
    )


@transaction.atomic
def request_complete(*, actor, request: CivilRequest) -> CivilRequest:
    transition_perform(obj=request, name="complete", actor=actor)
    return request


# --- the national system (called by tasks) ----------------------------------------------------


@transaction.atomic
def request_national_record(
    *, request_id: int, reference: str | None = None, status: str
) -> CivilRequest:
    """Record what the national population system says about a request (no state change)."""
    request = CivilRequest.objects.select_for_update().get(pk=request_id)
    fields = ["national_status", "national_checked_at"]
    if reference and not request.national_reference:
        request.national_reference = reference[:64]
        fields.append("national_reference")
    request.national_status = status[:32]
    request.national_checked_at = timezone.now()
    request.save(update_fields=fields)
    return request


@transaction.atomic
def request_nik_check_record(*, request_id: int, result: str) -> CivilRequest:
    """Record the national system's answer on the NIK concerned (for staff; no state change)."""
    request = CivilRequest.objects.select_for_update().get(pk=request_id)
    request.nik_check = NikCheck(result)
    request.nik_checked_at = timezone.now()
    request.save(update_fields=["nik_check", "nik_checked_at"])
    return request
