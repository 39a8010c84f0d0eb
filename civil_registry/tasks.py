"""Celery tasks of the civil registry module. They take ids, load fresh, and are idempotent."""

from __future__ import annotations

import logging

from celery import shared_task

from civil_registry.national import NationalSystemUnavailable, PushedRequest, national_system

logger = logging.getLogger(__name__)


@shared_task(
    name="civil_registry.push_to_national",
    autoretry_for=(NationalSystemUnavailable, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    time_limit=60,
    soft_time_limit=50,
)
def request_push_to_national(request_id: int) -> str:
    """Hand a submitted request to the national system (once) and record its status."""
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
    status = adapter.pull_status(reference=reference)
    services.request_national_record(request_id=request.pk, reference=reference, status=status)
    logger.info("Request %s is %s in the national system", request.tracking_number, status)
    return reference
