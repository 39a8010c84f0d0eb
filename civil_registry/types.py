"""The request types: subject data (one serializer each), documents, service level and output.

A type is declared once here; the API, the portal, the admin and submission all read it. The
service codes are those of the service catalog (``services/data/catalog.py``). All services of
Disdukcapil are free (UU No. 24/2013 jo. UU No. 23/2006, art. 79A): there is no fee field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts import identifiers

ADULT_AGE = 17
OLDEST_AGE = 125


def _today() -> dt.date:
    return timezone.localdate()


def _nik(value: str) -> str:
    try:
        identifiers.validate_nik(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages[0], code=exc.code) from None
    return value


def _kk(value: str) -> str:
    try:
        identifiers.validate_kk_number(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages[0], code=exc.code) from None
    return value


def _past_date(value: dt.date) -> dt.date:
    if value > _today():
        raise serializers.ValidationError(_("The date cannot be in the future."), code="future")
    if value.year < _today().year - OLDEST_AGE:
        raise serializers.ValidationError(_("The date is too far in the past."), code="too_old")
    return value


class NikField(serializers.CharField):
    """A NIK (16 digits, domain-facts §2.1). Stored sealed, shown masked."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_length", 16)
        kwargs.setdefault("max_length", 16)
        super().__init__(validators=[_nik], **kwargs)


class KkNumberField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_length", 16)
        kwargs.setdefault("max_length", 16)
        super().__init__(validators=[_kk], **kwargs)


class PastDateField(serializers.DateField):
    def __init__(self, **kwargs):
        super().__init__(validators=[_past_date], **kwargs)


NAME = {"max_length": 150}
PLACE = {"max_length": 150}
ADDRESS = {"max_length": 300}


# --- subject data per type -------------------------------------------------------------------


class CivilKkDataSerializer(serializers.Serializer):
    CHANGE_KINDS = (
        ("new", _("New family card")),
        ("add_member", _("Add a member")),
        ("remove_member", _("Remove a member")),
        ("change_data", _("Change of data")),
    )
    change_kind = serializers.ChoiceField(label=_("What to do"), choices=CHANGE_KINDS)
    kk_number = KkNumberField(label=_("Current KK number"), required=False)
    member_name = serializers.CharField(label=_("Family member concerned"), required=False, **NAME)
    description = serializers.CharField(
        label=_("Description"), required=False, allow_blank=True, max_length=1000
    )

    def validate(self, attrs):
        if self.partial:  # a draft: the cross-field rules are checked on submission
            return attrs
        kind = attrs.get("change_kind")
        if kind and kind != "new" and not attrs.get("kk_number"):
            raise serializers.ValidationError(
                {"kk_number": _("The current KK number is needed for a change.")}, code="required"
            )
        if kind in ("add_member", "remove_member", "change_data") and not attrs.get("member_name"):
            raise serializers.ValidationError(
                {"member_name": _("Name the family member concerned.")}, code="required"
            )
        return attrs


class CivilAktaKelahiranDataSerializer(serializers.Serializer):
    ATTENDANTS = (
        ("doctor", _("Doctor")),
        ("midwife", _("Midwife")),
        ("nurse", _("Nurse")),
        ("other", _("Other")),
    )
    child_name = serializers.CharField(label=_("Child's full name"), **NAME)
    child_sex = serializers.ChoiceField(
        label=_("Sex"), choices=(("L", _("Male")), ("P", _("Female")))
    )
    birth_date = PastDateField(label=_("Date of birth"))
    birth_place = serializers.CharField(label=_("Place of birth"), **PLACE)
    father_name = serializers.CharField(
        label=_("Father's name"), required=False, allow_blank=True, **NAME
    )
    mother_name = serializers.CharField(label=_("Mother's name"), **NAME)
    birth_attendant = serializers.ChoiceField(label=_("Birth attendant"), choices=ATTENDANTS)
    parents_kk_number = KkNumberField(label=_("Parents' KK number"))


class CivilAktaKematianDataSerializer(serializers.Serializer):
    CAUSES = (
        ("natural", _("Natural / old age")),
        ("illness", _("Illness")),
        ("accident", _("Accident")),
        ("other", _("Other")),
    )
    deceased_nik = NikField(label=_("NIK of the deceased"))
    deceased_name = serializers.CharField(label=_("Full name of the deceased"), **NAME)
    date_of_death = PastDateField(label=_("Date of death"))
    place_of_death = serializers.CharField(label=_("Place of death"), **PLACE)
    cause_category = serializers.ChoiceField(label=_("Cause of death"), choices=CAUSES)


