"""Shapes of the household, delegation and on-behalf endpoints. Rules live in accounts.households.

Names are globally unique (drf-spectacular names schema components after them).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import households, identifiers
from accounts.models import Delegation, Household, HouseholdMember, ProxyAction, User
from services.models import Kelurahan


def _validate_identifier(validator, value: str) -> str:
    try:
        validator(value)
    except Exception as exc:  # django ValidationError → DRF error with the same code
        raise serializers.ValidationError(exc.messages, code=exc.code) from exc
    return value


def _clean_name(value: str) -> str:
    value = " ".join(value.split())
    if not value or not value.isprintable():
        raise serializers.ValidationError(_("Enter the full name."), code="invalid")
    return value


def _viewer(serializer: serializers.Serializer) -> User:
    return serializer.context["request"].user


# --- Household ---------------------------------------------------------------------------------


class HouseholdMemberInputSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(
        required=False,
        help_text=_("An existing member to update; leave out for a new member."),
    )
    full_name = serializers.CharField(max_length=150)
    relationship = serializers.ChoiceField(choices=HouseholdMember.Relationship.choices)
    sex = serializers.ChoiceField(choices=HouseholdMember.Sex.choices)
    birth_date = serializers.DateField()
    nik = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text=_("16 digits, if the member has one. For yourself, your account's NIK."),
    )
    is_self = serializers.BooleanField(
        default=False,
        help_text=_("True on the one member who is you (found by your NIK when none is marked)."),
    )

    def validate_full_name(self, value: str) -> str:
        return _clean_name(value)

    def validate_nik(self, value: str) -> str:
        return _validate_identifier(identifiers.validate_nik, value) if value else value


class HouseholdRecordInputSerializer(serializers.Serializer):
    """The citizen's KK as printed: the number, the address, and every member listed on it."""

    kk_number = serializers.CharField(max_length=16, help_text=_("The 16-digit KK number."))
    address = serializers.CharField(max_length=255, allow_blank=True, default="")
    kelurahan = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Kelurahan.objects.all(),
        allow_null=True,
        default=None,
        help_text=_("Kemendagri code of the kelurahan, e.g. 64.71.05.1002."),
    )
    members = HouseholdMemberInputSerializer(
        many=True, allow_empty=False, max_length=households.MAX_MEMBERS
    )

    def validate_kk_number(self, value: str) -> str:
        return _validate_identifier(identifiers.validate_kk_number, value)


class HouseholdMemberSerializer(serializers.ModelSerializer):
    """A member as the viewer may see them: the NIK in full to the person who recorded the KK."""

    relationship_label = serializers.CharField(source="get_relationship_display")
    is_minor = serializers.SerializerMethodField()
    nik = serializers.SerializerMethodField()
    is_self = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdMember
        fields = [
            "uuid",
            "full_name",
            "relationship",
            "relationship_label",
            "sex",
            "birth_date",
            "is_minor",
            "nik",
            "is_self",
        ]
        read_only_fields = fields

    def get_is_minor(self, member: HouseholdMember) -> bool:
        return households.age_on(member.birth_date, households.today_wita()) < households.ADULT_AGE

    def get_nik(self, member: HouseholdMember) -> str:
        if not member.nik_digest:
            return ""
        if member.household.recorded_by_id == _viewer(self).pk:
            return member.nik
        return member.nik_masked

    def get_is_self(self, member: HouseholdMember) -> bool:
        return member.user_id is not None and member.user_id == _viewer(self).pk


class HouseholdSerializer(serializers.ModelSerializer):
    kk_number = serializers.SerializerMethodField()
    kk_masked = serializers.CharField()
    kelurahan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kelurahan_name = serializers.CharField(source="kelurahan.name", default=None)
    is_confirmed = serializers.BooleanField()
    is_recorded_by_me = serializers.SerializerMethodField()
    members = HouseholdMemberSerializer(many=True)

    class Meta:
        model = Household
        fields = [
            "uuid",
            "kk_number",
            "kk_masked",
            "address",
            "kelurahan",
            "kelurahan_name",
            "is_confirmed",
            "confirmed_at",
            "is_recorded_by_me",
            "members",
            "updated_at",
        ]
        read_only_fields = fields

    def get_kk_number(self, household: Household) -> str:
        if household.recorded_by_id == _viewer(self).pk:
            return household.kk_number
        return household.kk_masked

    def get_is_recorded_by_me(self, household: Household) -> bool:
        return household.recorded_by_id == _viewer(self).pk


