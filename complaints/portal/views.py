"""Portal pages: file a complaint, my complaints, one complaint, the public dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException

from balikpapan_untuk_warga.api.errors import ApplicationError
from complaints import selectors, services
from complaints.api.serializers import ComplaintPublicSerializer
from complaints.portal.forms import (
    ComplaintForm,
    HotspotForm,
    NotFixedForm,
    RatingForm,
    TrackingForm,
)
from complaints.workflow import State


@login_required
def complaint_list(request):
    complaints = selectors.complaint_list_for(user=request.user)[:50]
    return render(request, "complaints/complaint_list.html", {"complaints": complaints})


@login_required
def complaint_detail(request, uuid):
    complaint = selectors.complaint_get_for(user=request.user, uuid=uuid)
    if complaint is None:
        raise Http404
    is_reporter = complaint.reporter_id == request.user.pk
    resolved = complaint.state == State.RESOLVED
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "may_confirm": is_reporter and resolved,
            "may_rate": is_reporter
            and complaint.state in (State.RESOLVED, State.CLOSED)
            and complaint.rating is None,
            "rating_form": RatingForm(),
            "note_form": NotFixedForm(),
        },
    )


@login_required
@require_POST
def complaint_action(request, uuid, action):
    """The reporter's answers on the result: confirm and close, "not fixed", or a rating."""
    complaint = selectors.complaint_get_for(user=request.user, uuid=uuid)
    if complaint is None or complaint.reporter_id != request.user.pk:
        raise Http404
    try:
        if action == "rate":
            form = RatingForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("Choose a rating from 1 to 5."), code="invalid")
            services.complaint_rate(
                actor=request.user,
                complaint=complaint,
                rating=int(form.cleaned_data["rating"]),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Thank you for your rating."))
        elif action == "reopen":
            form = NotFixedForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.complaint_reopen(actor=request.user, complaint=complaint, note=note)
            messages.success(request, _("The complaint is open again."))
        else:
            services.complaint_close(actor=request.user, complaint=complaint)
            messages.success(request, _("Thank you: the complaint is closed."))
    except APIException as exc:
        messages.error(request, str(exc.detail))
    return redirect("complaints:detail", complaint.uuid)


@login_required
def complaint_new(request):
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_create(
                actor=request.user,
                text=data["text"],
                category=data["category"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                kelurahan=data["kelurahan"],
                address=data["address"],
                photo_files=data["photos"][: services.max_photos() + 1],
                use_photo_location=data["use_photo_location"],
                public_photos_allowed=data["public_photos_allowed"],
                channel="web",
                is_anonymous=data["is_anonymous"],
                identity_visible_to_agency=data["identity_visible_to_agency"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.detail))
        else:
            return redirect("complaints:detail", complaint.uuid)
    return render(request, "complaints/complaint_form.html", {"form": form})


def track(request):
    """The public tracking page: a ticket number shows the anonymised state of its complaint."""
    form = TrackingForm(request.GET or None)
    complaint = history = None
    searched = form.is_bound and form.is_valid()
    if searched:
        complaint = selectors.public_complaint_get(tracking_number=form.cleaned_data["number"])
        if complaint is not None:
            history = selectors.public_history(complaint=complaint)
    return render(
        request,
        "complaints/track.html",
        {
            "form": form,
            "complaint": complaint,
            "public": ComplaintPublicSerializer(complaint).data if complaint else None,
            "history": history,
            "searched": searched,
        },
        status=404 if searched and complaint is None else 200,
    )


def hotspots(request):
    """Flooding, standing water and drainage reports by kelurahan, grid cell and month."""
    form = HotspotForm(request.GET or None)
    since = form.cleaned_data.get("since") if form.is_valid() else None
    return render(
        request,
        "complaints/hotspots.html",
        {"form": form, "data": selectors.hotspots(since=since)},
    )


def dashboard(request):
    return render(request, "complaints/dashboard.html", {"data": selectors.public_dashboard()})
