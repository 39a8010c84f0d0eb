"""What the platform's conformance kit needs: one complaint created through our own services."""

from decimal import Decimal


def conformance_object(*, owner) -> str:
    from complaints.services import complaint_create

    complaint = complaint_create(
        actor=owner,
        text="Conformance check",
        latitude=Decimal("-1.265000"),
        longitude=Decimal("116.831000"),
        category=None,
    )
    return f"/api/v1/pengaduan/complaints/{complaint.uuid}/"
