"""Portal pages of the applications module: thin, calling the same selectors and services as
the API. The form page renders a published definition; the preview of the admin renders the
draft with the same template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError

from applications import definition, selectors, services
from applications.portal.forms import DefinitionForm, _flat
from services.models import Kelurahan
from services.uploads.exceptions import DocumentRejected
from services.uploads.services import document_upload
from services.workflow import history_for


def kelurahan_choices() -> list[tuple[str, str]]:
    return list(Kelurahan.objects.order_by("name").values_list("code", "name"))


def _own(request, uuid):
    obj = selectors.application_get_for(user=request.user, uuid=uuid)
    if obj is None or obj.owner_id != request.user.pk:
        raise Http404
    return obj


def form_page_context(*, spec: dict, form: DefinitionForm, errors: list[str]) -> dict:
    if form.is_bound:
        form.describe_errors()
    return {
        "spec_title": definition.text_in(spec, "title"),
        "intro": definition.text_in(spec, "intro"),
        "working_days": spec["working_days"],
        "output_name": definition.text_in(spec["output"], "name"),
        "form": form,
        "groups": [
            {
                "field": field,
                "inputs": [form[name] for name in names],
                "condition": _condition_text(spec, field),
                "show_value": _show_value(spec, field),
            }
            for field, names in form.groups
        ],
        "extra_documents": [form[name] for name in form.extra_documents],
        "errors": errors,
    }


def _show_value(spec: dict, field: dict) -> str:
    """The input value that shows ``field`` (a yes/no condition tests the radio's yes/no)."""
    condition = field.get("show_when")
    if not condition:
        return ""
    source = next(f for f in spec["fields"] if f["key"] == condition["field"])
    if source["type"] == "yes_no":
        return "yes" if condition["value"].lower() in definition.YES else "no"
    return condition["value"]


def _condition_text(spec: dict, field: dict) -> str:
    condition = field.get("show_when")
    if not condition:
        return ""
    source = next(f for f in spec["fields"] if f["key"] == condition["field"])
    value = condition["value"]
    if source["type"] == "yes_no":
        value = _("Yes") if value.lower() in definition.YES else _("No")
    else:
        value = next(
            (definition.text_in(c, "label") for c in source["choices"] if c["value"] == value),
            value,
        )
    return _("Only when “%(field)s” is “%(value)s”.") % {
        "field": definition.text_in(source, "label"),
        "value": value,
    }


@login_required
def application_list(request):
    applications = selectors.application_list_for(user=request.user).filter(owner=request.user)[:50]
    forms = [
        (form, definition.text_in(form.current_version.spec, "title"))
        for form in selectors.form_list_published()[:100]
    ]
    return render(
        request,
        "applications/application_list.html",
        {"applications": applications, "forms": forms},
    )


def _save(request, *, spec, form, application, form_obj, submit: bool):
    """Create or update, upload the files, and submit if asked: all or nothing."""
    answers = form.answers()
    with transaction.atomic():
        if application is None:
            application = services.application_create(
                actor=request.user, form=form_obj, answers=answers
            )
        else:
            # what the page shows replaces what was stored: hidden or emptied answers go
            stored = services.full_answers(application)
            cleared = {key: None for key in stored if key not in answers}
            application = services.application_update(
                actor=request.user, application=application, answers={**cleared, **answers}
            )
        for code, upload in form.uploads(answers).items():
            document = document_upload(
                owner=request.user, file=upload, purpose=f"applications:{code}", quota=True
            )
            services.application_document_attach(
                actor=request.user,
                application=application,
                requirement=code,
                document_uuid=document.uuid,
            )
        if submit:
            services.application_submit(actor=request.user, application=application)
    return application


def _form_page(request, *, form_obj, spec, application=None):
    attached = (
        set(application.documents.values_list("requirement", flat=True)) if application else ()
    )
    form = DefinitionForm(
        request.POST or None,
        request.FILES or None,
        spec=spec,
        kelurahan=kelurahan_choices(),
        attached=attached,
    )
    if application is not None and request.method != "POST":
        form.initial_from(services.full_answers(application))
    errors: list[str] = []
    if request.method == "POST":
        form.is_valid()  # binds the inputs; the rules are the service's
        submit = request.POST.get("action") != "draft"
        try:
            application = _save(
                request,
                spec=spec,
                form=form,
                application=application,
                form_obj=form_obj,
                submit=submit,
            )
        except DocumentRejected as exc:
            errors = [str(exc.detail)]
        except ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {"": exc.detail}
            errors = form.add_service_errors(detail)
        except APIException as exc:
            errors = _flat(exc.detail)
        else:
            if submit:
                messages.success(
                    request,
                    _("Your application %(number)s was sent.")
                    % {"number": application.tracking_number},
                )
            else:
                messages.success(request, _("Your draft was saved."))
            return redirect("applications:detail", uuid=application.uuid)
        if not errors and form.errors:
            errors = [_("Please fix the marked fields.")]
    context = form_page_context(spec=spec, form=form, errors=errors)
    context["application"] = application
    return render(request, "applications/form.html", context)


@login_required
def application_apply(request, code):
    form_obj = selectors.form_get_published(key=code)
    if form_obj is None:
        raise Http404
    return _form_page(request, form_obj=form_obj, spec=form_obj.current_version.spec)


@login_required
def application_edit(request, uuid):
    obj = _own(request, uuid)
    if not obj.is_editable:
        return redirect("applications:detail", uuid=obj.uuid)
    return _form_page(request, form_obj=obj.form, spec=obj.version.spec, application=obj)


def answer_rows(application, answers: dict | None = None) -> list[tuple[str, str]]:
    """(label, shown value) of each answer, in the form's order; NIKs masked unless the caller
    passes the unsealed ``answers`` (the agency's admin)."""
    spec = application.version.spec
    answers = application.answers if answers is None else answers
    kelurahan = dict(Kelurahan.objects.values_list("code", "name"))
    rows = []
    for field in spec["fields"]:
        value = answers.get(field["key"])
        if value is None:
            continue
        labels = {c["value"]: definition.text_in(c, "label") for c in field.get("choices", [])}
        if field["type"] == "yes_no":
            shown = _("Yes") if value else _("No")
        elif isinstance(value, list):
            shown = ", ".join(labels.get(v, v) for v in value)
        elif field["type"] == "address":
            shown = f"{value['street']}, {kelurahan.get(value['kelurahan'], value['kelurahan'])}"
        elif field["type"] == "location":
            shown = f"{value['latitude']}, {value['longitude']}"
        else:
            shown = str(labels.get(value, value))
        rows.append((definition.text_in(field, "label"), shown))
    return rows


@login_required
def application_detail(request, uuid):
    obj = _own(request, uuid)
    spec = obj.version.spec
    labels = {r["code"]: definition.text_in(r, "label") for r in spec["requirements"]}
    context = {
        "obj": obj,
        "answers": answer_rows(obj),
        "documents": [(labels.get(d.requirement, d.requirement), d) for d in obj.documents.all()],
        "history": [
            (row, obj.workflow.label(row.to_state))
            for row in history_for(obj=obj, viewer=request.user)
        ],
        "may_cancel": obj.state in ("draft", "submitted"),
    }
    return render(request, "applications/application_detail.html", context)


@login_required
@require_POST
def application_cancel(request, uuid):
    obj = _own(request, uuid)
    try:
        services.application_cancel(actor=request.user, application=obj)
    except APIException as exc:
        for text in _flat(exc.detail):
            messages.error(request, text)
    else:
        messages.success(request, _("The application was cancelled."))
    return redirect("applications:detail", uuid=obj.uuid)


@login_required
def application_output(request, uuid):
    from services.uploads.http import document_download_response

    obj = _own(request, uuid)
    if obj.output_document is None:
        raise Http404
    return document_download_response(
        actor=request.user, document=obj.output_document, channel="portal"
    )
