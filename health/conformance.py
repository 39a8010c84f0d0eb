"""What the platform's conformance kit needs: one ticket booked through our own services."""

import datetime as dt


def conformance_object(*, owner) -> str:
    from django.db import transaction
    from django.utils import timezone

    from health.models import Facility, ServicePoint, Session
    from health.services import ticket_book
    from services.models import Agency

    agency, _ = Agency.objects.get_or_create(
        code="dkk", defaults={"name": "Dinas Kesehatan", "short_name": "DKK", "kind": "dinas"}
    )
    facility = Facility.objects.create(
        code="conformance-check",
        kind=Facility.Kind.PUSKESMAS,
        name="Conformance check",
        agency=agency,
        latitude=-1.24,
        longitude=116.85,
    )
    point = ServicePoint.objects.create(
        facility=facility,
        agency=agency,
        kind=ServicePoint.Kind.POLYCLINIC,
        code="umum",
        name="Umum",
    )
    starts_at = timezone.now() + dt.timedelta(hours=2)
    session = Session.objects.create(
        service_point=point,
        date=starts_at.date(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        quota=5,
    )
    connection = transaction.get_connection()
    registered = len(connection.run_on_commit)
    ticket = ticket_book(actor=owner, session=session, payer="bpjs")
    if connection.in_atomic_block:
        # The kit runs inside a transaction it rolls back, so the commit after which a booking
        # writes its history, activity item and receipt never comes: run that work now, as
        # Django's own ``captureOnCommitCallbacks`` does.
        callbacks = connection.run_on_commit[registered:]
        del connection.run_on_commit[registered:]
        for _savepoints, callback, _robust in callbacks:
            callback()
    return f"/api/v1/kesehatan/tickets/{ticket.uuid}/"
