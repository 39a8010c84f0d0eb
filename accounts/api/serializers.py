from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import identifiers
from accounts.models import AgencyMembership, User
from accounts.selectors import memberships_for, nik_for_viewer
from services.models import Kelurahan


class AgencyMembershipSerializer(serializers.ModelSerializer):
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    agency_short_name = serializers.CharField(source="agency.short_name")
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = AgencyMembership
        fields = ["agency_code", "agency_name", "agency_short_name", "role", "role_label"]


class MeSerializer(serializers.ModelSerializer):
    """The signed-in person's own profile: the NIK in full (it is theirs)."""

    nik = serializers.SerializerMethodField()
    nik_masked = serializers.CharField(read_only=True)
    is_nik_verified = serializers.BooleanField(read_only=True)
    home_kelurahan = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "uuid",
            "full_name",
            "email",
            "phone",
            "phone_verified",
            "nik",
            "nik_masked",
            "is_nik_verified",
            "nik_verified_at",
            "preferred_language",
            "home_kelurahan",
            "is_staff",
            "memberships",
            "date_joined",
        ]
        read_only_fields = fields

    def get_nik(self, user: User) -> str:
        return nik_for_viewer(viewer=self.context["request"].user, subject=user, channel="api")

    @extend_schema_field(AgencyMembershipSerializer(many=True))
    def get_memberships(self, user: User):
        if not user.is_staff:
            return []
        return AgencyMembershipSerializer(memberships_for(user), many=True).data


class MeUpdateSerializer(serializers.Serializer):
    """What a citizen may change on their profile. Verification fields are not here."""

    full_name = serializers.CharField(max_length=150, required=False, allow_blank=False)
    preferred_language = serializers.ChoiceField(choices=User.Language.choices, required=False)
    home_kelurahan = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Kelurahan.objects.all(),
        required=False,
        allow_null=True,
    )
    nik = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        min_length=0,
        help_text=_("16 digits; cannot be changed once verified at an MPP counter."),
    )

    def validate_full_name(self, value: str) -> str:
        value = " ".join(value.split())
        if not value or not value.isprintable():
            raise serializers.ValidationError(_("Enter your full name."), code="invalid")
        return value

    def validate_nik(self, value: str) -> str:
        if value == "":
            return value
        try:
            identifiers.validate_nik(value)
        except Exception as exc:  # django ValidationError → DRF error with the same code
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc
        return value

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field cannot be changed here.")] for name in sorted(unknown)},
                    code="read_only",
                )
        return super().to_internal_value(data)
