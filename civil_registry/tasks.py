"""Celery tasks of the civil registry module: the talks with the national population system.

They take ids, load fresh, and are idempotent. A temporary outage (``NationalSystemUnavailable``)
is retried with exponential backoff; a permanent refusal (``NationalSystemError``) is not. No
task logs a NIK or a name: only tracking numbers and outcomes.
"""

from __future__ import annotations

import logging

from celery import shared_task

from civil_registry.national import NationalSystemUnavailable, PushedRequest, national_system

logger = logging.getLogger(__name__)

RETRYING = {
    "autoretry_for": (NationalSystemUnavailable, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "time_limit": 60,
    "soft_time_limit": 50,
}
PULL_BATCH = 200


@shared_task(name="civil_registry.check_nik", **RETRYING)
def request_check_nik(request_id: int) -> str:
    """Ask whether the NIK concerned exists and matches the name; record the answer for staff.
    Queued on submission; the citizen never waits for it."""
    from civil_registry import selectors, services

    subject = selectors.request_nik_subject(request_id=request_id)
    if subject is None:
        return ""
    tracking_number, nik, full_name = subject
    result = national_system().check_nik(nik=nik, full_name=full_name)
    services.request_nik_check_record(request_id=request_id, result=result)
    logger.info("NIK check of %s: %s", tracking_number, result.value)
    return result.value


@shared_task(name="civil_registry.push_to_national", **RETRYING)
def request_push_to_national(request_id: int) -> str:
    """Hand an approved request to the national system (once) and record its status."""
    from civil_registry import services
    from civil_registry.models import CivilRequest

    request = CivilRequest.objects.filter(pk=request_id).first()
    if request is None:
        return ""
    adapter = national_system()
    reference = request.national_reference or adapter.push_request(
        request=PushedRequest(
            tracking_number=request.tracking_number,
            request_type=request.request_type,
            subject_name=request.subject_name,
        )
    )
    if not request.national_reference:  # keep the reference even if the status call fails
        services.request_national_record(request_id=request.pk, reference=reference, status="")
    status = adapter.pull_status(reference=reference)
    services.request_national_record(request_id=request.pk, reference=reference, status=status)
    logger.info("Request %s is %s in the national system", request.tracking_number, status)
    return reference


@shared_task(name="civil_registry.pull_national_statuses", time_limit=300, soft_time_limit=280)
def requests_pull_national_statuses(limit: int = PULL_BATCH) -> int:
    """Periodic: refresh the national status of pushed requests not yet final there, least
    recently checked first. An outage stops the round (the next beat tries again)."""
    from civil_registry import selectors, services

    adapter = national_system()
    updated = 0
    for request_id, reference in selectors.requests_to_pull(limit=limit):
        try:
            status = adapter.pull_status(reference=reference)
        except NationalSystemUnavailable:
            logger.warning("National system unavailable; %d status(es) refreshed", updated)
            return updated
        except Exception:
            logger.exception("Status of request id %s could not be read", request_id)
            continue
        services.request_national_record(request_id=request_id, status=status)
        updated += 1
    return updated
