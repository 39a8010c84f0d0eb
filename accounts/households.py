"""Households (KK) and delegations: who may act for whom.

Service modules ask one question, :func:`may_act_for`; when they act for someone they ask
:func:`acting_basis` and call :func:`proxy_action_record`, so that both people see what was done
(:func:`proxy_actions_for`) and who did it.

A person may act for a subject on one of three bases:

* ``self`` — the subject is the actor, or a household member linked to the actor's account;
* ``guardian`` — the subject is a minor member (under ``ADULT_AGE`` today, in WITA) of a KK that
  counter staff confirmed at the MPP, and the actor is that KK's head: the head's row is linked to
  the actor's account and carries the actor's NIK, which counter staff verified;
* ``delegation`` — the subject's account gave the actor a delegation that is not revoked, has
  started and not ended, and names the service (or ``*``, every service).

Writes (``household_*``, ``delegation_*``, ``proxy_action_record``) are keyword-only services; reads
(``household_for``, ``delegation_list_for``, ``proxy_actions_for`` …) are selectors scoped to the
person asking. Error codes are listed in ``accounts/exceptions.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_lib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import identifiers
from accounts.exceptions import (
    DelegationInvalid,
    HouseholdInvalid,
    HouseholdMemberInUse,
    KkTaken,
    NotAllowed,
)
from accounts.models import (
    ADULT_AGE,
    Delegation,
    Household,
    HouseholdMember,
    ProxyAction,
    User,
)

WITA = ZoneInfo("Asia/Makassar")
MAX_MEMBERS = 30  # a KK rarely lists more than a dozen people; this bounds the work of one PUT
ALL_SERVICES = "*"
SERVICE_CODE_PATTERN = r"^[a-z0-9_.-]{1,64}$"
_SERVICE_CODE = re.compile(r"[a-z0-9_.-]{1,64}")

Head = HouseholdMember.Relationship.HEAD
BasisKind = Literal["self", "guardian", "delegation"]


# --- Dates -------------------------------------------------------------------------------------


def today_wita(moment: dt.datetime | None = None) -> dt.date:
    """The calendar day in Balikpapan (WITA) at ``moment`` (default: now)."""
    return (moment or timezone.now()).astimezone(WITA).date()


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def _one_year_after(moment: dt.datetime) -> dt.datetime:
    local = moment.astimezone(WITA)
    try:
        return local.replace(year=local.year + 1)
    except ValueError:  # 29 February
        return local.replace(year=local.year + 1, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def _minor_born_after(day: dt.date) -> dt.date:
    """Someone born *after* the returned day is a minor on ``day``."""
    return _years_before(day, ADULT_AGE)


# --- Households: writes ------------------------------------------------------------------------


@dataclass
class _MemberRow:
    """One member of the submitted KK, cleaned."""

    full_name: str
    relationship: str
    sex: str
    birth_date: dt.date
    nik: str
    nik_digest: str | None
    is_self: bool
    uuid: uuid_lib.UUID | None


def _clean_member_rows(*, actor: User, members: Sequence[Mapping]) -> list[_MemberRow]:
    if not members or len(members) > MAX_MEMBERS:
        raise HouseholdInvalid(
            _("List between 1 and %(max)d members of the KK.") % {"max": MAX_MEMBERS},
            code="household_members",
        )
    today = today_wita()
    rows: list[_MemberRow] = []
    for raw in members:
        full_name = " ".join(str(raw.get("full_name") or "").split())
        nik = str(raw.get("nik") or "").strip()
        probe = HouseholdMember(
            full_name=full_name,
            relationship=raw.get("relationship") or "",
            sex=raw.get("sex") or "",
            birth_date=raw.get("birth_date"),
        )
        try:
            probe.clean_fields(exclude=["household", "user", "nik_sealed", "nik_digest"])
        except ValidationError as exc:
            raise HouseholdInvalid(exc.messages[0], code="household_invalid") from exc
        if probe.birth_date > today:
            raise HouseholdInvalid(
                _("A member's date of birth cannot be in the future."),
                code="household_member_birth_date",
            )
        if nik:
            try:
                identifiers.validate_nik(nik)
            except ValidationError as exc:
                raise HouseholdInvalid(exc.messages[0], code=exc.code) from exc
        member_uuid = raw.get("uuid")
        try:
            member_uuid = uuid_lib.UUID(str(member_uuid)) if member_uuid else None
        except ValueError as exc:
            raise HouseholdInvalid(
                _("One of the members is not in your household."), code="household_member_unknown"
            ) from exc
        rows.append(
            _MemberRow(
                full_name=full_name,
                relationship=probe.relationship,
                sex=probe.sex,
                birth_date=probe.birth_date,
                nik=nik,
                nik_digest=identifiers.digest(nik) if nik else None,
                is_self=bool(raw.get("is_self")),
                uuid=member_uuid,
            )
        )

    if sum(row.relationship == Head for row in rows) != 1:
        raise HouseholdInvalid(
            _("A KK has exactly one head of household (kepala keluarga)."), code="household_head"
        )

    marked = [row for row in rows if row.is_self]
    if not marked and actor.nik_digest:
        marked = [row for row in rows if row.nik_digest == actor.nik_digest]
    if len(marked) != 1:
        raise HouseholdInvalid(
            _("Mark exactly one member as yourself: you can only record a KK you are on."),
            code="household_self",
        )
    me = marked[0]
    me.is_self = True
    if actor.nik_digest:
        if not me.nik:  # the account's NIK is the member's NIK
            me.nik, me.nik_digest = actor.nik, actor.nik_digest
        elif me.nik_digest != actor.nik_digest:
            raise HouseholdInvalid(
                _("The member marked as you must have the NIK of your account."),
                code="household_self_nik",
            )

    digests = [row.nik_digest for row in rows if row.nik_digest]
    if len(digests) != len(set(digests)):
        raise HouseholdInvalid(
            _("Two members have the same NIK."), code="household_member_nik_duplicate"
        )
    seen_uuids = [row.uuid for row in rows if row.uuid]
    if len(seen_uuids) != len(set(seen_uuids)):
        raise HouseholdInvalid(_("A member is listed twice."), code="household_member_duplicate")
    return rows


def _match_members(
    rows: list[_MemberRow], existing: list[HouseholdMember]
) -> tuple[list[tuple[_MemberRow, HouseholdMember | None]], list[HouseholdMember]]:
    """Pair each submitted row with the member it updates: by ``uuid``, then NIK, then name and
    date of birth; rows left over are new members, members left over are removed."""
    unmatched = {member.pk: member for member in existing}
    pairs: dict[int, HouseholdMember] = {}

    by_uuid = {member.uuid: member for member in existing}
    for index, row in enumerate(rows):
        if row.uuid is None:
            continue
        member = by_uuid.get(row.uuid)
        if member is None:
            raise HouseholdInvalid(
                _("One of the members is not in your household."),
                code="household_member_unknown",
            )
        pairs[index] = unmatched.pop(member.pk)

    def match(key) -> None:
        for index, row in enumerate(rows):
            if index in pairs or key(row) is None:
                continue
            for pk, member in list(unmatched.items()):
                if key(member) == key(row):
                    pairs[index] = unmatched.pop(pk)
                    break

    match(lambda item: item.nik_digest)
    match(lambda item: (item.full_name.casefold(), item.birth_date))
    return [(row, pairs.get(index)) for index, row in enumerate(rows)], list(unmatched.values())


_MEMBER_FIELDS = [
    "full_name",
    "relationship",
    "sex",
    "birth_date",
    "nik_sealed",
    "nik_digest",
    "user",
]


def _apply_row(member: HouseholdMember, row: _MemberRow, *, actor: User) -> None:
    member.full_name = row.full_name
    member.relationship = row.relationship
    member.sex = row.sex
    member.birth_date = row.birth_date
    if row.nik_digest != member.nik_digest:
        member.set_nik(row.nik or None)
    member.user = actor if row.is_self else None


def _row_differs(member: HouseholdMember, row: _MemberRow, *, actor: User) -> bool:
    return (
        member.full_name != row.full_name
        or member.relationship != row.relationship
        or member.sex != row.sex
        or member.birth_date != row.birth_date
        or member.nik_digest != row.nik_digest
        or member.user_id != (actor.pk if row.is_self else None)
    )


@transaction.atomic
def household_record(
    *,
    actor: User,
    kk_number: str,
    address: str,
    kelurahan,
    members: Sequence[Mapping],
) -> Household:
    """Record or replace the actor's KK and its members.

    ``members`` are mappings with ``full_name``, ``relationship``, ``sex``, ``birth_date`` and
    optionally ``nik``, ``is_self`` (the one member who is the actor; found by the account's NIK
    when none is marked) and ``uuid`` (an existing member to update; members are otherwise matched
    by NIK, then by name and date of birth, so that their records elsewhere survive a resubmission).
    Any change to a confirmed household withdraws the confirmation: the citizen shows the KK at the
    counter again. Nothing is written when a rule fails.
    """
    kk_number = (kk_number or "").strip()
    try:
        identifiers.validate_kk_number(kk_number)
    except ValidationError as exc:
        raise HouseholdInvalid(exc.messages[0], code=exc.code) from exc
    rows = _clean_member_rows(actor=actor, members=members)
    kk_digest = identifiers.digest(kk_number)
    address = " ".join((address or "").split())

    # One write at a time per citizen: two requests must not both create a household for them.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    household = (
        Household.objects.select_for_update()
        .filter(pk__in=HouseholdMember.objects.filter(user=actor).values("household_id"))
        .order_by("pk")
        .first()
    )
    if household is not None and household.recorded_by_id != actor.pk:
        raise NotAllowed(_("Only the person who recorded this KK may change it."))
    taken = Household.objects.filter(kk_digest=kk_digest)
    if household is not None:
        taken = taken.exclude(pk=household.pk)
    if taken.exists():
        raise KkTaken(_("This KK number has already been recorded by another account."))

    created = household is None
    if created:
        household = Household(recorded_by=actor)
    changed_fields: list[str] = []
    if household.kk_digest != kk_digest:
        household.set_kk_number(kk_number)
        changed_fields += ["kk_sealed", "kk_digest"]
    if household.address != address:
        household.address = address
        changed_fields.append("address")
    kelurahan_id = getattr(kelurahan, "pk", kelurahan)
    if household.kelurahan_id != kelurahan_id:
        household.kelurahan_id = kelurahan_id
        changed_fields.append("kelurahan")
    try:
        household.clean_fields(exclude=["kk_sealed", "kk_digest", "recorded_by", "kelurahan"])
    except ValidationError as exc:
        raise HouseholdInvalid(exc.messages[0], code="household_invalid") from exc

    if created:
        _save_household(household)
        _sync_members(household=household, rows=rows, actor=actor, created=True)
        return household

    members_changed = _sync_members(household=household, rows=rows, actor=actor, created=False)
    if changed_fields or members_changed:
        changed_fields.append("updated_at")
        if household.is_confirmed:  # what counter staff saw is no longer what is recorded
            household.confirmed_at, household.confirmed_by = None, None
            changed_fields += ["confirmed_at", "confirmed_by"]
        _save_household(household, update_fields=changed_fields)
    return household


def _save_household(household: Household, **kwargs) -> None:
    try:
        with transaction.atomic():
            household.save(**kwargs)
    except IntegrityError as exc:  # another request recorded the same KK a moment ago
        raise KkTaken(_("This KK number has already been recorded by another account.")) from exc


def _sync_members(
    *, household: Household, rows: list[_MemberRow], actor: User, created: bool
) -> bool:
    existing = [] if created else list(household.members.select_for_update().order_by("pk"))
    pairs, removed = _match_members(rows, existing)

    if removed:
        try:
            with transaction.atomic():
                HouseholdMember.objects.filter(pk__in=[member.pk for member in removed]).delete()
        except (ProtectedError, RestrictedError) as exc:
            raise HouseholdMemberInUse(
                _("A member you removed is still used by an application; ask at the MPP counter."),
            ) from exc

    changed = [member for row, member in pairs if member and _row_differs(member, row, actor=actor)]
    if changed:
        # First free the values each member may hold only once per household (the head, a NIK,
        # the link to an account), then write the final values: a head can move between rows.
        HouseholdMember.objects.filter(pk__in=[member.pk for member in changed]).update(
            relationship=HouseholdMember.Relationship.OTHER, nik_digest=None, user=None
        )
        for row, member in pairs:
            if member in changed:
                _apply_row(member, row, actor=actor)
                member.save(update_fields=_MEMBER_FIELDS)

    new_members = []
    for row, member in pairs:
        if member is None:
            member = HouseholdMember(household=household)
            _apply_row(member, row, actor=actor)
            new_members.append(member)
    if new_members:
        HouseholdMember.objects.bulk_create(new_members)
    return bool(removed or changed or new_members)


def may_confirm_household(actor: User) -> bool:
    return actor.is_active and actor.is_staff and actor.has_perm("accounts.confirm_household")


@transaction.atomic
def household_confirm(*, actor: User, household: Household) -> Household:
    """Counter staff have seen the paper KK (and the citizen's KTP-el) and confirm the record."""
    if not may_confirm_household(actor):
        raise NotAllowed(_("Only counter staff may confirm a household."))
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.members.filter(user=actor).exists():
        raise NotAllowed(_("Staff cannot confirm their own household; ask a colleague."))
    if household.is_confirmed:
        return household
    household.confirmed_at = timezone.now()
    household.confirmed_by = actor
    household.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    return household


# --- Households: reads -------------------------------------------------------------------------


def _households_of(user: User) -> QuerySet[Household]:
    return Household.objects.filter(
        pk__in=HouseholdMember.objects.filter(user=user).values("household_id")
    )


def household_for(*, user: User) -> Household | None:
    """The household the user is a member of (with its kelurahan and members), or ``None``."""
    return (
        _households_of(user)
        .select_related("kelurahan")
        .prefetch_related("members")
        .order_by("pk")
        .first()
    )


def household_exists_for(*, user: User) -> bool:
    return _households_of(user).exists()


def household_members_for(*, user: User) -> QuerySet[HouseholdMember]:
    """Members of the user's household (the user included), oldest first."""
    return HouseholdMember.objects.filter(household__in=_households_of(user)).order_by(
        "birth_date", "pk"
    )


# --- Delegations: writes -----------------------------------------------------------------------

CONSENT_STATEMENT_ID = (
    "Saya memberi kuasa kepada pemilik akun {contact} untuk bertindak atas nama saya untuk "
    "{services}, mulai {start} sampai {end} WITA. Saya dapat mencabut kuasa ini kapan saja, dan "
    "setiap tindakan atas nama saya dicatat dan dapat saya lihat."
)
CONSENT_STATEMENT_EN = (
    "I authorise the holder of the account {contact} to act on my behalf for {services}, from "
    "{start} until {end} WITA. I can revoke this at any time, and every action taken on my behalf "
    "is recorded and visible to me."
)


def delegation_consent_statement(
    *,
    grantee_contact: str,
    service_codes: Sequence[str],
    valid_from: dt.datetime,
    valid_until: dt.datetime,
) -> str:
    """The statement the grantor agrees to, in Indonesian then English; stored word for word."""
    if list(service_codes) == [ALL_SERVICES]:
        services_id, services_en = "semua layanan", "all services"
    else:
        listed = ", ".join(service_codes)
        services_id, services_en = f"layanan {listed}", f"the services {listed}"
    when = {
        "start": valid_from.astimezone(WITA).strftime("%Y-%m-%d %H:%M"),
        "end": valid_until.astimezone(WITA).strftime("%Y-%m-%d %H:%M"),
        "contact": grantee_contact.strip(),
    }
    return "\n\n".join(
        [
            CONSENT_STATEMENT_ID.format(services=services_id, **when),
            CONSENT_STATEMENT_EN.format(services=services_en, **when),
        ]
    )


def is_service_code(value: object) -> bool:
    return isinstance(value, str) and _SERVICE_CODE.fullmatch(value) is not None


def _clean_service_codes(service_codes: Iterable[str] | None) -> list[str]:
    codes = list(dict.fromkeys(service_codes or []))  # keeps the order, drops repeats
    if codes == [ALL_SERVICES]:
        return codes
    if not codes or not all(is_service_code(code) for code in codes):
        raise DelegationInvalid(
            _('List the services by their codes, or give "*" alone for every service.'),
            code="delegation_service_codes",
        )
    return codes


def _account_for_contact(contact: str) -> User | None:
    contact = (contact or "").strip()
    if not contact:
        return None
    if "@" in contact:
        return User.objects.filter(email=contact.lower(), is_active=True).first()
    try:
        phone = identifiers.normalize_phone(contact)
    except ValidationError:
        return None
    return User.objects.filter(phone=phone, is_active=True).first()


def _is_adult(user: User, day: dt.date) -> bool:
    birth_date = user.birth_date
    return birth_date is not None and age_on(birth_date, day) >= ADULT_AGE


@transaction.atomic
def delegation_grant(
    *,
    actor: User,
    grantee_contact: str,
    service_codes: Sequence[str],
    valid_until: dt.datetime,
    consent: bool,
) -> Delegation:
    """The actor (an adult) lets another adult act for them for some services until a moment at
    most a year ahead. The consent statement and its time are stored with the delegation."""
    if consent is not True:
        raise DelegationInvalid(
            _("Confirm that you agree to the statement to give a delegation."),
            code="delegation_consent_required",
        )
    codes = _clean_service_codes(service_codes)
    now = timezone.now()
    if timezone.is_naive(valid_until):
        valid_until = timezone.make_aware(valid_until, WITA)
    if not now < valid_until <= _one_year_after(now):
        raise DelegationInvalid(
            _("A delegation must end in the future and at most one year from today."),
            code="delegation_valid_until",
        )
    today = today_wita(now)
    if not actor.nik_digest:
        raise DelegationInvalid(
            _("Add your NIK to your profile before giving a delegation."), code="nik_required"
        )
    if not _is_adult(actor, today):
        raise DelegationInvalid(
            _("Only adults (%(age)d or older) may give a delegation.") % {"age": ADULT_AGE},
            code="grantor_minor",
        )
    grantee = _account_for_contact(grantee_contact)
    if grantee is None:
        raise DelegationInvalid(
            _("No account uses this email address or phone number."), code="grantee_not_found"
        )
    if grantee.pk == actor.pk:
        raise DelegationInvalid(
            _("You cannot give a delegation to yourself."), code="delegation_self"
        )
    if not grantee.nik_digest:
        raise DelegationInvalid(
            _("The person you delegate to must first add their NIK to their profile."),
            code="grantee_nik_required",
        )
    if not _is_adult(grantee, today):
        raise DelegationInvalid(
            _("You can only delegate to an adult (%(age)d or older).") % {"age": ADULT_AGE},
            code="grantee_minor",
        )
    delegation = Delegation(
        grantor=actor,
        grantee=grantee,
        service_codes=codes,
        valid_from=now,
        valid_until=valid_until,
        consent_text=delegation_consent_statement(
            grantee_contact=grantee_contact,
            service_codes=codes,
            valid_from=now,
            valid_until=valid_until,
        ),
        consented_at=now,
    )
    delegation.save()
    return delegation


def _may_revoke_any_delegation(actor: User) -> bool:
    return actor.is_active and actor.is_staff and actor.has_perm("accounts.change_delegation")


@transaction.atomic
def delegation_revoke(*, actor: User, delegation: Delegation) -> Delegation:
    """End a delegation now. The grantor or the grantee may (and staff holding
    ``accounts.change_delegation``, e.g. on a report of abuse); revoking twice changes nothing."""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("grantor", "grantee")
        .get(pk=delegation.pk)
    )
    if actor.pk not in (delegation.grantor_id, delegation.grantee_id) and not (
        _may_revoke_any_delegation(actor)
    ):
        raise NotAllowed(_("Only the two people named in a delegation may revoke it."))
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at = timezone.now()
    delegation.revoked_by = actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    return delegation


