"""What ``complaints`` holds about a person (see :mod:`privacy.registry`): their complaints and the
complaints they supported.

On erasure a complaint stays — it is a public-service record the agency must answer and report on
(UU No. 25/2009 on public services, Perpres 76/2013 on complaint handling), and the public map may
show it — but it no longer names anyone: no reporter, no contact number, anonymous, no rating
comment. Support given to others' complaints goes."""

from complaints.models import Complaint, Supporter
from complaints.selectors import public_text
from privacy import registry
from privacy.helpers import history_rows, rows


def export(user) -> dict:
    complaints = rows(
        Complaint.objects.filter(reporter=user).order_by("created_at"),
        [
            "id",
            "uuid",
            "tracking_number",
            "channel",
            "text",
            "category__name_id",
            "agency__name",
            "address",
            "latitude",
            "longitude",
            "is_anonymous",
            "identity_visible_to_agency",
            "contact_phone",
            "public_photos_allowed",
            "state",
            "public_note",
            "rating",
            "rating_comment",
            "created_at",
            "resolved_at",
        ],
    )
    history = history_rows(Complaint, [c["id"] for c in complaints])
    for complaint in complaints:
        complaint["history"] = history[complaint.pop("id")]
    return {
        "complaints": complaints,
        "supported": rows(
            Supporter.objects.filter(user=user),
            ["complaint__tracking_number", "created_at"],
        ),
    }


def erase(user) -> dict[str, int]:
    """Unlink the person from their complaints. Public views remove the reporter's name from a
    complaint's text only while they know the reporter, so the name (and any NIK, phone number
    or e-mail address the person typed) is taken out of the stored text first; each complaint is
    saved on its own (a citizen has a handful) so that the public caches learn of the change."""
    names = tuple(n for n in (user.full_name,) if n)
    anonymised = 0
    for complaint in Complaint.objects.filter(reporter=user):
        complaint.text = public_text(complaint.text, names=names)
        complaint.address = public_text(complaint.address, names=names)[:300]
        complaint.public_note = public_text(complaint.public_note, names=names)
        complaint.reporter = None
        complaint.contact_phone = ""
        complaint.is_anonymous = True
        complaint.identity_visible_to_agency = False
        complaint.rating_comment = ""
        complaint.save(update_fields=[*ERASED_FIELDS])
        anonymised += 1
    return {
        "supports": Supporter.objects.filter(user=user).delete()[0],
        "complaints_anonymised": anonymised,
    }


ERASED_FIELDS = (
    "text",
    "address",
    "public_note",
    "reporter",
    "contact_phone",
    "is_anonymous",
    "identity_visible_to_agency",
    "rating_comment",
)


registry.register("complaints", export=export, erase=erase, order=300)
