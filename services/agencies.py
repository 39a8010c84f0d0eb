"""The agency a module hands its work to, found by code."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from balikpapan_untuk_warga.api.errors import ApplicationError
from services.models import Agency

logger = logging.getLogger(__name__)


class AgencyNotConfigured(ApplicationError):
    """The agency a module routes to is missing from the agency list: a server misconfiguration,
    answered as a 503 in the shared error shape (and logged), never a crash."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("This service cannot receive requests right now. Please try again later.")
    default_code = "agency_not_configured"


def agency_required(code: str, *, error: type[AgencyNotConfigured] = AgencyNotConfigured) -> Agency:
    """The agency with ``code``, or ``error`` (a 503) logged with the code (no personal data)."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        logger.error("the agency %r is not in the agency list", code)
        raise error()
    return agency
