"""What ``applications`` holds about a person (see :mod:`privacy.registry`): their online
applications. Approved or completed ones (a permit or letter was issued) are kept for the agency,
emptied of the applicant's answers; the rest go with the account; drafts go after
``PRIVACY_DRAFT_RETENTION_DAYS`` untouched."""

from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationDocument
from applications.workflow import State
from privacy import registry
from privacy.helpers import RequestRecords

records = RequestRecords(
    model=Application,
    link_model=ApplicationDocument,
    output_field="output_document",
    fields=[
        "uuid",
        "tracking_number",
        "service_code",
        "title",
        "state",
        "answers",
        "agency__name",
        "revision_note",
        "decision_note",
        "created_at",
        "submitted_at",
        "decided_at",
        "output_document__uuid",
    ],
    draft_states=(State.DRAFT,),
    open_states=(State.SUBMITTED, State.IN_REVIEW, State.NEEDS_REVISION),
    retained_states=(State.APPROVED, State.COMPLETED),
    scrub={"answers": {}, "sealed_answers": {}, "revision_note": "", "decision_note": ""},
    blocked_message=_(
        "An online application of yours is being handled. Cancel it, or wait for the answer."
    ),
)

registry.register(
    "applications",
    export=records.export,
    erase=records.erase,
    purge=records.purge,
    blocks=records.blocks,
    order=200,
)
