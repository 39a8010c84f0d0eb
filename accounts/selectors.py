"""Reads on the identity, scoped to who is asking."""

from __future__ import annotations

from typing import NamedTuple

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


class StaffRole(NamedTuple):
    agency_id: int
    agency_code: str
    role: str


def staff_roles(user) -> tuple[StaffRole, ...]:
    """The agency roles of ``user`` — empty unless the user is active staff. One query, then
    remembered on the user object (like Django's permission cache), so that the admin's sidebar
    asking every module "may this user see you?" costs one query per request, not one per module."""
    from accounts.models import AgencyMembership

    if not (user.is_authenticated and user.is_active and user.is_staff):
        return ()
    cached = getattr(user, "_staff_roles_cache", None)
    if cached is None:
        cached = tuple(
            StaffRole(*row)
            for row in AgencyMembership.objects.filter(user=user).values_list(
                "agency_id", "agency__code", "role"
            )
        )
        user._staff_roles_cache = cached
    return cached


def staff_agency_ids(user):
    """The agencies ``user`` works for, as a subquery for ``agency_id__in=`` — empty unless the
    user is active staff. The one place that says which agencies' objects staff may see."""
    from accounts.models import AgencyMembership

    if not (user.is_authenticated and user.is_active and user.is_staff):
        return AgencyMembership.objects.none().values("agency_id")
    return AgencyMembership.objects.filter(user=user).values("agency_id")


def is_staff_of(user, agency_id) -> bool:
    """Whether ``user`` is active staff of the agency ``agency_id``."""
    return bool(agency_id) and any(r.agency_id == agency_id for r in staff_roles(user))


def is_staff_of_code(user, agency_code: str) -> bool:
    """Whether ``user`` is active staff of the agency with ``agency_code`` (e.g. "disdukcapil")."""
    return any(r.agency_code == agency_code for r in staff_roles(user))


def holds_role(user, role: str) -> bool:
    """Whether ``user`` is active staff holding ``role`` (an ``AgencyMembership.Role``) anywhere."""
    return any(r.role == role for r in staff_roles(user))


def is_agency_staff(user) -> bool:
    """Active staff holding a role in some agency, or a superuser: who may open the staff admin's
    module pages (their selectors then scope the rows). Read from the permissions agency roles
    grant (``accounts.backends.AgencyRoleBackend``), which the admin loads for every page anyway,
    so the check costs no query of its own."""
    from accounts.backends import AgencyRoleBackend

    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or bool(AgencyRoleBackend().get_all_permissions(user))
