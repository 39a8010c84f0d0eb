"""What the platform's conformance kit needs: one object created through our own services."""

import datetime as dt


def conformance_object(*, owner) -> str:
    from payments.models import Bill, TaxObject
    from payments.services import payment_create, property_link

    tax_object, _created = TaxObject.objects.get_or_create(
        nop="647101000100199990",
        defaults={
            "kecamatan_code": "010",
            "kelurahan_code": "001",
            "address": "Jl. Uji Kesesuaian 1",
            "kelurahan_name": "Uji",
            "taxpayer_name": owner.full_name,
        },
    )
    bill = Bill(
        kind=Bill.Kind.PBB,
        number=f"CONF-{owner.pk}",
        tax_object=tax_object,
        tax_year=2099,
        payer_name=owner.full_name,
        principal=100_000,
        due_date=dt.date(2099, 8, 31),
    )
    bill.full_clean()
    bill.save(force_insert=True)
    property_link(actor=owner, nop=tax_object.nop)
    payment = payment_create(actor=owner, bill=bill)
    return f"/api/v1/pembayaran/payments/{payment.uuid}/"
