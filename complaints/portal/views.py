"""Portal pages: file a complaint, my complaints, one complaint, the public dashboard."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from balikpapan_untuk_warga.api.errors import ApplicationError
from complaints import selectors, services
from complaints.portal.forms import ComplaintForm
from services.uploads.services import document_upload


@login_required
def complaint_list(request):
    complaints = selectors.complaint_list_for(user=request.user)[:50]
    return render(request, "complaints/complaint_list.html", {"complaints": complaints})


@login_required
def complaint_detail(request, uuid):
    complaint = selectors.complaint_get_for(user=request.user, uuid=uuid)
    if complaint is None:
        raise Http404
    return render(request, "complaints/complaint_detail.html", {"complaint": complaint})


@login_required
def complaint_new(request):
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                photos = [
                    document_upload(owner=request.user, file=f, purpose="complaint_photo").uuid
                    for f in data["photos"][: services.max_photos() + 1]
                ]
                complaint = services.complaint_create(
                    actor=request.user,
                    text=data["text"],
                    category=data["category"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    address=data["address"],
                    photos=photos,
                    channel="web",
                    is_anonymous=data["is_anonymous"],
                    identity_visible_to_agency=data["identity_visible_to_agency"],
                )
        except ApplicationError as exc:
            form.add_error(None, str(exc.detail))
        else:
            return redirect("complaints:detail", complaint.uuid)
    return render(request, "complaints/complaint_form.html", {"form": form})


def dashboard(request):
    return render(request, "complaints/dashboard.html", {"data": selectors.public_dashboard()})
