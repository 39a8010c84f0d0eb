"""Error codes raised by the accounts services (rendered in the shared error shape).

=============================  =====  =============================================================
code                           HTTP   meaning
=============================  =====  =============================================================
``nik_locked``                 409    the NIK is verified; only counter staff may change it
``nik_taken``                  409    another account already uses this NIK
``nik_required``               400    the action needs a NIK on the account
``not_allowed``                403    the actor may not do this (e.g. verify without permission)
``delegation_invalid``         400    a delegation request breaks a rule (self, minor, period)
``household_invalid``          400    a household record breaks a rule (KK, head, members)
=============================  =====  =============================================================
"""

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError


class NikLocked(ConflictError):
    default_code = "nik_locked"


class NikTaken(ConflictError):
    default_code = "nik_taken"


class NotAllowed(ApplicationError):
    status_code = 403
    default_code = "not_allowed"
