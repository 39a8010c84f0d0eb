"""The catalog shows agencies' names: a change to an agency (another app) replaces the cached
catalog. The catalog's own writes call ``catalog_changed()`` themselves (services and admin)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from services.catalog.cache import catalog_changed
from services.models import Agency


@receiver(post_save, sender=Agency, dispatch_uid="catalog_agency_saved")
@receiver(post_delete, sender=Agency, dispatch_uid="catalog_agency_deleted")
def agency_changed(sender, **kwargs) -> None:
    catalog_changed()
