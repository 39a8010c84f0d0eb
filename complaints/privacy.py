"""What ``complaints`` holds about a person (see :mod:`privacy.registry`): their complaints and the
complaints they supported.

On erasure a complaint stays — it is a public-service record the agency must answer and report on
(UU No. 25/2009 on public services, Perpres 76/2013 on complaint handling), and the public map may
show it — but it no longer names anyone: no reporter, no contact number, anonymous, no rating
comment. Support given to others' complaints goes."""

from complaints.models import Complaint, Supporter
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
    return {
        "supports": Supporter.objects.filter(user=user).delete()[0],
        "complaints_anonymised": Complaint.objects.filter(reporter=user).update(
            reporter=None,
            contact_phone="",
            is_anonymous=True,
            identity_visible_to_agency=False,
            rating_comment="",
        ),
    }


registry.register("complaints", export=export, erase=erase, order=300)