# --- Delegations: reads ------------------------------------------------------------------------


def delegation_active_q(at: dt.datetime | None = None) -> Q:
    at = at or timezone.now()
    return Q(revoked_at__isnull=True, valid_from__lte=at, valid_until__gt=at)


def delegation_list_for(*, user: User) -> QuerySet[Delegation]:
    """Delegations the user gave or received, newest first."""
    return (
        Delegation.objects.filter(Q(grantor=user) | Q(grantee=user))
        .select_related("grantor", "grantee")
        .order_by("-created_at", "-pk")
    )


def delegation_get_for(*, user: User, uuid: uuid_lib.UUID | str) -> Delegation | None:
    """One of the user's delegations (given or received); ``None`` for anyone else's."""
    return delegation_list_for(user=user).filter(uuid=uuid).first()


# --- Acting for someone ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActingBasis:
    """Why the actor may act for the subject: ``kind`` and, for ``delegation``, which one."""

    kind: BasisKind
    delegation: Delegation | None = None


SELF = ActingBasis("self")
GUARDIAN = ActingBasis("guardian")


def _covers(delegation: Delegation, service_code: str) -> bool:
    codes = delegation.service_codes or []
    return ALL_SERVICES in codes or service_code in codes


def _active_delegation(
    *, grantor_id: int, grantee: User, service_code: str, at: dt.datetime
) -> Delegation | None:
    candidates = Delegation.objects.filter(
        delegation_active_q(at), grantor_id=grantor_id, grantee=grantee, grantor__is_active=True
    ).order_by("-created_at", "-pk")
    # service_codes is a JSON list; ``contains`` is not portable (SQLite), and a person has few.
    return next((d for d in candidates if _covers(d, service_code)), None)


