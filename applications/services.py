"""Writes of the applications module: definitions (create, publish) and applications (draft,
answers, documents, submit, cancel, the staff's decisions and the output). The API, the portal,
the admin and the demo seeding all call these functions.

State changes go through ``services.workflow.transition_perform`` (history row, activity item,
notification after commit).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts import identifiers
from applications import definition, exceptions
from applications.models import (
    AgencyPrefix,
    Application,
    ApplicationDocument,
    ApplicationForm,
    FormField,
    FormRequirement,
    FormVersion,
    OutputKind,
)
from applications.workflow import State
from services.catalog.selectors import may_manage_agency
from services.uploads.models import Document
from services.uploads.selectors import document_get_attachable
from services.uploads.services import document_attach, document_upload
from services.workflow import (
    deadline_start,
    tracking_number_next,
    transition_perform,
    workflow_start,
)
from services.workflow.guards import note_clean, transition_ensure_allowed

# --- definitions ------------------------------------------------------------------------------


def _optional_number(value):
    return None if value is None else str(value)


def form_spec(form: ApplicationForm) -> dict:
    """The draft definition of ``form`` (its current rows) as a spec."""
    service = form.service
    return {
        "service_code": service.code,
        "title_id": service.name_id,
        "title_en": service.name_en,
        "intro_id": form.intro_id,
        "intro_en": form.intro_en,
        "working_days": form.working_days,
        "output": {
            "kind": form.output_kind,
            "name_id": form.output_name_id,
            "name_en": form.output_name_en,
            "letter_template": form.letter_template,
        },
        "requirements": [
            {
                "code": r.code,
                "label_id": r.label_id,
                "label_en": r.label_en,
                "required": r.is_required,
            }
            for r in form.requirements.order_by("position", "id")
        ],
        "fields": [
            {
                "key": f.key,
                "type": f.field_type,
                "label_id": f.label_id,
                "label_en": f.label_en,
                "help_id": f.help_id,
                "help_en": f.help_en,
                "required": f.is_required,
                "min_length": f.min_length,
                "max_length": f.max_length,
                "min_value": _optional_number(f.min_value),
                "max_value": _optional_number(f.max_value),
                "integer": f.is_integer,
                "pattern": f.pattern,
                "choices": definition.parse_choices(f.choices),
                "requirement": f.requirement_code,
                "show_when": {"field": f.show_when_field, "value": f.show_when_value}
                if f.show_when_field
                else None,
            }
            for f in form.fields.order_by("position", "id")
        ],
    }


def _check_may_manage(actor, agency_id) -> None:
    if actor is not None and not may_manage_agency(actor=actor, agency_id=agency_id):
        raise exceptions.FormInvalid(_("You may only define the forms of your own agency."))


@transaction.atomic
def form_create(*, actor, service, **values) -> ApplicationForm:
    """The (unpublished) form of a catalog ``service``; it belongs to the service's agency."""
    _check_may_manage(actor, service.agency_id)
    form = ApplicationForm(service=service, agency=service.agency, **values)
    form.full_clean(exclude=["current_version"])
    form.save(force_insert=True)
    return form


@transaction.atomic
def form_set_definition(
    *, actor, form: ApplicationForm, fields: list[dict], requirements: list[dict]
) -> ApplicationForm:
    """Replace the draft fields and required documents (the demo data and tests use it; agency
    admins edit the same rows inline in the admin)."""
    _check_may_manage(actor, form.agency_id)
    form.fields.all().delete()
    form.requirements.all().delete()
    for position, row in enumerate(requirements, start=1):
        requirement = FormRequirement(form=form, position=position, **row)
        requirement.full_clean()
        requirement.save()
    for position, row in enumerate(fields, start=1):
        field = FormField(form=form, position=position, **row)
        field.full_clean()
        field.save()
    return form


@transaction.atomic
def form_publish(*, actor, form: ApplicationForm) -> FormVersion:
    """Freeze the draft into a new immutable version and make it the one citizens apply with.
    Applications already filed keep their own version."""
    form = ApplicationForm.objects.select_for_update().select_related("service").get(pk=form.pk)
    _check_may_manage(actor, form.agency_id)
    form.full_clean(exclude=["current_version"])
    spec = form_spec(form)
    problems = definition.spec_problems(spec)
    if problems:
        raise exceptions.FormInvalid("; ".join(str(p) for p in problems))
    number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = FormVersion.objects.create(
        form=form,
        number=number,
        spec=spec,
        published_at=timezone.now(),
        published_by=actor,
    )
    form.current_version = version
    form.save(update_fields=["current_version", "updated_at"])
    return version