class CivilKiaDataSerializer(serializers.Serializer):
    child_nik = NikField(label=_("Child's NIK"))
    child_name = serializers.CharField(label=_("Child's full name"), **NAME)
    child_birth_date = PastDateField(label=_("Child's date of birth"))

    def validate_child_birth_date(self, value):
        if age_on(value, _today()) >= ADULT_AGE:
            raise serializers.ValidationError(
                _("A KIA is for children under 17."), code="too_old_for_kia"
            )
        return value


class CivilMovingMemberSerializer(serializers.Serializer):
    full_name = serializers.CharField(label=_("Full name"), **NAME)
    relationship = serializers.CharField(label=_("Relationship"), max_length=40)


class CivilPindahKeluarDataSerializer(serializers.Serializer):
    destination_region = serializers.CharField(label=_("Destination region"), max_length=150)
    destination_address = serializers.CharField(label=_("Destination address"), **ADDRESS)
    reason = serializers.CharField(label=_("Reason for moving"), max_length=300)
    members = CivilMovingMemberSerializer(
        label=_("Family members moving"), many=True, min_length=1, max_length=30
    )


class CivilPindahDatangDataSerializer(serializers.Serializer):
    origin_region = serializers.CharField(label=_("Region of origin"), max_length=150)
    skpwni_number = serializers.CharField(label=_("SKPWNI letter number"), max_length=60)
    destination_address = serializers.CharField(label=_("Address in Balikpapan"), **ADDRESS)
    is_ikn_newcomer = serializers.BooleanField(
        label=_("Moving for work on the new capital (IKN)"), default=False
    )
    members = CivilMovingMemberSerializer(
        label=_("Family members moving"), many=True, min_length=1, max_length=30
    )


class CivilKtpElDataSerializer(serializers.Serializer):
    REASONS = (
        ("lost", _("Lost")),
        ("damaged", _("Damaged")),
        ("changed_data", _("Change of data")),
    )
    reason = serializers.ChoiceField(label=_("Reason for the reprint"), choices=REASONS)
    description = serializers.CharField(
        label=_("Description"), required=False, allow_blank=True, max_length=1000
    )


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    code: str
    label: str
    required: bool = True
    # Another requirement that satisfies this one instead (e.g. a signed statement for a
    # marriage certificate).
    alternative: str = ""


@dataclass(frozen=True)
class RequestType:
    code: str
    title: str
    serializer: type[serializers.Serializer]
    requirements: tuple[Requirement, ...]
    working_days: int
    output: str
    nik_field: str = ""  # the subject-data field holding the subject's NIK (sealed at rest)
    name_field: str = ""  # the subject-data field naming the subject
    conditional: tuple = field(default=())

    @property
    def slug(self) -> str:
        """The type in portal URLs: ``akta_kelahiran`` → ``akta-kelahiran``."""
        return self.code.replace("_", "-")

    def requirement(self, code: str) -> Requirement | None:
        return next((r for r in self.requirements if r.code == code), None)

    def missing_documents(self, *, data: dict, present: set[str]) -> list[Requirement]:
        """The requirements not met by the documents ``present`` for this subject ``data``."""
        missing = []
        for requirement in self.requirements:
            needed = requirement.required or requirement.code in self.conditionally_required(data)
            if not needed or requirement.code in present:
                continue
            if requirement.alternative and requirement.alternative in present:
                continue
            missing.append(requirement)
        return missing

    def conditionally_required(self, data: dict) -> set[str]:
        return {code for code, rule in self.conditional if rule(data)}


def _kia_needs_photo(data: dict) -> bool:
    birth = data.get("child_birth_date")
    if isinstance(birth, str):
        try:
            birth = dt.date.fromisoformat(birth)
        except ValueError:
            return False
    return bool(birth) and 5 <= age_on(birth, _today()) < ADULT_AGE


KK_DOC = Requirement("kk", _("Family card (KK)"))
KTP_DOC = Requirement("ktp", _("Applicant's e-KTP"), required=False)

