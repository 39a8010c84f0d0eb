"""Writes on the citizen identity. Every interface (API, portal, admin) calls these."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import identifiers
from accounts.exceptions import NikLocked, NikTaken, NotAllowed
from accounts.models import PersonalDataAccess, User


def _may_manage_nik(actor: User) -> bool:
    return actor.is_active and actor.is_staff and actor.has_perm("accounts.verify_nik")


@transaction.atomic
def user_update_profile(*, actor: User, user: User, **fields) -> User:
    """Change the editable parts of a profile. Verification fields are never among them."""
    allowed = {"full_name", "preferred_language", "home_kelurahan"}
    unknown = set(fields) - allowed - {"nik"}
    if unknown:
        raise ValueError(f"user_update_profile() got unexpected fields {sorted(unknown)}")
    if actor.pk != user.pk and not _may_manage_nik(actor):
        raise NotAllowed(_("You may only change your own profile."))
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = []
    for name in sorted(allowed & set(fields)):
        setattr(user, name, fields[name])
        changed.append(name)
    if "nik" in fields:
        changed += _set_nik(actor=actor, user=user, nik=fields["nik"])
    if changed:
        try:
            with transaction.atomic():
                user.save(update_fields=changed)
        except IntegrityError as exc:
            raise NikTaken(_("This NIK is already registered to another account.")) from exc
    return user


def _set_nik(*, actor: User, user: User, nik: str | None) -> list[str]:
    new_digest = identifiers.digest(nik) if nik else None
    if new_digest == user.nik_digest:
        return []
    if user.is_nik_verified and not _may_manage_nik(actor):
        raise NikLocked(_("Your NIK has been verified; ask an MPP counter officer to change it."))
    if new_digest and User.objects.filter(nik_digest=new_digest).exclude(pk=user.pk).exists():
        raise NikTaken(_("This NIK is already registered to another account."))
    user.set_nik(nik)
    fields = ["nik_sealed", "nik_digest"]
    if user.is_nik_verified:  # a changed NIK must be verified again
        user.nik_verified_at, user.nik_verified_by = None, None
        fields += ["nik_verified_at", "nik_verified_by"]
    return fields


@transaction.atomic
def user_verify_nik(*, actor: User, user: User) -> User:
    """An MPP counter officer has seen the citizen's KTP-el and confirms the NIK."""
    if not _may_manage_nik(actor):
        raise NotAllowed(_("Only counter staff may verify a NIK."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.nik_digest:
        raise NotAllowed(_("The account has no NIK to verify."), code="nik_required")
    if user.is_nik_verified:
        return user
    user.nik_verified_at = timezone.now()
    user.nik_verified_by = actor
    user.save(update_fields=["nik_verified_at", "nik_verified_by"])
    return user


def personal_data_access_record(*, accessor: User, subject: User, field: str, channel: str) -> None:
    PersonalDataAccess.objects.create(
        accessor=accessor, subject=subject, field=field, channel=channel
    )


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, agency, role: str):
    """Give ``user`` a staff role in ``agency`` (and access to the staff admin)."""
    from accounts.models import AgencyMembership

    membership, _created = AgencyMembership.objects.get_or_create(
        user=user, agency=agency, role=role
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership
