"""Portal pages of the civil registry module: thin, calling the same selectors and services as
the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError

from civil_registry import selectors, services
from civil_registry.portal.forms import BirthRequestForm, RevisionForm
from services.uploads.exceptions import DocumentRejected
from services.uploads.services import document_upload
from services.workflow import history_for


def _messages_of(exc: APIException) -> list[str]:
    detail = exc.detail

    def flat(value, prefix=""):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from flat(inner, key)
        elif isinstance(value, list):
            for inner in value:
                yield from flat(inner, prefix)
        else:
            yield str(value)

    return list(flat(detail))


def _own(request, uuid):
    obj = selectors.request_get_for(user=request.user, uuid=uuid)
    if obj is None or obj.owner_id != request.user.pk:
        raise Http404
    return obj


def _attach_files(*, user, obj, files: dict) -> None:
    for code, upload in files.items():
        if not upload:
            continue
        document = document_upload(owner=user, file=upload, purpose=f"civil_registry:{code}")
        services.request_document_attach(
            actor=user, request=obj, requirement=code, document_uuid=document.uuid
        )


@login_required
def request_list(request):
    requests = selectors.request_list_for(user=request.user).filter(owner=request.user)[:50]
    return render(request, "civil_registry/request_list.html", {"requests": requests})


@login_required
def birth_request_create(request):
    form = BirthRequestForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj = services.request_create(
                    actor=request.user,
                    request_type="akta_kelahiran",
                    subject_data=form.subject_data(),
                )
                _attach_files(
                    user=request.user,
                    obj=obj,
                    files={name: form.cleaned_data.get(name) for name in form.DOCUMENT_FIELDS},
                )
                services.request_submit(actor=request.user, request=obj)
        except DocumentRejected as exc:
            errors = [str(exc.detail)]
        except (ValidationError, APIException) as exc:
            errors = _messages_of(exc)
        else:
            messages.success(
                request, _("Your request %(number)s was sent.") % {"number": obj.tracking_number}
            )
            return redirect("civil_registry:detail", uuid=obj.uuid)
    return render(
        request, "civil_registry/birth_request_form.html", {"form": form, "errors": errors}
    )


@login_required
def request_detail(request, uuid):
    obj = _own(request, uuid)
    context = {
        "obj": obj,
        "history": [
            (row, obj.workflow.label(row.to_state))
            for row in history_for(obj=obj, viewer=request.user)
        ],
        "revision_form": RevisionForm(requirements=obj.type_spec.requirements)
        if obj.state == "needs_revision"
        else None,
    }
    return render(request, "civil_registry/request_detail.html", context)


@login_required
@require_POST
def request_resubmit(request, uuid):
    obj = _own(request, uuid)
    form = RevisionForm(request.POST, request.FILES, requirements=obj.type_spec.requirements)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        with transaction.atomic():
            _attach_files(user=request.user, obj=obj, files=form.cleaned_data)
            services.request_submit(actor=request.user, request=obj)
    except DocumentRejected as exc:
        messages.error(request, str(exc.detail))
    except APIException as exc:
        for text in _messages_of(exc):
            messages.error(request, text)
    else:
        messages.success(request, _("Your revision was sent."))
    return redirect("civil_registry:detail", uuid=obj.uuid)


@login_required
@require_POST
def request_cancel(request, uuid):
    obj = _own(request, uuid)
    try:
        services.request_cancel(actor=request.user, request=obj)
    except APIException as exc:
        for text in _messages_of(exc):
            messages.error(request, text)
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
