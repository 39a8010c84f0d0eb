"""``manage.py seed_holidays``: enter the decreed national holidays and cuti bersama.

Idempotent: rows are keyed, so a second run creates nothing and never overwrites a date that staff
corrected, confirmed or switched off in the admin. Warns about estimated dates still unconfirmed
and about years without any cuti bersama (enter them from the SKB 3 Menteri).
"""

from django.core.management.base import BaseCommand

from services.workflow.data.holidays import HOLIDAYS
from services.workflow.holidays import holidays_seed


class Command(BaseCommand):
    help = "Enter the national holidays and cuti bersama of the data file (idempotent)."

    def handle(self, *args, **options):
        result = holidays_seed(rows=HOLIDAYS)
        self.stdout.write(
            f"Holidays: {len(result.created)} created, {result.kept} already present."
        )
        if result.unconfirmed:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.unconfirmed} estimated date(s) are not confirmed yet: check them "
                    "against the SKB 3 Menteri in the admin (Holidays, filter 'confirmed')."
                )
            )
        for year in result.years_without_cuti_bersama:
            self.stdout.write(
                self.style.WARNING(
                    f"{year} has no cuti bersama: enter them from the SKB 3 Menteri in the admin."
                )
            )
