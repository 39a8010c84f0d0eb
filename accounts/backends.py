"""An authentication backend that grants no logins, only the permissions of agency roles."""

from django.contrib.auth.backends import BaseBackend

from accounts.roles import ROLE_PERMISSIONS


class AgencyRoleBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or not user_obj.is_staff or obj is not None:
            return set()
        cached = getattr(user_obj, "_agency_role_perm_cache", None)
        if cached is None:
            cached = set()
            from accounts.selectors import staff_roles

            for role in {r.role for r in staff_roles(user_obj)}:
                cached |= ROLE_PERMISSIONS.get(role, frozenset())
            user_obj._agency_role_perm_cache = cached
        return cached

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)
