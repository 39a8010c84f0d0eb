"""Error codes of the data-subject rights (rendered in the shared error shape).

=========================  ====  ================================================================
code                       HTTP  meaning
=========================  ====  ================================================================
``export_pending``         409   an export of yours is still being prepared; wait for it
``throttled``              429   ``PRIVACY_EXPORTS_PER_DAY`` exports in 24 hours; ``Retry-After``
``export_gone``            410   the export was downloaded already (it is served once) or has
                                 expired (``PRIVACY_EXPORT_TTL_HOURS``); request a new one
``export_not_ready``       409   the export is still being prepared
``correction_pending``     409   a correction of the same data is already waiting
``correction_unchanged``   400   the requested value is what is recorded already
``correction_decided``     409   the request was approved or rejected already
``not_allowed``            403   only the verifying agency's staff may decide a correction
``password_incorrect``     400   the password given to confirm the deletion is wrong
``reauthentication_required``  403  no password on the account: sign in again, then delete
``open_requests``          409   requests still being handled; cancel them or wait for the answer
``staff_account``          409   staff accounts are closed by their agency, not deleted here
=========================  ====  ================================================================
"""

from rest_framework import status

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError


class ExportPending(ConflictError):
    default_code = "export_pending"


class ExportNotReady(ConflictError):
    default_code = "export_not_ready"


class ExportGone(ApplicationError):
    status_code = status.HTTP_410_GONE
    default_code = "export_gone"


class ExportQuotaExceeded(ApplicationError):
    """``wait`` (seconds) becomes DRF's ``Retry-After`` header."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, detail, wait: int):
        super().__init__(detail=detail, code="throttled")
        self.wait = wait


class CorrectionPending(ConflictError):
    default_code = "correction_pending"


class CorrectionDecided(ConflictError):
    default_code = "correction_decided"


class CorrectionNotAllowed(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_allowed"


class ErasureRefused(ConflictError):
    default_code = "open_requests"


class ReauthenticationRequired(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "reauthentication_required"
