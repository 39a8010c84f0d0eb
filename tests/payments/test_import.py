"""The bill import: command and admin share the service; idempotent; bad rows reported by line."""

import io

import pytest
from django.core.management import CommandError, call_command

from payments.models import Bill, BillImport, TaxObject
from payments.services import bills_import
from tests.payments.factories import UserFactory

HEADER = "kind,number,nop,tax_year,payer_name,payer_email,description,object_address,kelurahan_name,land_area,land_class,building_area,building_class,njop,principal,due_date\n"
GOOD = (
    "pbb,SPPT-1,64.71.010.001.001-0001.0,2026,SITI,,,Jl. A 1,Klandasan Ulu,200,A23,120,A15,1000000000,150000,2026-09-30\n"
    "retribusi,RET-1,,,Siti,levy@example.test,Sampah,,,,,,,,35000,2026-12-15\n"
)
BAD = (
    "pbb,SPPT-2,65.71.010.001.001-0001.0,2026,X,,,,,,,,,,100,2026-09-30\n"
    "pbb,SPPT-3,64.71.010.001.001-0002.0,2026,X,,,,,,,,,,abc,2026-09-30\n"
    "retribusi,RET-2,,,X,,,,,,,,,,100,31-12-2026\n"
)


def test_import_good_and_bad_rows(db):
    payer = UserFactory(email="levy@example.test")
    record = bills_import(actor=None, file=io.StringIO(HEADER + GOOD + BAD), file_name="x.csv")
    assert (record.created, record.updated, record.unchanged) == (2, 0, 0)
    assert [e["line"] for e in record.errors] == [4, 5, 6]
    assert "64.71" in record.errors[0]["error"]
    assert record.errors[1]["error"] == "principal harus bilangan bulat."  # Indonesian by default
    sppt = Bill.objects.get(number="SPPT-1")
    assert (sppt.tax_object.nop, sppt.tax_year, sppt.principal, str(sppt.due_date), sppt.njop) == (
        "647101000100100010",
        2026,
        150000,
        "2026-09-30",
        1000000000,
    )
    assert Bill.objects.get(number="RET-1").payer == payer


def test_reimport_changes_nothing_and_a_change_updates(db):
    bills_import(actor=None, file=io.StringIO(HEADER + GOOD), file_name="x.csv")
    before = list(Bill.objects.order_by("id").values())
    again = bills_import(actor=None, file=io.StringIO(HEADER + GOOD), file_name="x.csv")
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, [])
    assert list(Bill.objects.order_by("id").values()) == before
    assert TaxObject.objects.count() == 1
    changed = bills_import(
        actor=None, file=io.StringIO(HEADER + GOOD.replace("150000", "160000")), file_name="x.csv"
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Bill.objects.get(number="SPPT-1").principal == 160000


def test_paid_bill_is_not_changed_by_import(db):
    bills_import(actor=None, file=io.StringIO(HEADER + GOOD), file_name="x.csv")
    Bill.objects.filter(number="SPPT-1").update(is_paid=True)
    record = bills_import(
        actor=None, file=io.StringIO(HEADER + GOOD.replace("150000", "1")), file_name="x.csv"
    )
    assert record.errors == [{"line": 2, "error": "Tagihan sudah dibayar dan tidak dapat diubah."}]
    assert Bill.objects.get(number="SPPT-1").principal == 150000


def test_missing_columns(db):
    record = bills_import(actor=None, file=io.StringIO("a,b\n1,2\n"), file_name="x.csv")
    assert record.errors[0]["line"] == 1
    assert not Bill.objects.exists()


def test_command(tmp_path, db, capsys):
    path = tmp_path / "bills.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    call_command("import_bills", str(path))
    assert "created 2, updated 0, unchanged 0, errors 0" in capsys.readouterr().out
    path.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    with pytest.raises(CommandError, match="3 row"):
        call_command("import_bills", str(path))
    assert "line 4:" in capsys.readouterr().err
    assert Bill.objects.count() == 2
    assert BillImport.objects.count() == 2


def test_a_file_that_is_not_utf8_is_reported_not_a_crash(db):
    record = bills_import(
        actor=None, file=io.BytesIO((HEADER + GOOD).encode("utf-16")), file_name="x.csv"
    )
    assert (record.created, record.errors[0]["line"]) == (0, 1)
    assert not Bill.objects.exists()


def test_a_broken_csv_line_keeps_the_rows_before_it(db):
    broken = HEADER + GOOD.splitlines(keepends=True)[0] + 'pbb,"SPPT-9\0,x\n'
    record = bills_import(actor=None, file=io.StringIO(broken), file_name="x.csv")
    assert record.created == 1
    assert record.errors and record.errors[0]["line"] == 3


def test_admin_import_reports_bad_rows_by_line(db, client):
    from django.urls import reverse

    from tests.payments.factories import revenue_staff

    client.force_login(revenue_staff())
    upload = io.BytesIO((HEADER + GOOD + BAD).encode())
    upload.name = "tagihan.csv"
    response = client.post(reverse("admin:payments_bill_import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    record = BillImport.objects.get()
    assert (record.created, [e["line"] for e in record.errors]) == (2, [4, 5, 6])
    assert b"tagihan.csv" in response.content
