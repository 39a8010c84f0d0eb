"""Delete expired idempotency records (see ``balikpapan_untuk_warga.idempotency``).

Records are also purged lazily, per user, when that user claims a new key; this command removes
everybody's. Run it daily (cron, a Kubernetes CronJob, or ``celery beat`` if one is deployed).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from balikpapan_untuk_warga.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records (completed ones after 24 h, abandoned leases)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="Rows deleted per statement, to keep each transaction short (default 1000).",
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            batch_size = 1000
        now = timezone.now()
        expired = IdempotencyRecord.objects.filter(expires_at__lte=now)
        total = 0
        while pks := list(expired.values_list("pk", flat=True)[:batch_size]):
            deleted, _ = IdempotencyRecord.objects.filter(pk__in=pks, expires_at__lte=now).delete()
            total += deleted
        self.stdout.write(f"Deleted {total} expired idempotency record(s).")