def _is_guardian(*, actor: User, member: HouseholdMember, at: dt.datetime) -> bool:
    if not actor.is_nik_verified or not actor.nik_digest:
        return False
    if age_on(member.birth_date, today_wita(at)) >= ADULT_AGE:
        return False
    return HouseholdMember.objects.filter(
        household_id=member.household_id,
        household__confirmed_at__isnull=False,
        relationship=Head,
        user=actor,
        nik_digest=actor.nik_digest,
    ).exists()


def acting_basis(
    *,
    actor: User,
    subject: User | HouseholdMember,
    service_code: str,
    at: dt.datetime | None = None,
) -> ActingBasis | None:
    """On what basis ``actor`` may act for ``subject`` for ``service_code``, or ``None``.

    A child is named by their :class:`HouseholdMember` row (children rarely have accounts); for a
    :class:`User` subject only ``self`` and ``delegation`` apply. ``at`` defaults to now.
    """
    if not is_service_code(service_code):
        raise ValueError(f"{service_code!r} is not a service code")
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    at = at or timezone.now()
    if isinstance(subject, HouseholdMember):
        if subject.user_id is not None and subject.user_id == actor.pk:
            return SELF
        if _is_guardian(actor=actor, member=subject, at=at):
            return GUARDIAN
        subject_user_id = subject.user_id
    elif isinstance(subject, User):
        if subject.pk == actor.pk:
            return SELF
        subject_user_id = subject.pk
    else:
        raise TypeError(f"cannot act for a {type(subject).__name__}")
    if subject_user_id is None:
        return None
    delegation = _active_delegation(
        grantor_id=subject_user_id, grantee=actor, service_code=service_code, at=at
    )
    return ActingBasis("delegation", delegation) if delegation else None


