"""Shapes of the complaints API. Names are globally unique (``Complaint…``) for the schema."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from complaints import selectors
from complaints.models import Category, Complaint, InternalNote, OutsideBody
from complaints.workflow import State


class ComplaintCategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    agency = serializers.CharField(source="agency.short_name", read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "parent",
            "name",
            "name_id",
            "name_en",
            "agency",
            "response_hours",
            "resolution_days",
            "is_field",
        ]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    """What the reporter and handling staff see (the reporter's identity only to the reporter,
    or to staff when allowed)."""

    state_label = serializers.CharField(source="get_state_label", read_only=True)
    # both null until triage (a channel report may come without a category)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    suggested_category = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    agency = serializers.CharField(source="agency.short_name", read_only=True)
    kelurahan = serializers.CharField(source="kelurahan.name", read_only=True, allow_null=True)
    reporter_name = serializers.SerializerMethodField()
    outside_body = serializers.CharField(
        source="outside_body.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Complaint
        fields = [
            "uuid",
            "tracking_number",
            "state",
            "state_label",
            "channel",
            "text",
            "category",
            "suggested_category",
            "suggestion_confidence",
            "agency",
            "latitude",
            "longitude",
            "kelurahan",
            "address",
            "is_anonymous",
            "identity_visible_to_agency",
            "reporter_name",
            "contact_phone",
            "outside_body",
            "outside_sent_at",
            "outside_answer",
            "public_photos_allowed",
            "public_note",
            "response_due_at",
            "resolution_due_at",
            "resolved_at",
            "is_breached",
            "rating",
            "rating_comment",
            "created_at",
        ]
        read_only_fields = fields

    def get_reporter_name(self, obj) -> str | None:
        viewer = self.context.get("request").user if self.context.get("request") else None
        if viewer is not None and viewer.pk == obj.reporter_id:
            return viewer.full_name
        if obj.reporter_id and selectors.staff_may_see_identity(complaint=obj):
            return obj.reporter.full_name
        return None


class ComplaintCreateInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    category = serializers.SlugField(required=False, allow_null=True, default=None)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
        default=None,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
        default=None,
    )
    kelurahan = serializers.CharField(
        max_length=13,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Kemendagri code of the kelurahan: with `address`, the location when no point is given."
        ),
    )
    address = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    public_photos_allowed = serializers.BooleanField(
        default=False,
        help_text=_("Blurred copies of the photos may be shown in public output."),
    )
    public_photos_consent_version = serializers.CharField(
        max_length=20,
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The version of the consent text for public photos that was shown "
            "(consent-texts/, purpose complaint_public_photo); absent: the current one."
        ),
    )
    photos = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        help_text=_("UUIDs of images uploaded with /api/v1/documents/ (at most 5)."),
    )
    is_anonymous = serializers.BooleanField(default=False)
    identity_visible_to_agency = serializers.BooleanField(default=False)
    contact_phone = serializers.RegexField(
        r"^\+?[0-9]{8,15}$", max_length=20, required=False, default="", allow_blank=True
    )


class ComplaintNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class ComplaintResolveInputSerializer(serializers.Serializer):
    public_note = serializers.CharField(max_length=4000)
    after_photo = serializers.UUIDField(required=False, allow_null=True, default=None)


class ComplaintTriageInputSerializer(serializers.Serializer):
    category = serializers.SlugField()


class ComplaintRerouteInputSerializer(serializers.Serializer):
    agency = serializers.SlugField(
        required=False, default="", allow_blank=True, help_text=_("Code of the city agency.")
    )
    outside_body = serializers.SlugField(
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Code of the outside body (PLN, PDAM, BPJS, Polri, the province)."),
    )
    note = serializers.CharField(max_length=4000)


class ComplaintOutsideAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)
    resolve = serializers.BooleanField(
        default=False, help_text=_("The answer settles the complaint (it is then resolved).")
    )


class ComplaintOutsideBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = OutsideBody
        fields = ["code", "name", "short_name", "description"]
        read_only_fields = fields


class ComplaintInternalNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", read_only=True)
    agency = serializers.CharField(source="agency.short_name", read_only=True)

    class Meta:
        model = InternalNote
        fields = ["id", "author", "agency", "text", "created_at"]
        read_only_fields = ["id", "author", "agency", "created_at"]
        extra_kwargs = {"text": {"max_length": 4000}}


class ComplaintMergeInputSerializer(serializers.Serializer):
    into = serializers.UUIDField(help_text=_("The open complaint this one duplicates."))


class ComplaintRateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ComplaintPublicSerializer(serializers.ModelSerializer):
    """The anonymised view: no reporter, no phone, no exact point for sensitive categories;
    personal data removed from the text."""

    state_label = serializers.CharField(source="get_state_label", read_only=True)
    # both null until triage (a channel report may come without a category)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    agency = serializers.CharField(source="agency.short_name", read_only=True)
    kelurahan = serializers.CharField(source="kelurahan.name", read_only=True, allow_null=True)
    text = serializers.SerializerMethodField()
    public_note = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    # metres from ``near``; null when the list was not asked around a point (always present,
    # so that the documented shape holds for every answer)
    distance_m = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "tracking_number",
            "state",
            "state_label",
            "category",
            "agency",
            "kelurahan",
            "text",
            "public_note",
            "latitude",
            "longitude",
            "created_at",
            "resolved_at",
            "photos",
            "distance_m",
        ]
        read_only_fields = fields

    def _names(self, obj) -> tuple[str, ...]:
        return (obj.reporter.full_name,) if obj.reporter_id else ()

    def get_text(self, obj) -> str:
        return selectors.public_text(obj.text, names=self._names(obj))

    def get_public_note(self, obj) -> str:
        return selectors.public_text(obj.public_note, names=self._names(obj))

    def get_latitude(self, obj) -> float | None:
        return selectors.public_coordinate(obj, obj.latitude)

    def get_longitude(self, obj) -> float | None:
        return selectors.public_coordinate(obj, obj.longitude)

    def get_photos(self, obj) -> list[str]:
        """Blurred copies only, and only when the reporter allowed public photos."""
        if not obj.public_photos_allowed:
            return []
        return [
            f"/api/v1/pengaduan/public/photos/{photo.uuid}/" for photo in obj.public_photos.all()
        ]


class ComplaintCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class ComplaintStateCountSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    count = serializers.IntegerField()


class ComplaintMonthCountSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM (Asia/Makassar)")
    count = serializers.IntegerField()


class ComplaintDashboardGroupSerializer(serializers.Serializer):
    """The figures of one agency, category or kelurahan."""

    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    resolved = serializers.IntegerField()
    median_response_hours = serializers.FloatField(allow_null=True)
    median_resolution_hours = serializers.FloatField(allow_null=True)
    sla_compliance = serializers.FloatField(allow_null=True)
    average_rating = serializers.FloatField(allow_null=True)
    by_month = ComplaintMonthCountSerializer(many=True)


class ComplaintDashboardSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_month = ComplaintMonthCountSerializer(many=True)
    by_state = ComplaintStateCountSerializer(many=True)
    by_category = ComplaintDashboardGroupSerializer(many=True)
    by_kelurahan = ComplaintDashboardGroupSerializer(many=True)
    by_agency = ComplaintDashboardGroupSerializer(many=True)
    resolved = serializers.IntegerField()
    sla_compliance = serializers.FloatField(allow_null=True)
    median_response_hours = serializers.FloatField(allow_null=True)
    median_resolution_hours = serializers.FloatField(allow_null=True)
    average_rating = serializers.FloatField(allow_null=True)


class ComplaintPublicFilterSerializer(serializers.Serializer):
    """Query filters of the public list and export. A parameter that is present must be valid:
    an empty ``?until=`` is a 400, not "no filter"."""

    category = serializers.SlugField(required=False)
    kelurahan = serializers.CharField(required=False, max_length=13)
    state = serializers.ChoiceField(choices=State.choices, required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class ComplaintExportFilterSerializer(ComplaintPublicFilterSerializer):
    output = serializers.ChoiceField(choices=["json", "csv"], required=False, default="json")


class ComplaintHotspotsFilterSerializer(serializers.Serializer):
    since = serializers.DateField(required=False)


class ComplaintHotspotCellSerializer(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    count = serializers.IntegerField()
    months = serializers.IntegerField(help_text="Distinct months with reports in this cell.")


class ComplaintHotspotsSerializer(serializers.Serializer):
    grid_m = serializers.IntegerField()
    by_kelurahan = ComplaintCountSerializer(many=True)
    by_month = ComplaintMonthCountSerializer(many=True)
    grid = ComplaintHotspotCellSerializer(many=True)


class ComplaintPhotoLocationInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The photo as taken (JPEG), before uploading it."))


class ComplaintPhotoLocationSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    inside_city = serializers.BooleanField()
    kelurahan = serializers.CharField(allow_null=True, help_text=_("Kemendagri code."))
    kelurahan_name = serializers.CharField(allow_null=True)
