"""What each staff role may do. Permissions come from roles held in agencies, not from groups
edited by hand, so that revoking a membership revokes its powers at once."""

from accounts.models import AgencyMembership

Role = AgencyMembership.Role

_COUNTER = {
    "accounts.view_user",
    "accounts.change_user",
    "accounts.verify_nik",
    "accounts.view_full_nik",
    "accounts.view_household",
    "accounts.change_household",
    "accounts.confirm_household",
    "accounts.view_householdmember",
    "accounts.view_delegation",
    "accounts.change_delegation",  # revoke a delegation reported as abused
    "accounts.view_proxyaction",
    # Not notifications.view_notification / view_delivery: their admin lists every citizen's
    # messages city-wide, with no agency scope and no access log; platform operators only.
    "workflow.view_deadline",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COUNTER_OFFICER: frozenset(_COUNTER),
    Role.AGENCY_ADMIN: frozenset(
        _COUNTER
        | {
            "accounts.view_agencymembership",
            "accounts.add_agencymembership",
            "accounts.change_agencymembership",
            "accounts.delete_agencymembership",
            "accounts.view_accesslogentry",  # who of their agency opened citizens' data
            "services.view_agency",
            # their agency's catalog entries (withdrawn, never deleted)
            "catalog.view_service",
            "catalog.add_service",
            "catalog.change_service",
            # the agency's own office hours and local closures (national dates are city-level)
            "workflow.view_holiday",
            "workflow.add_holiday",
            "workflow.change_holiday",
            "workflow.delete_holiday",
            "workflow.view_workinghours",
            "workflow.add_workinghours",
            "workflow.change_workinghours",
            "workflow.delete_workinghours",
            "workflow.view_deadline",
        }
    ),
    Role.COMMAND_CENTRE: frozenset({"accounts.view_user", "services.view_agency"}),
}