# --- Delegations -------------------------------------------------------------------------------


class DelegationPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["uuid", "full_name"]
        read_only_fields = fields


class DelegationGrantInputSerializer(serializers.Serializer):
    grantee_contact = serializers.CharField(
        max_length=254,
        help_text=_("The email address or phone number of the adult's account."),
    )
    service_codes = serializers.ListField(
        child=serializers.RegexField(
            r"^(\*|[a-z0-9_.-]{1,64})$",
            max_length=64,
            error_messages={"invalid": _("Not a service code.")},
        ),
        allow_empty=False,
        min_length=1,  # allow_empty alone does not reach the schema (minItems)
        max_length=50,
        help_text=_('Codes of the services, or ["*"] for every service.'),
    )
    valid_until = serializers.DateTimeField(
        help_text=_("When the delegation ends: in the future and at most one year ahead.")
    )
    consent = serializers.BooleanField(
        help_text=_("True: the grantor agrees to the consent statement shown to them.")
    )


class DelegationSerializer(serializers.ModelSerializer):
    direction = serializers.SerializerMethodField()
    grantor = DelegationPartySerializer()
    grantee = DelegationPartySerializer()
    service_codes = serializers.ListField(child=serializers.CharField())
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = [
            "uuid",
            "direction",
            "grantor",
            "grantee",
            "service_codes",
            "valid_from",
            "valid_until",
            "is_active",
            "consent_text",
            "consented_at",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["given", "received"]))
    def get_direction(self, delegation: Delegation) -> str:
        return "given" if delegation.grantor_id == _viewer(self).pk else "received"

    def get_is_active(self, delegation: Delegation) -> bool:
        return delegation.is_active_at(self.context["now"])


# --- Acting for someone ------------------------------------------------------------------------


class ProxyActionPartySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["account", "household_member"])
    uuid = serializers.UUIDField(allow_null=True)
    full_name = serializers.CharField()


class ProxyActionSerializer(serializers.ModelSerializer):
    direction = serializers.SerializerMethodField()
    actor = DelegationPartySerializer()
    subject = serializers.SerializerMethodField()
    delegation = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)

    class Meta:
        model = ProxyAction
        fields = [
            "uuid",
            "direction",
            "actor",
            "subject",
            "basis",
            "delegation",
            "service_code",
            "description",
            "at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["by_me", "for_me"]))
    def get_direction(self, action: ProxyAction) -> str:
        return "by_me" if action.actor_id == _viewer(self).pk else "for_me"

    @extend_schema_field(ProxyActionPartySerializer)
    def get_subject(self, action: ProxyAction) -> dict:
        if action.subject_member_id is not None:
            member = action.subject_member
            return {"kind": "household_member", "uuid": member.uuid, "full_name": member.full_name}
        if action.subject_user_id is not None:
            user = action.subject_user
            return {"kind": "account", "uuid": user.uuid, "full_name": user.full_name}
        # the member has since left the KK: the name recorded at the time remains
        return {"kind": "household_member", "uuid": None, "full_name": action.subject_name}


class CanActForQuerySerializer(serializers.Serializer):
    """Exactly one of ``member`` and ``user``, and the service."""

    member = serializers.UUIDField(required=False, help_text=_("A household member's uuid."))
    user = serializers.UUIDField(required=False, help_text=_("An account's uuid."))
    service = serializers.RegexField(
        households.SERVICE_CODE_PATTERN, max_length=64, help_text=_("The service code.")
    )

    def validate(self, attrs: dict) -> dict:
        # DRF reads an empty query value of an optional field as "not given"; `?user=` is a
        # malformed uuid, not an absent one.
        for name in ("member", "user"):
            if self.initial_data.get(name, None) == "":
                raise serializers.ValidationError(
                    {name: [_("Must be a valid UUID.")]}, code="invalid"
                )
        if ("member" in attrs) == ("user" in attrs):
            raise serializers.ValidationError(
                _("Give either member or user."), code="subject_required"
            )
        return attrs


class CanActForSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    basis = serializers.ChoiceField(choices=["self", "guardian", "delegation"], allow_null=True)
