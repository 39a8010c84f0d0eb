from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import services
from accounts.portal.forms import ProfileForm
from accounts.selectors import memberships_for
from balikpapan_untuk_warga.api.errors import ApplicationError


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "home_kelurahan": user.home_kelurahan,
        "nik": user.nik,
    }
    form = ProfileForm(request.POST or None, initial=initial, nik_locked=user.is_nik_verified)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if user.is_nik_verified:
            data.pop("nik")
        else:
            data["nik"] = data["nik"] or None
        try:
            services.user_update_profile(actor=user, user=user, **data)
        except ApplicationError as exc:
            form.add_error("nik" if "nik" in exc.get_codes() else None, str(exc.detail))
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {"form": form, "memberships": memberships_for(user) if user.is_staff else []},
    )