def tracking_prefix(agency) -> str:
    """The agency's prefix (``AgencyPrefix``), else ``P`` and the first letters of its code."""
    row = AgencyPrefix.objects.filter(agency=agency).only("prefix").first()
    if row is not None:
        return row.prefix
    letters = "".join(ch for ch in agency.code.upper() if "A" <= ch <= "Z")
    return ("P" + letters)[:5].ljust(2, "X")


# --- answers ----------------------------------------------------------------------------------


def _seal(spec: dict, answers: dict) -> tuple[dict, dict]:
    """Split NIK answers out: stored sealed, shown masked."""
    plain, sealed = dict(answers), {}
    for key in definition.nik_keys(spec):
        if key in plain:
            sealed[key] = identifiers.seal(plain[key])
            plain[key] = identifiers.mask_identifier(plain[key])
    return plain, sealed


def full_answers(application: Application) -> dict:
    """The answers with the NIKs unsealed (for validation, the owner's form and the agency)."""
    answers = dict(application.answers)
    for key, sealed in application.sealed_answers.items():
        if key in answers:
            answers[key] = identifiers.unseal(sealed)
    return answers


def _store_answers(application: Application, spec: dict, answers: dict) -> None:
    application.answers, application.sealed_answers = _seal(spec, answers)


# --- citizen ----------------------------------------------------------------------------------


def _published(form: ApplicationForm) -> FormVersion:
    if form.current_version_id is None or not form.is_open or not form.service.is_active:
        raise exceptions.FormNotPublished()
    return form.current_version


@transaction.atomic
def application_create(*, actor, form: ApplicationForm, answers: dict | None = None) -> Application:
    """A draft with the form's published version (kept whatever is published later)."""
    version = _published(form)
    spec = version.spec
    cleaned = definition.validate_answers(spec, answers or {}, partial=True)
    with translation.override(settings.LANGUAGE_CODE):
        title = definition.text_in(spec, "title")
    application = Application(
        form=form,
        version=version,
        service_code=spec["service_code"],
        title=title[:150],
        owner=actor,
        agency=form.agency,
        tracking_number=tracking_number_next(prefix=tracking_prefix(form.agency)),
    )
    _store_answers(application, spec, cleaned)
    application.full_clean(exclude=["state", "answers", "sealed_answers"])
    application.save(force_insert=True)
    workflow_start(obj=application, actor=actor)
    return application


def _lock_editable(application: Application) -> Application:
    locked = (
        Application.objects.select_related("version").select_for_update().get(pk=application.pk)
    )
    if not locked.is_editable:
        raise exceptions.NotEditable()
    return locked


@transaction.atomic
def application_update(*, actor, application: Application, answers: dict) -> Application:
    """Merge ``answers`` into the stored ones (a ``null`` removes an answer); answers that the
    new answers hide are dropped. Only the owner calls it (the caller's selector)."""
    locked = _lock_editable(application)
    if not isinstance(answers, dict):
        definition.validate_answers(locked.version.spec, answers)  # raises the shaped error
    merged = {**full_answers(locked), **answers}
    merged = {key: value for key, value in merged.items() if value is not None}
    cleaned = definition.validate_answers(locked.version.spec, merged, partial=True)
    _store_answers(locked, locked.version.spec, cleaned)
    locked.save(update_fields=["answers", "sealed_answers", "updated_at"])
    return locked


@transaction.atomic
def application_document_attach(
    *, actor, application: Application, requirement: str, document_uuid
) -> ApplicationDocument:
    """Use the applicant's uploaded document for ``requirement``; a later one replaces it."""
    locked = _lock_editable(application)
    codes = {r["code"] for r in locked.version.spec["requirements"]}
    if requirement not in codes:
        raise exceptions.UnknownRequirement()
    document = document_get_attachable(owner=actor, uuid=document_uuid)
    if document is None:
        raise exceptions.DocumentUnavailable()
    document_attach(document=document, obj=locked, agency=locked.agency)
    link, _created = ApplicationDocument.objects.update_or_create(
        application=locked,
        requirement=requirement,
        defaults={"document": document, "attached_at": timezone.now()},
    )
    locked.save(update_fields=["updated_at"])
    return link


