"""Portal pages of the civil registry module: thin, calling the same selectors and services as
the API. One create page and one edit page serve every request type (``forms.CivilRequestForm``
is built from the type's declaration)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import APIException, ValidationError

from accounts.households import household_members_for
from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from civil_registry import selectors, services
from civil_registry.exceptions import NotAllowedForSubject
from civil_registry.portal.forms import CivilRequestForm, FileCheckForm
from civil_registry.portal.hashing import Sha256UploadHandler
from civil_registry.types import REQUEST_TYPES, request_type_for_slug
from civil_registry.workflow import State
from services.uploads.exceptions import DocumentRejected
from services.uploads.services import document_upload
from services.workflow import history_for

CANCELLABLE = (State.DRAFT, State.SUBMITTED, State.NEEDS_REVISION)


def _own(request, uuid):
    obj = selectors.request_get_for(user=request.user, uuid=uuid)
    if obj is None or obj.owner_id != request.user.pk:
        raise Http404
    return obj


def _attach_files(*, user, obj, files: dict) -> None:
    for code, upload in files.items():
        document = document_upload(
            owner=user, file=upload, purpose=f"civil_registry:{code}", quota=True
        )
        services.request_document_attach(
            actor=user, request=obj, requirement=code, document_uuid=document.uuid
        )


def _service_errors(form: CivilRequestForm, exc: Exception) -> None:
    if isinstance(exc, DocumentRejected):
        form.add_error(None, str(exc.detail))
    elif isinstance(exc, ValidationError):
        form.add_service_errors(exc.detail)
    else:
        form.add_error(None, str(exc.detail))


def _member_choices(user):
    """Household members other than the applicant (the service checks the acting basis)."""
    return [m for m in household_members_for(user=user) if m.user_id != user.pk]


def _form_page(request, form, *, obj=None, status=200):
    context = {
        "form": form,
        "spec": form.spec,
        "obj": obj,
        "errors": form.error_summary(),
        "subject_fields": [form[name] for name in form.subject_names],
        "document_fields": [form[name] for name in form.document_names],
        "member_field": form["subject_member"] if "subject_member" in form.fields else None,
    }
    return render(request, "civil_registry/request_form.html", context, status=status)


@login_required
def request_list(request):
    requests = selectors.request_list_for(user=request.user).filter(owner=request.user)[:50]
    return render(
        request,
        "civil_registry/request_list.html",
        {"requests": requests, "types": REQUEST_TYPES.values()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request, type_slug):
    """Any type: save a draft, or create and submit in one go (all or nothing)."""
    spec = request_type_for_slug(type_slug)
    if spec is None:
        raise Http404
    members = _member_choices(request.user)
    form = CivilRequestForm(request.POST or None, request.FILES or None, spec=spec, members=members)
    if request.method == "POST" and form.is_valid():
        member = None
        if form.cleaned_data.get("subject_member"):
            member = next(
                (m for m in members if str(m.uuid) == form.cleaned_data["subject_member"]), None
            )
        submit = request.POST.get("action") == "submit"
        try:
            with transaction.atomic():
                if form.cleaned_data.get("subject_member") and member is None:
                    raise NotAllowedForSubject()
                obj = services.request_create(
                    actor=request.user,
                    request_type=spec.code,
                    subject_data=form.subject_data(),
                    subject_member=member,
                )
                _attach_files(user=request.user, obj=obj, files=form.documents())
                if submit:
                    services.request_submit(actor=request.user, request=obj)
        except (APIException, DocumentRejected) as exc:
            _service_errors(form, exc)
        else:
            if submit:
                text = _("Your request %(number)s was sent.")
            else:
                text = _("Your draft %(number)s was saved. Send it when it is complete.")
            messages.success(request, text % {"number": obj.tracking_number})
            return redirect("civil_registry:detail", uuid=obj.uuid)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, uuid):
    """A draft, or a request sent back for revision: change data, add or replace documents,
    then send (or resend) it. The changes are saved even when the request is not complete yet;
    then the page lists what is still missing."""
    obj = _own(request, uuid)
    if not obj.is_editable:
        messages.error(request, _("This request can no longer be changed."))
        return redirect("civil_registry:detail", uuid=obj.uuid)
    spec = obj.type_spec
    form = CivilRequestForm(request.POST or None, request.FILES or None, spec=spec, request=obj)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.request_update(
                    actor=request.user, request=obj, subject_data=form.subject_data()
                )
                _attach_files(user=request.user, obj=obj, files=form.documents())
        except (APIException, DocumentRejected) as exc:
            _service_errors(form, exc)
            return _form_page(request, form, obj=obj)
        if request.POST.get("action") != "submit":
            messages.success(request, _("Your changes were saved."))
            return redirect("civil_registry:detail", uuid=obj.uuid)
        try:
            services.request_submit(actor=request.user, request=obj)
        except (APIException, DocumentRejected) as exc:
            # the saved values, with what is still missing on each field
            form = CivilRequestForm(spec=spec, request=_own(request, uuid))
            form.errors  # noqa: B018 — an unbound form's (empty) error list, to add to
            form.cleaned_data = {}
            _service_errors(form, exc)
            messages.warning(
                request, _("Your changes were saved, but the request is not sent yet.")
            )
            return _form_page(request, form, obj=obj)
        messages.success(
            request, _("Your request %(number)s was sent.") % {"number": obj.tracking_number}
        )
        return redirect("civil_registry:detail", uuid=obj.uuid)
    return _form_page(request, form, obj=obj)


@login_required
def request_detail(request, uuid):
    obj = _own(request, uuid)
    present = {link.requirement for link in obj.documents.all()}
    spec = obj.type_spec
    missing = {r.code for r in spec.missing_documents(data=obj.subject_data, present=present)}
    context = {
        "obj": obj,
        "history": [
            (row, obj.workflow.label(row.to_state))
            for row in history_for(obj=obj, viewer=request.user)
        ],
        # (requirement, sent?, still needed?): an alternative (a statement instead of a
        # marriage certificate) or a rule of the data (a police report when lost) counts
        "requirements": [(r, r.code in present, r.code in missing) for r in spec.requirements],
        "can_cancel": obj.state in CANCELLABLE,
    }
    return render(request, "civil_registry/request_detail.html", context)


@login_required
@require_POST
def request_cancel(request, uuid):
    obj = _own(request, uuid)
    try:
        services.request_cancel(actor=request.user, request=obj)
    except APIException as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("The request was cancelled."))
    return redirect("civil_registry:detail", uuid=obj.uuid)


@login_required
def issued_document_download(request, uuid):
    from services.uploads.http import document_download_response

    obj = _own(request, uuid)
    if obj.issued_document is None:
        raise Http404
    return document_download_response(
        actor=request.user, document=obj.issued_document, channel="portal"
    )


# --- public: check an issued document ---------------------------------------------------------


class _LookupScope:
    """The throttle scope shared with the verification API and the platform's receipt page."""

    throttle_scope = "lookup"


