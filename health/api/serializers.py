"""Shapes of the health API. Names are globally unique (``Health…``) so the schema stays clean;
rows are built by plain functions on hot paths, never a serializer per row."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from health.models import Ticket


class HealthServicePointSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    kind = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()


class HealthFacilitySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    kecamatan = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    opening_hours = serializers.CharField()
    is_confirmed = serializers.BooleanField()
    distance_km = serializers.FloatField(allow_null=True)
    service_points = HealthServicePointSerializer(many=True, source="active_points")


class HealthQuerySerializer(serializers.Serializer):
    """Query parameters, read by ``balikpapan_untuk_warga.api.query.query_validated``: one given
    with nothing after it (``?kind=``) is a mistake (400), not "no filter"."""


class HealthFacilityQuerySerializer(HealthQuerySerializer):
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    kind = serializers.ChoiceField(choices=["puskesmas", "hospital", "mpp"], required=False)

    def validate(self, attrs):
        if ("latitude" in attrs) != ("longitude" in attrs):
            raise serializers.ValidationError(_("Give both latitude and longitude, or neither."))
        return attrs


class HealthSessionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    facility = serializers.CharField(source="service_point.facility.name")
    service_point = serializers.CharField(source="service_point.name")
    service_point_uuid = serializers.UUIDField(source="service_point.uuid")
    doctor = serializers.CharField(source="doctor.name", allow_null=True, default=None)
    date = serializers.DateField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.CharField()
    quota = serializers.IntegerField()
    remaining = serializers.IntegerField()
    now_serving = serializers.IntegerField(allow_null=True)


class HealthSessionQuerySerializer(HealthQuerySerializer):
    service_point = serializers.UUIDField(required=False)
    facility = serializers.UUIDField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class HealthSessionChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    from_value = serializers.CharField()
    to_value = serializers.CharField()
    reason = serializers.CharField()
    by = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_by(self, obj) -> str:
        return obj.actor.full_name if obj.actor_id else "system"


class HealthSessionDetailSerializer(HealthSessionSerializer):
    changes = HealthSessionChangeSerializer(many=True)


class HealthNowServingSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    service_point = serializers.CharField()
    state = serializers.CharField()
    now_serving = serializers.IntegerField(allow_null=True)
    last_number = serializers.IntegerField()
    waiting = serializers.IntegerField()
    remaining = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class HealthTicketSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    code = serializers.CharField()
    number = serializers.IntegerField()
    state = serializers.CharField()
    payer = serializers.CharField()
    patient_name = serializers.CharField()
    is_walk_in = serializers.BooleanField()
    session = serializers.UUIDField(source="session.uuid")
    facility = serializers.CharField(source="session.service_point.facility.name")
    service_point = serializers.CharField(source="session.service_point.name")
    starts_at = serializers.DateTimeField(source="session.starts_at")
    booked_at = serializers.DateTimeField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    called_at = serializers.DateTimeField(allow_null=True)
    served_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)


class HealthTicketDetailSerializer(HealthTicketSerializer):
    now_serving = serializers.IntegerField(allow_null=True, source="position.now_serving")
    people_ahead = serializers.IntegerField(source="position.people_ahead")
    estimate_from = serializers.DateTimeField(source="position.estimate_from")
    estimate_to = serializers.DateTimeField(source="position.estimate_to")


class HealthTicketBookedSerializer(HealthTicketDetailSerializer):
    """A ticket as its holder sees it right after booking: with its check-in code."""

    check_in_token = serializers.SerializerMethodField(
        help_text="Signed code to show at the facility (null once past check-in); the ticket's "
        "QR encodes exactly this."
    )

    def get_check_in_token(self, ticket) -> str | None:
        from health.checkin import check_in_token

        return check_in_token(ticket) if ticket.state == "booked" else None


class HealthTicketMineSerializer(HealthTicketBookedSerializer):
    """The holder's own ticket, with the check-in QR drawn (tens of ms: not on the booking
    itself, which answers the morning rush)."""

    check_in_qr = serializers.SerializerMethodField(
        help_text="The check-in QR as an SVG data URI (null once the ticket is past check-in)."
    )

    def get_check_in_qr(self, ticket) -> str | None:
        from health.checkin import check_in_qr_data_uri

        return check_in_qr_data_uri(ticket) if ticket.state == "booked" else None


class HealthCheckInInputSerializer(serializers.Serializer):
    token = serializers.CharField(
        max_length=200, min_length=1, help_text="The scanned check-in code of the ticket."
    )


class HealthTicketBookInputSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    payer = serializers.ChoiceField(choices=Ticket.Payer.choices)
    member = serializers.UUIDField(
        required=False, allow_null=True, help_text="A household member to book for."
    )


class HealthWalkInInputSerializer(serializers.Serializer):
    patient_name = serializers.CharField(max_length=150, min_length=1)
    payer = serializers.ChoiceField(choices=Ticket.Payer.choices)


class HealthQuotaChangeInputSerializer(serializers.Serializer):
    quota = serializers.IntegerField(min_value=0, max_value=10000)
    reason = serializers.CharField(max_length=200, min_length=3)


class HealthSessionCloseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, min_length=3)


class HealthStaffTicketQuerySerializer(HealthQuerySerializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class HealthVisitStepInputSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    member = serializers.UUIDField(required=False, allow_null=True)


class HealthVisitPlanInputSerializer(serializers.Serializer):
    payer = serializers.ChoiceField(choices=Ticket.Payer.choices)
    steps = HealthVisitStepInputSerializer(many=True, min_length=1, max_length=10)


class HealthReplanOptionSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    sessions = HealthSessionSerializer(many=True)


class HealthReplanMoveSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    session = HealthSessionSerializer()


class HealthVisitPlanSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    tickets = HealthTicketSerializer(many=True)
    replan_options = HealthReplanOptionSerializer(
        many=True, help_text="After a cancelled step: other free sessions for each later step."
    )
    replan = HealthReplanMoveSerializer(
        many=True,
        help_text="What POST replan/ would do now (empty: nothing to gain, no offer to show).",
    )


class HealthVisitProposeStepSerializer(serializers.Serializer):
    service_point = serializers.UUIDField(help_text="The counter (service point).")
    member = serializers.UUIDField(required=False, allow_null=True)


class HealthVisitProposeInputSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="The day of the visit (any if empty).")
    steps = HealthVisitProposeStepSerializer(many=True, min_length=1, max_length=10)


class HealthVisitProposedStepSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    session = HealthSessionSerializer()
    member = serializers.UUIDField(allow_null=True)


class HealthVisitProposalSerializer(serializers.Serializer):
    steps = HealthVisitProposedStepSerializer(many=True)
