"""The demo data: two NOPs (one overdue with a penalty) and a retribusi bill for the demo citizen."""

import datetime as dt

from payments import selectors
from payments.demo import DEMO_CITIZEN, seed_demo_payments
from payments.models import Bill, BillImport
from tests.payments.factories import UserFactory


def test_demo_citizen_bills_and_rerun_changes_nothing():
    citizen = UserFactory(email=DEMO_CITIZEN)
    seed_demo_payments()
    bills = list(selectors.bill_list_for(user=citizen))
    assert [b.number for b in bills] == [
        "SPPT-2025-647101000100100010",
        "RET-SAMPAH-2026-11-0001",
        "SPPT-2026-647101000100100010",
        "SPPT-2026-647105000200300120",
    ]
    assert len({b.tax_object_id for b in bills if b.tax_object_id}) == 2
    overdue = bills[0]
    assert selectors.bill_penalty(bill=overdue, on=dt.date(2026, 11, 25)) == 14_500 * 15
    seed_demo_payments()
    assert Bill.objects.count() == 4
    assert BillImport.objects.order_by("-id").first().unchanged == 4
