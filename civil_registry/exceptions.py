"""Error codes of the civil registry module (rendered in the shared error shape).

400 ``nik_required`` — the applicant has no valid NIK on their account;
400 ``not_allowed_for_subject`` — the applicant may not act for that household member;
400 ``unknown_requirement`` — the document is for a requirement the type does not have;
400 ``document_unavailable`` — the document is not the applicant's own, unattached upload;
400 ``required`` / ``missing_document`` (attr ``subject_data.<field>`` / ``documents.<code>``) —
    submission without every required field or document: one error per missing item;
400 ``note_required`` / ``reason_required`` — a revision or rejection without a note;
400 ``issue_output_required`` — issuing without a PDF or a pick-up note;
409 ``not_editable`` — editing a request that is not a draft or waiting for revision;
409 ``invalid_transition`` — from services.workflow: the state does not allow the action;
404 — another person's request, document or issued document (never 403: no existence leak);
503 ``agency_not_configured`` — the handling agency (Disdukcapil) is not in the agency list: a
    server misconfiguration (the module's ``check_config`` names it in the admin), nothing is
    written.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError
from services.agencies import AgencyNotConfigured as PlatformAgencyNotConfigured
from services.workflow.guards import NoteRequired, ReasonRequired  # noqa: F401 (shared codes)


class NikRequired(ApplicationError):
    default_detail = _("Add your NIK to your account before you apply.")
    default_code = "nik_required"


class NotAllowedForSubject(ApplicationError):
    default_detail = _("You may not apply for this person.")
    default_code = "not_allowed_for_subject"


class UnknownRequirement(ApplicationError):
    default_detail = _("This request type has no such document requirement.")
    default_code = "unknown_requirement"


class DocumentUnavailable(ApplicationError):
    default_detail = _("Upload the document first; it must be yours and not used elsewhere.")
    default_code = "document_unavailable"


class IssueOutputRequired(ApplicationError):
    default_detail = _("Attach the signed PDF or write where to pick the document up.")
    default_code = "issue_output_required"


class NotEditable(ConflictError):
    default_detail = _("This request can no longer be changed.")
    default_code = "not_editable"


class AgencyNotConfigured(PlatformAgencyNotConfigured):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "Civil registry requests cannot be received right now. Please try again later."
    )
    default_code = "agency_not_configured"
