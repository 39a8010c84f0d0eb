"""Seed the late-payment penalty rules (domain-facts §3.4; unconfirmed against Perda 8/2023, so
staff can add a newer rule in the admin — the rule in force on a date is the latest one from
before it)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

RULES = [
    (dt.date(2010, 1, 1), Decimal("0.0200"), 24, True, "UU 28/2009 (PDRD): 2% per month, max 24 months"),
    (dt.date(2024, 1, 5), Decimal("0.0100"), 24, True, "UU 1/2022 (HKPD), as reported: 1% per month, max 24 months"),
]


def seed(apps, schema_editor):
    PenaltyRule = apps.get_model("payments", "PenaltyRule")
    for effective_from, rate, cap, part_month, basis in RULES:
        PenaltyRule.objects.get_or_create(
            effective_from=effective_from,
            defaults={
                "rate_per_month": rate,
                "cap_months": cap,
                "part_month_counts": part_month,
                "legal_basis": basis,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
