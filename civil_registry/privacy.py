"""What ``civil_registry`` holds about a person (see :mod:`privacy.registry`): their requests.

Requests with an issued document (``issued``, ``completed``) are kept for Disdukcapil, emptied of
the applicant's data; the document itself is the agency's record under UU No. 24/2013 jo.
23/2006 (Adminduk). Everything else goes with the account; drafts go after
``PRIVACY_DRAFT_RETENTION_DAYS`` untouched."""

from django.utils.translation import gettext_lazy as _

from civil_registry.models import CivilRequest, RequestDocument
from civil_registry.workflow import State
from privacy import registry
from privacy.helpers import RequestRecords

records = RequestRecords(
    model=CivilRequest,
    link_model=RequestDocument,
    output_field="issued_document",
    fields=[
        "uuid",
        "tracking_number",
        "request_type",
        "state",
        "relationship",
        "member_relationship",
        "subject_name",
        "subject_data",
        "kelurahan__name",
        "agency__name",
        "revision_note",
        "pickup_note",
        "created_at",
        "submitted_at",
        "issued_at",
        "issued_document__uuid",
        "national_status",
    ],
    draft_states=(State.DRAFT,),
    open_states=(State.SUBMITTED, State.IN_REVIEW, State.NEEDS_REVISION, State.APPROVED),
    retained_states=(State.ISSUED, State.COMPLETED),
    scrub={
        "subject_member": None,
        "subject_name": "",
        "subject_data": {},
        "subject_nik_sealed": "",
        "subject_nik_digest": None,
        "revision_note": "",
        "pickup_note": "",
    },
    blocked_message=_(
        "A civil registry request of yours is being handled. Cancel it, or wait for the answer."
    ),
)

registry.register(
    "civil_registry",
    export=records.export,
    erase=records.erase,
    purge=records.purge,
    blocks=records.blocks,
    order=200,
)
