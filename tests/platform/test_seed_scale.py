"""``manage.py seed_scale`` at a thousandth of city size: counts, manifest, tracking counters."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from accounts import identifiers
from accounts.models import User
from balikpapan_untuk_warga.scale import PASSWORD, SCALE_EMAIL_DOMAIN
from complaints.models import Complaint
from payments.models import Bill, Payment, TaxObject
from services.activity.models import ActivityItem
from services.workflow.models import TrackingCounter
from services.workflow.tracking import tracking_number_next

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(tmp_path):
    manifest = tmp_path / "manifest.json"
    call_command("seed_scale", scale=0.001, reference_only=True, manifest=str(manifest))
    return json.loads(manifest.read_text())


@pytest.mark.postgres
def test_seed_scale_loads_the_sizes_and_writes_the_manifest(seeded, tmp_path):
    """One test, one load: the load is the slow part (about two seconds on an idle machine)."""
    citizens = User.objects.filter(email__endswith=f"@{SCALE_EMAIL_DOMAIN}")
    assert citizens.count() == 200
    assert TaxObject.objects.count() >= 250
    assert Bill.objects.filter(tax_object__isnull=False).count() >= 500
    assert Complaint.objects.count() >= 100
    assert ActivityItem.objects.count() == 1000
    assert seeded["counts"]["accounts_user"] == 200
    assert seeded["counts"]["activity_activityitem"] == 1000
    assert seeded["total_seconds"] > 0
    for key in ("citizens", "heavy_citizens", "nops", "payments", "complaints", "burst_session"):
        assert seeded[key], key

    citizen = User.objects.get(email=seeded["citizens"][0]["email"])
    assert citizen.check_password(seeded["password"]) and seeded["password"] == PASSWORD
    identifiers.validate_nik(citizen.nik)  # sealed with the project's keys, and valid
    assert citizen.nik_digest == identifiers.digest(citizen.nik)
    assert citizens.values("nik_digest").distinct().count() == 200

    heavy = seeded["heavy_citizens"][0]["id"]
    ordinary = seeded["citizens"][0]["id"]
    assert (
        ActivityItem.objects.filter(owner_id=heavy).count()
        > ActivityItem.objects.filter(owner_id=ordinary).count()
    )

    nop = seeded["nops"][0]
    bill = Bill.objects.get(uuid=nop["open_bill_uuid"])
    assert bill.tax_object.nop == nop["nop"] and not bill.is_paid
    assert bill.tax_object.links.filter(user__email=nop["owner_email"]).exists()
    payment = Payment.objects.get(uuid=seeded["payments"][0]["uuid"])
    assert payment.state == "paid" and payment.bill.is_paid

    session = seeded["burst_session"]
    assert session["quota"] == 100
    from health.models import Session

    assert Session.objects.get(uuid=session["uuid"]).remaining == 100

    # The tracking counters are past the seeded numbers: the next number is a new one.
    for key, last in seeded["tracking_counters"].items():
        prefix, year = key.split("-")
        assert TrackingCounter.objects.get(prefix=prefix, year=int(year)).last_number == last
        assert Complaint.objects.filter(tracking_number=f"{key}-{last:06d}").exists()
        with transaction.atomic():
            fresh = tracking_number_next(prefix=prefix, year=int(year))
        assert not Complaint.objects.filter(tracking_number=fresh).exists()
    numbers = Payment.objects.values_list("order_id", flat=True)
    last_pay = max(int(re.sub(r"\D", "", n[9:])) for n in numbers if n.startswith("PAY-2025"))
    assert TrackingCounter.objects.get(prefix="PAY", year=2025).last_number == last_pay

    # One loading per database, unless --reset.
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_scale", scale=0.001, reference_only=True, manifest=str(tmp_path / "m"))


def test_seed_scale_refuses_sqlite(tmp_path, monkeypatch):
    # On the PostgreSQL run too: the command decides by the connection's vendor.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_scale", scale=0.001, manifest=str(tmp_path / "m"))
