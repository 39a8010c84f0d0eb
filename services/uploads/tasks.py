"""Celery tasks of the uploads: thin wrappers that call the services (idempotent, time-limited).

They run on the ``images`` queue (``CELERY_TASK_ROUTES`` in the settings), so that decoding
photos never delays the payment and WhatsApp webhook tasks on the default queue.
"""

from celery import shared_task

from services.uploads import services


@shared_task(name="uploads.process_document", time_limit=120, soft_time_limit=100)
def document_process(document_id: int) -> bool:
    """After upload: re-encode an image without its EXIF data (GPS position included)."""
    return services.document_process(document_id=document_id)


@shared_task(name="uploads.queue_unprocessed", time_limit=120, soft_time_limit=100)
def documents_queue_unprocessed() -> int:
    """Beat: every 15 minutes, queue again the processing whose task was lost (broker outage)."""
    return services.documents_queue_unprocessed()
