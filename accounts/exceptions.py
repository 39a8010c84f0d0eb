"""Error codes raised by the accounts services (rendered in the shared error shape).

==================================  ====  ========================================================
code                                HTTP  meaning
==================================  ====  ========================================================
``nik_locked``                      409   the NIK is verified; only counter staff may change it
``nik_taken``                       409   another account already uses this NIK
``nik_required``                    400   the action needs a NIK on the account (also a
                                          delegation's grantor)
``not_allowed``                     403   the actor may not do this (verify or confirm a KK
                                          without the permission, revoke a delegation one is not a
                                          party to)
``delegation_invalid``              400   a delegation request breaks a rule (default of the
                                          family below)
``household_invalid``               400   a household record breaks a rule (default of the family
                                          below)
*Households* (``accounts/households.py``)
kk_format … kk_serial               400   the KK number is malformed: kk_format, kk_province,
                                          kk_region, kk_date, kk_serial (identifiers.py)
nik_format … nik_serial             400   a member's NIK is malformed (the codes of parse_nik)
``kk_taken``                        409   another citizen already recorded this KK (who is never
                                          told)
``household_members``               400   no members, or more than households.MAX_MEMBERS
``household_head``                  400   not exactly one member is the head (kepala_keluarga)
``household_self``                  400   not exactly one member is the person recording
``household_self_nik``              400   the member marked as you has another NIK than your
                                          account
``household_member_nik_duplicate``  400   two members have the same NIK
``household_member_birth_date``     400   a member's date of birth is in the future
``household_member_unknown``        400   a member uuid that is not in your household
``household_member_duplicate``      400   the same member uuid is listed twice
``household_member_in_use``         409   a member you removed is still used by another service's
                                          record
*Delegations* (``accounts/households.py``)
``delegation_consent_required``     400   consent was not true
``delegation_valid_until``          400   the end is not in the future, or is more than a year
                                          ahead
``delegation_service_codes``        400   no service codes, a malformed code, or * mixed with
                                          codes
``grantee_not_found``               400   no active account has that email address or phone number
``delegation_self``                 400   the grantee is the grantor
``grantee_nik_required``            400   the grantee has no NIK (age is read from it)
``grantor_minor``                   400   the grantor is younger than ADULT_AGE
``grantee_minor``                   400   the grantee is younger than ADULT_AGE
==================================  ====  ========================================================
"""

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError


class NikLocked(ConflictError):
    default_code = "nik_locked"


class NikTaken(ConflictError):
    default_code = "nik_taken"


class NotAllowed(ApplicationError):
    status_code = 403
    default_code = "not_allowed"


class HouseholdInvalid(ApplicationError):
    """A household record breaks a rule; ``code`` says which (see the table above)."""

    default_code = "household_invalid"


class KkTaken(ConflictError):
    default_code = "kk_taken"


class HouseholdMemberInUse(ConflictError):
    default_code = "household_member_in_use"


class DelegationInvalid(ApplicationError):
    """A delegation request breaks a rule; ``code`` says which (see the table above)."""

    default_code = "delegation_invalid"
