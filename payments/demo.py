"""Demo data: two NOPs with PBB bills (one overdue with a penalty) and a retribusi bill for the
demo citizen, and a BPPDRD staff account. Idempotent (re-imports the same CSV)."""

import io

DEMO_CITIZEN = "warga@demo.balikpapan.test"
DEMO_STAFF = ("pajak@demo.balikpapan.test", "+6281100000005", "Dewi Lestari")
DEMO_CSV = """kind,number,nop,tax_year,payer_name,payer_email,description,object_address,kelurahan_name,land_area,land_class,building_area,building_class,njop,principal,due_date
pbb,SPPT-2025-647101000100100010,64.71.010.001.001-0001.0,2025,SITI RAHMAWATI,,,Jl. Jenderal Sudirman No. 12 RT 05,Klandasan Ulu,200,A23,120,A15,1450000000,1450000,2025-08-31
pbb,SPPT-2026-647101000100100010,64.71.010.001.001-0001.0,2026,SITI RAHMAWATI,,,Jl. Jenderal Sudirman No. 12 RT 05,Klandasan Ulu,200,A23,120,A15,1500000000,1500000,2026-12-31
pbb,SPPT-2026-647105000200300120,64.71.050.002.003-0012.0,2026,SITI RAHMAWATI,,,Jl. Marsma R. Iswahyudi No. 7 RT 21,Sepinggan,150,A25,90,A17,650000000,325000,2026-12-31
retribusi,RET-SAMPAH-2026-11-0001,,,Siti Rahmawati,warga@demo.balikpapan.test,Retribusi sampah November 2026,,,,,,,,35000,2026-12-15
"""


def seed_demo_payments(stdout=None) -> None:
    from accounts.models import AgencyMembership, User
    from accounts.services import membership_grant
    from payments.services import bills_import, property_link
    from services.models import Agency

    record = bills_import(actor=None, file=io.StringIO(DEMO_CSV), file_name="demo.csv")
    citizen = User.objects.filter(email=DEMO_CITIZEN).first()
    if citizen is not None:
        for nop in ("647101000100100010", "647105000200300120"):
            property_link(actor=citizen, nop=nop)
    email, phone, name = DEMO_STAFF
    staff = User.objects.filter(email=email).first()
    if staff is None:
        staff = User(email=email, phone=phone, full_name=name, is_staff=True, phone_verified=True)
        staff.set_password("WargaBalikpapan#2026")
        staff.save()
    membership_grant(
        actor=None,
        user=staff,
        agency=Agency.objects.get(code="bppdrd"),
        role=AgencyMembership.Role.COUNTER_OFFICER,
    )
    if stdout is not None:
        stdout.write(
            f"Payments: {record.created} bill(s) created, {record.unchanged} unchanged; "
            f"BPPDRD staff {email}"
        )