def application_check_complete(*, application: Application) -> None:
    """One 400 listing every invalid or missing answer and every missing document."""
    spec = application.version.spec
    answers = full_answers(application)
    errors: dict = {}
    try:
        definition.validate_answers(spec, answers)
    except serializers.ValidationError as exc:
        errors.update(exc.detail)
    present = set(application.documents.values_list("requirement", flat=True))
    missing = [r for r in definition.needed_requirements(spec, answers) if r["code"] not in present]
    if missing:
        errors["documents"] = {
            r["code"]: [
                serializers.ErrorDetail(
                    _("Missing document: %(label)s") % {"label": definition.text_in(r, "label")},
                    code="missing_document",
                )
            ]
            for r in missing
        }
    if errors:
        raise serializers.ValidationError(errors)


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submit a draft or send back a revision. The clock starts on the first submission with
    the version's working days and resumes with the time left on a resubmission."""
    locked = (
        Application.objects.select_related("version").select_for_update().get(pk=application.pk)
    )
    name = "resubmit" if locked.state == State.NEEDS_REVISION else "submit"
    transition_ensure_allowed(obj=locked, name=name, actor=actor)
    application_check_complete(application=locked)
    transition_perform(obj=locked, name=name, actor=actor)
    if name == "submit":
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at", "updated_at"])
        deadline_start(obj=locked, agency=locked.agency, days=locked.version.spec["working_days"])
    else:
        locked.revision_note = ""
        locked.save(update_fields=["revision_note", "updated_at"])
    return locked


@transaction.atomic
def application_cancel(*, actor, application: Application, note: str = "") -> Application:
    """The citizen withdraws a draft or a submitted application (not once review started)."""
    transition_perform(obj=application, name="cancel", actor=actor, note=note_clean(note))
    return application


# --- staff ------------------------------------------------------------------------------------


@transaction.atomic
def application_start_review(*, actor, application: Application) -> Application:
    transition_perform(obj=application, name="start_review", actor=actor)
    return application


@transaction.atomic
def application_ask_revision(*, actor, application: Application, note: str) -> Application:
    note = note_clean(note)
    if not note:
        raise exceptions.NoteRequired()
    transition_perform(obj=application, name="ask_revision", actor=actor, note=note)
    application.revision_note = note
    application.save(update_fields=["revision_note", "updated_at"])
    return application


@transaction.atomic
def application_approve(*, actor, application: Application, note: str = "") -> Application:
    note = note_clean(note)
    transition_perform(obj=application, name="approve", actor=actor, note=note)
    application.decision_note = note
    application.decided_at = timezone.now()
    application.save(update_fields=["decision_note", "decided_at", "updated_at"])
    return application


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str) -> Application:
    reason = note_clean(reason)
    if not reason:
        raise exceptions.ReasonRequired()
    transition_perform(obj=application, name="reject", actor=actor, note=reason)
    application.decision_note = reason
    application.decided_at = timezone.now()
    application.save(update_fields=["decision_note", "decided_at", "updated_at"])
    return application


@transaction.atomic
def application_complete(*, actor, application: Application, pdf=None) -> Application:
    """Hand over the output: the officer's signed PDF (``pdf``), or for a form whose output is
    a decision letter, the letter generated from its template."""
    transition_ensure_allowed(obj=application, name="complete", actor=actor)
    output = application.version.spec["output"]
    if pdf is None and output["kind"] == OutputKind.DECISION_LETTER:
        from applications.letters import decision_letter_pdf

        pdf = ContentFile(
            decision_letter_pdf(application=application),
            name=f"{application.tracking_number}.pdf",
        )
    if pdf is None:
        raise exceptions.OutputRequired()
    document = document_upload(owner=application.owner, file=pdf, purpose="applications:output")
    if document.content_type != Document.Kind.PDF:
        raise serializers.ValidationError(
            {"pdf": [_("The output document must be a PDF.")]}, code="not_pdf"
        )
    transition_perform(obj=application, name="complete", actor=actor)
    document_attach(document=document, obj=application, agency=application.agency)
    application.output_document = document
    application.save(update_fields=["output_document", "updated_at"])
    transaction.on_commit(partial(_issue_receipt, application.pk))
    return application


def _issue_receipt(application_id: int):
    from services.receipts.models import Receipt
    from services.receipts.services import receipt_issue

    application = Application.objects.select_related("owner", "agency").get(pk=application_id)
    return receipt_issue(
        obj=application,
        owner=application.owner,
        kind=Receipt.Kind.DOCUMENT_ISSUED,
        issuer=application.agency,
        tracking_number=application.tracking_number,
        title=application.title,
        issued_at=timezone.now(),
        subject_name=application.owner.full_name or None,
    )
