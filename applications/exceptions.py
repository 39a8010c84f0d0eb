"""Error codes of the applications module (rendered in the shared error shape).

400 ``answers.<key>`` with ``required`` / ``not_applicable`` / ``unknown_field`` / ``invalid_*`` /
    ``min_*`` / ``max_*`` / ``pattern`` — the answers do not follow the published definition;
400 ``documents.<code>`` ``missing_document`` — submission without a needed document;
400 ``unknown_requirement`` — a document for a requirement the form does not have;
400 ``document_unavailable`` — the document is not the applicant's own, unattached upload;
400 ``form_not_published`` — the service has no published form (or it is closed);
400 ``form_invalid`` — publishing a definition with problems (listed);
400 ``note_required`` / ``reason_required`` — a revision or rejection without a note;
400 ``output_required`` — completing without the output document;
409 ``not_editable`` — changing an application that is not a draft or waiting for revision;
409 ``invalid_transition`` — from services.workflow;
404 — another person's application, a form of another agency in the admin.
"""

from django.utils.translation import gettext_lazy as _

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError
from services.workflow.guards import NoteRequired, ReasonRequired  # noqa: F401 (shared codes)


class FormNotPublished(ApplicationError):
    default_detail = _("This service cannot be applied for online yet.")
    default_code = "form_not_published"


class FormInvalid(ApplicationError):
    default_detail = _("The form cannot be published yet.")
    default_code = "form_invalid"


class UnknownRequirement(ApplicationError):
    default_detail = _("This form has no such document requirement.")
    default_code = "unknown_requirement"


class DocumentUnavailable(ApplicationError):
    default_detail = _("Upload the document first; it must be yours and not used elsewhere.")
    default_code = "document_unavailable"


class OutputRequired(ApplicationError):
    default_detail = _("Attach the signed output document (PDF).")
    default_code = "output_required"


class NotEditable(ConflictError):
    default_detail = _("This application can no longer be changed.")
    default_code = "not_editable"