@csrf_exempt  # public and read-only: it uses no session and changes nothing (see README)
@require_http_methods(["GET", "POST"])
def document_verify(request: HttpRequest, code: str) -> HttpResponse:
    """``/layanan/pencatatan-sipil/verifikasi/<code>/``: what an issued document's receipt says,
    and whether a file is that document (its SHA-256, computed while the upload streams in)."""
    if request.method == "POST":
        request.upload_handlers = [Sha256UploadHandler(request)]
    if not ScopedThrottle().allow_request(request, _LookupScope()):
        return render(request, "429.html", status=429)
    check = selectors.issued_document_check(code=code, short_signature=request.GET.get("s") or None)
    if check is None:
        raise Http404
    form, matches, status = FileCheckForm(), None, 200
    if request.method == "POST" and check.verification.signature_valid and check.has_file:
        try:
            form = FileCheckForm(request.POST, request.FILES)
            too_large = request.upload_handlers[0].too_large
        except MultiPartParserError:
            form, too_large = FileCheckForm(data={}), False
        if too_large:
            form = FileCheckForm(data={})
            form.is_valid()
            form.add_error("file", _("The file is too large to be this document."))
            status = 400
        elif form.is_valid():
            matches = check.file_matches(form.cleaned_data["digest"])
        else:
            status = 400
    response = render(
        request,
        "civil_registry/verify.html",
        {"check": check, "receipt": check.receipt, "form": form, "matches": matches, "code": code},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
