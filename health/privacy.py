"""What ``health`` holds about a person (see :mod:`privacy.registry`): queue tickets and visit
plans. On erasure a booked ticket is cancelled (its place freed) and every ticket loses the
patient's name and its links to the account and the household member; the anonymous ticket stays
in the facility's service statistics (waiting times, no-shows)."""

from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balikpapan_untuk_warga.api.errors import ApplicationError
from health.models import Ticket, VisitPlan
from health.workflow import TicketState
from privacy import registry
from privacy.helpers import rows


def export(user) -> dict:
    return {
        "tickets": rows(
            Ticket.objects.filter(owner=user).order_by("booked_at"),
            [
                "uuid",
                "code",
                "number",
                "state",
                "patient_name",
                "payer",
                "session__date",
                "session__service_point__name",
                "session__service_point__facility__name",
                "booked_at",
                "checked_in_at",
                "served_at",
                "cancelled_at",
            ],
        ),
        "visit_plans": rows(VisitPlan.objects.filter(owner=user), ["uuid", "created_at"]),
    }


def blocks(user) -> str:
    if Ticket.objects.filter(
        owner=user, state__in=(TicketState.CHECKED_IN, TicketState.CALLED)
    ).exists():
        return str(_("You are in a health queue right now. Try again after your visit."))
    return ""


def erase(user) -> dict[str, int]:
    from health.services import ticket_cancel

    cancelled = 0
    for ticket in Ticket.objects.filter(
        owner=user, state=TicketState.BOOKED, session__starts_at__gt=timezone.now()
    ).select_related("session"):
        try:
            with transaction.atomic():
                ticket_cancel(actor=user, ticket=ticket)
        except ApplicationError:  # the session started meanwhile: it ends as a no-show
            continue
        cancelled += 1
    key_field = models.CharField(max_length=60)
    scrubbed = Ticket.objects.filter(owner=user).update(
        owner=None,
        patient_member=None,
        patient_name="",
        # Unique per session among live tickets: keep it unique, and meaningless.
        patient_key=Concat(Value("erased-"), Cast(F("pk"), output_field=key_field)),
    )
    # Tickets others booked for this person as a member of their household: the person's name
    # goes, the booking stays with whoever made it. The link to the member row goes too (it is
    # PROTECT, and ``accounts`` deletes the row after this); so does the link to members of the
    # households the person recorded, which ``accounts`` may delete with the household.
    for_them = Ticket.objects.filter(patient_member__user=user).update(
        patient_member=None,
        patient_name="",
        patient_key=Concat(Value("erased-"), Cast(F("pk"), output_field=key_field)),
    )
    Ticket.objects.filter(patient_member__household__recorded_by=user).update(patient_member=None)
    return {
        "tickets_cancelled": cancelled,
        "tickets_anonymised": scrubbed,
        "booked_for_them_anonymised": for_them,
    }


registry.register("health", export=export, erase=erase, blocks=blocks, order=300)
