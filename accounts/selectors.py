"""Reads on the identity, scoped to who is asking."""

from __future__ import annotations

from accounts.models import User
from accounts.services import personal_data_access_record


def nik_for_viewer(*, viewer: User, subject: User, channel: str) -> str:
    """The subject's NIK as ``viewer`` may see it: full to the owner and to staff holding
    ``accounts.view_full_nik`` (recorded), masked to everyone else."""
    nik = subject.nik
    if not nik:
        return ""
    if viewer.pk == subject.pk:
        return nik
    if viewer.is_active and viewer.is_staff and viewer.has_perm("accounts.view_full_nik"):
        personal_data_access_record(accessor=viewer, subject=subject, field="nik", channel=channel)
        return nik
    return subject.nik_masked


def memberships_for(user: User):
    return user.memberships.select_related("agency").order_by("agency__short_name", "role")


def staff_agency_ids(user):
    """The agencies ``user`` works for, as a subquery for ``agency_id__in=`` — empty unless the
    user is active staff. The one place that says which agencies' objects staff may see."""
    from accounts.models import AgencyMembership

    if not (user.is_authenticated and user.is_active and user.is_staff):
        return AgencyMembership.objects.none().values("agency_id")
    return AgencyMembership.objects.filter(user=user).values("agency_id")


def is_staff_of(user, agency_id) -> bool:
    """Whether ``user`` is active staff of the agency ``agency_id`` (one query)."""
    from accounts.models import AgencyMembership

    return bool(
        agency_id
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and AgencyMembership.objects.filter(user=user, agency_id=agency_id).exists()
    )
