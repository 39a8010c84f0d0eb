"""What ``services.receipts`` holds about a person (see :mod:`privacy.registry`): their receipts.

Receipts of records the law keeps (payments, issued documents) stay — their verification code
must keep answering for whoever holds the paper — with the masked name they were issued with and
no owner; receipts of records that were deleted went with them (``privacy.helpers.objects_forget``).
"""

from privacy import registry
from privacy.helpers import rows
from services.receipts.models import Receipt


def export(user) -> list[dict]:
    return rows(
        Receipt.objects.filter(owner=user).order_by("issued_at"),
        ["uuid", "code", "kind", "tracking_number", "title", "status", "issued_at", "revoked_at"],
    )


def erase(user) -> dict[str, int]:
    return {"receipts_unlinked": Receipt.objects.filter(owner=user).update(owner=None)}


registry.register("receipts", export=export, erase=erase, order=800)