def may_act_for(*, actor: User, subject: User | HouseholdMember, service_code: str) -> bool:
    """THE question service modules ask: may ``actor`` act for ``subject`` for this service?"""
    return acting_basis(actor=actor, subject=subject, service_code=service_code) is not None


def acting_basis_for_uuid(
    *, actor: User, service_code: str, member_uuid=None, user_uuid=None
) -> ActingBasis | None:
    """:func:`acting_basis` for a subject named by its public ``uuid``. An unknown uuid and an
    unrelated person both give ``None``, so the answer never tells whether a uuid exists."""
    if member_uuid is not None:
        subject = HouseholdMember.objects.filter(uuid=member_uuid).first()
    elif user_uuid is not None:
        subject = User.objects.filter(uuid=user_uuid, is_active=True).first()
    else:
        subject = None
    if subject is None:
        return None
    return acting_basis(actor=actor, subject=subject, service_code=service_code)


@transaction.atomic
def proxy_action_record(
    *,
    actor: User,
    subject: User | HouseholdMember,
    service_code: str,
    description: str,
    delegation: Delegation | None = None,
) -> ProxyAction | None:
    """Record that ``actor`` did something for ``subject``; ``None`` when they acted for
    themselves. The actor must (still) be allowed to; a given ``delegation`` must be the one that
    allows it. Call it in the same transaction as the action itself."""
    description = " ".join(str(description or "").split())
    if not description or len(description) > 255:
        raise ValueError("description must be 1–255 characters")
    basis = acting_basis(actor=actor, subject=subject, service_code=service_code)
    if basis is None:
        raise NotAllowed(_("You may not act for this person for this service."))
    if basis.kind == "self":
        return None
    is_member = isinstance(subject, HouseholdMember)
    subject_user_id = subject.user_id if is_member else subject.pk
    if delegation is None:
        delegation = basis.delegation
    elif not (
        delegation.grantee_id == actor.pk
        and delegation.grantor_id == subject_user_id
        and delegation.is_active_at(timezone.now())
        and _covers(delegation, service_code)
    ):
        raise NotAllowed(_("This delegation does not allow this action."))
    action = ProxyAction(
        actor=actor,
        subject_user_id=subject_user_id,
        subject_member=subject if is_member else None,
        subject_name=subject.full_name,
        basis=ProxyAction.Basis.DELEGATION if delegation else ProxyAction.Basis.GUARDIAN,
        delegation=delegation,
        service_code=service_code,
        description=description,
        at=timezone.now(),
    )
    action.save()
    return action


def proxy_actions_for(*, user: User) -> QuerySet[ProxyAction]:
    """What the user did for others and what others did for them — for their account, for a
    household member linked to it, or for a minor member of their household — newest first."""
    minors = HouseholdMember.objects.filter(
        household_id__in=HouseholdMember.objects.filter(user=user).values("household_id"),
        birth_date__gt=_minor_born_after(today_wita()),
    ).values("pk")
    return (
        ProxyAction.objects.filter(
            Q(actor=user)
            | Q(subject_user=user)
            | Q(subject_member__user=user)
            | Q(subject_member__in=minors)
        )
        .select_related("actor", "subject_user", "subject_member", "delegation")
        .order_by("-at", "-pk")
    )