REQUEST_TYPES: dict[str, RequestType] = {
    t.code: t
    for t in (
        RequestType(
            "kk",
            _("Family card (KK): new or updated"),
            CivilKkDataSerializer,
            (
                Requirement("kk", _("The current family card (KK)"), required=False),
                Requirement("marriage_certificate", _("Marriage certificate"), required=False),
                Requirement("event_document", _("Document of the change"), required=False),
                Requirement("ktp", _("Applicant's e-KTP")),
            ),
            working_days=1,
            output=_("Family card (KK), electronic PDF"),
            conditional=(("kk", lambda d: d.get("change_kind") not in (None, "new")),),
        ),
        RequestType(
            "akta_kelahiran",
            _("Birth certificate"),
            CivilAktaKelahiranDataSerializer,
            (
                Requirement("birth_letter", _("Birth letter from the hospital or midwife")),
                Requirement("parents_kk", _("Parents' family card (KK)")),
                Requirement(
                    "marriage_certificate",
                    _("Parents' marriage certificate"),
                    alternative="statement_of_responsibility",
                ),
                Requirement(
                    "statement_of_responsibility",
                    _("Signed statement of responsibility (SPTJM)"),
                    required=False,
                ),
                Requirement("parents_ktp", _("Parents' e-KTP"), required=False),
            ),
            working_days=1,
            output=_("Birth certificate, electronic PDF"),
            name_field="child_name",
        ),
        RequestType(
            "akta_kematian",
            _("Death certificate"),
            CivilAktaKematianDataSerializer,
            (
                Requirement("death_letter", _("Death letter")),
                Requirement("kk", _("The deceased's family card (KK)")),
                Requirement("deceased_ktp", _("The deceased's e-KTP"), required=False),
            ),
            working_days=1,
            output=_("Death certificate, electronic PDF"),
            nik_field="deceased_nik",
            name_field="deceased_name",
        ),
        RequestType(
            "kia",
            _("Child identity card (KIA)"),
            CivilKiaDataSerializer,
            (
                KK_DOC,
                Requirement("birth_certificate", _("The child's birth certificate")),
                Requirement("child_photo", _("Photo of the child (ages 5–17)"), required=False),
            ),
            working_days=1,
            output=_("Child identity card (KIA), to pick up at the MPP"),
            nik_field="child_nik",
            name_field="child_name",
            conditional=(("child_photo", _kia_needs_photo),),
        ),
        RequestType(
            "pindah_keluar",
            _("Moving out of Balikpapan (SKPWNI)"),
            CivilPindahKeluarDataSerializer,
            (KK_DOC, KTP_DOC),
            working_days=1,
            output=_("Moving letter (SKPWNI), electronic PDF"),
        ),
        RequestType(
            "pindah_datang",
            _("Registering your move to Balikpapan"),
            CivilPindahDatangDataSerializer,
            (
                Requirement("skpwni", _("Moving letter (SKPWNI) from the origin region")),
                Requirement(
                    "origin_kk", _("Family card (KK) of the origin region"), required=False
                ),
                KTP_DOC,
            ),
            working_days=1,
            output=_("Family card (KK) with a Balikpapan address"),
        ),
        RequestType(
            "ktp_el_cetak_ulang",
            _("e-KTP reprint"),
            CivilKtpElDataSerializer,
            (
                KK_DOC,
                Requirement("police_report", _("Police loss report"), required=False),
                Requirement("damaged_ktp", _("Photo of the damaged e-KTP"), required=False),
                Requirement("change_document", _("Document of the change"), required=False),
            ),
            working_days=1,
            output=_("e-KTP, to pick up at the MPP"),
            conditional=(
                ("police_report", lambda d: d.get("reason") == "lost"),
                ("damaged_ktp", lambda d: d.get("reason") == "damaged"),
                ("change_document", lambda d: d.get("reason") == "changed_data"),
            ),
        ),
    )
}

SERVICE_CODES = tuple(REQUEST_TYPES)
TYPE_CHOICES = [(t.code, t.title) for t in REQUEST_TYPES.values()]
ALL_REQUIREMENT_CODES = sorted({r.code for t in REQUEST_TYPES.values() for r in t.requirements})


def request_type(code: str) -> RequestType:
    return REQUEST_TYPES[code]


def request_type_for_slug(slug: str) -> RequestType | None:
    return REQUEST_TYPES.get(slug.replace("-", "_")) if "_" not in slug else None
