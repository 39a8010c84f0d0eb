"""The citizen's personal-data pages: see and download their data, ask for corrections, delete
the account. The same service functions as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from balikpapan_untuk_warga.api.errors import ApplicationError
from privacy import selectors, services
from privacy.api.views import confirm_identity
from privacy.portal.forms import CorrectionForm, ErasureForm

LIST_LIMIT = 20


def _error_text(exc) -> str:
    detail = exc.detail
    if isinstance(detail, dict):
        detail = next(iter(detail.values()))
    if isinstance(detail, list):
        detail = detail[0]
    return str(detail)


def _render_overview(request: HttpRequest, form: CorrectionForm, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        "privacy/overview.html",
        {
            "exports": selectors.export_list_for(user=user)[:LIST_LIMIT],
            "corrections": selectors.correction_list_for(user=user)[:LIST_LIMIT],
            "form": form,
        },
        status=status,
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return _render_overview(request, CorrectionForm())


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    try:
        services.export_request_create(user=request.user)
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("We are preparing your data. You will be notified when it can be downloaded."),
        )
    return redirect("portal:privacy")


@login_required
def export_download(request: HttpRequest, uuid) -> HttpResponse:
    export = selectors.export_get_for(user=request.user, uuid=uuid)
    if export is None:
        raise Http404
    try:
        stream = services.export_take(export=export)
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("portal:privacy")
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=f"data-pribadi-{export.created_at:%Y%m%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def correction_create(request: HttpRequest) -> HttpResponse:
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correction_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in (exc.detail if isinstance(exc.detail, dict) else {}).items():
                form.add_error(name if name in form.fields else None, [str(e) for e in errors])
        except ApplicationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request,
                _("Your request was received. Disdukcapil staff will answer within 3 × 24 hours."),
            )
            return redirect("portal:privacy")
    return _render_overview(request, form, status=400)


@login_required
def erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    needs_password = user.has_usable_password()
    form = ErasureForm(request.POST or None, needs_password=needs_password)
    blockers = services.erasure_blockers(user=user)
    if request.method == "POST" and form.is_valid() and not blockers:
        try:
            confirm_identity(request, form.cleaned_data.get("password", ""))
            services.account_erase(user=user)
        except ValidationError as exc:
            form.add_error("password" if needs_password else None, _error_text(exc))
        except ApplicationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Thank you for using it."))
            return redirect("portal:home")
    return render(
        request,
        "privacy/erase.html",
        {"form": form, "blockers": blockers, "needs_password": needs_password},
        status=400 if request.method == "POST" else 200,
    )
