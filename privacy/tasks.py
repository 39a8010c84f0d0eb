"""Tasks of the data-subject rights: building an export, and the daily retention sweep."""

from celery import shared_task

from privacy import services


@shared_task(name="privacy.build_export", time_limit=1800, soft_time_limit=1700)
def build_export(export_id: int) -> bool:
    """After a citizen asks: build the ZIP of everything held about them."""
    return services.export_build(export_id=export_id) is not None


@shared_task(name="privacy.purge_retention", time_limit=3600, soft_time_limit=3500)
def purge_retention() -> dict:
    """Beat, daily: abandoned drafts, old WhatsApp dialogues, expired exports."""
    return services.retention_purge()
