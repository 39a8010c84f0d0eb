"""The portal's "Persetujuan saya" (my consents, with withdraw buttons) and "Siapa yang melihat
data saya" (the access log). Thin: the same functions as ``/api/v1/me/consents/`` and
``/api/v1/me/access-log/``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import consent
from accounts.access_log import access_log_for_citizen, object_type_label
from accounts.models import ConsentRecord
from balikpapan_untuk_warga.api.errors import ApplicationError

ACCESS_LOG_PAGE_SIZE = 20


class ConsentWithdrawForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentRecord.Purpose.choices)
    object_ref = forms.CharField(max_length=64, required=False)
    version = forms.CharField(max_length=20)


@login_required
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ConsentWithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The consent could not be withdrawn."))
            return redirect("portal:consents")
        try:
            consent.consent_change(
                actor=request.user,
                purpose=form.cleaned_data["purpose"],
                granted=False,
                version=form.cleaned_data["version"],
                object_ref=form.cleaned_data["object_ref"],
                source=ConsentRecord.Source.PORTAL,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, _("Your consent has been withdrawn."))
        return redirect("portal:consents")
    history = list(consent.consent_history_for(user=request.user))
    current = [
        {"record": record, "text": consent.TEXTS[record.purpose]}
        for record in consent.consent_current_from(history)
        if record.purpose in consent.TEXTS
    ]
    return render(
        request,
        "accounts/portal_consents.html",
        {"current": current, "history": history},
    )


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(access_log_for_citizen(user=request.user), ACCESS_LOG_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.object_type_label = object_type_label(entry.object_type)
    return render(request, "accounts/portal_access_log.html", {"page": page})
