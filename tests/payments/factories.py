import datetime as dt

import factory
from factory.django import DjangoModelFactory

from payments.models import Bill, PropertyLink, TaxObject
from tests.factories import AgencyFactory, StaffFactory, UserFactory


class TaxObjectFactory(DjangoModelFactory):
    class Meta:
        model = TaxObject

    nop = factory.Sequence(lambda n: f"6471010001001{n:04d}0")
    kecamatan_code = "010"
    kelurahan_code = "001"
    address = "Jl. Jenderal Sudirman No. 1"
    kelurahan_name = "Klandasan Ulu"
    taxpayer_name = "SITI RAHMAWATI"


class PbbBillFactory(DjangoModelFactory):
    class Meta:
        model = Bill

    kind = Bill.Kind.PBB
    number = factory.Sequence(lambda n: f"SPPT-{n:06d}")
    tax_object = factory.SubFactory(TaxObjectFactory)
    tax_year = 2026
    payer_name = "SITI RAHMAWATI"
    object_address = "Jl. Jenderal Sudirman No. 1"
    kelurahan_name = "Klandasan Ulu"
    land_area = 200
    land_class = "A23"
    building_area = 120
    building_class = "A15"
    njop = 1_000_000_000
    principal = 150_000
    due_date = dt.date(2099, 8, 31)


class RetribusiBillFactory(DjangoModelFactory):
    class Meta:
        model = Bill

    kind = Bill.Kind.RETRIBUSI
    number = factory.Sequence(lambda n: f"RET-{n:06d}")
    payer = factory.SubFactory(UserFactory)
    payer_name = "Siti"
    description = "Retribusi sampah"
    principal = 35_000
    due_date = dt.date(2099, 12, 15)


class PropertyLinkFactory(DjangoModelFactory):
    class Meta:
        model = PropertyLink

    user = factory.SubFactory(UserFactory)
    tax_object = factory.SubFactory(TaxObjectFactory)


def bppdrd():
    return AgencyFactory(code="bppdrd", name="BPPDRD", short_name="BPPDRD")


def revenue_staff():
    from accounts.models import AgencyMembership

    return StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=bppdrd())


def linked_bill(user, **kwargs):
    bill = PbbBillFactory(**kwargs)
    PropertyLink.objects.create(user=user, tax_object=bill.tax_object)
    return bill


def midtrans_payment(user, *, order_id="PBB-6471-2025-000123", amount=150_000):
    """A pending Midtrans payment of a bill linked to ``user``, made without calling Midtrans
    (the order id of test-vectors §10 by default)."""
    from django.utils import timezone

    from payments.models import Payment

    return Payment.objects.create(
        order_id=order_id,
        bill=linked_bill(user, principal=amount),
        payer=user,
        principal=amount,
        penalty=0,
        amount=amount,
        provider="midtrans",
        qr_string="x",
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )
