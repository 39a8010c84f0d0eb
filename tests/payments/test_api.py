"""The citizen API: bills, paying with QRIS, polling, properties, the public look-up."""

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from payments import qris
from payments.models import Bill, Payment, PropertyLink
from services.activity.models import ActivityItem
from tests.payments.factories import (
    PbbBillFactory,
    RetribusiBillFactory,
    TaxObjectFactory,
    UserFactory,
    linked_bill,
)

URL = "/api/v1/pembayaran"


def test_my_bills_oldest_unpaid_first_and_scoped(api, citizen):
    paid = linked_bill(citizen, due_date=dt.date(2020, 8, 31), is_paid=True)
    later = linked_bill(citizen, due_date=dt.date(2099, 8, 31))
    earlier = linked_bill(citizen, due_date=dt.date(2098, 8, 31))
    levy = RetribusiBillFactory(payer=citizen, due_date=dt.date(2098, 12, 1))
    PbbBillFactory()  # someone else's NOP
    RetribusiBillFactory()  # someone else's levy
    response = api.get(f"{URL}/bills/")
    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()["results"]]
    assert numbers == [earlier.number, levy.number, later.number, paid.number]


def test_bill_fields_and_amounts(api, citizen):
    bill = linked_bill(citizen, principal=1_000_000, due_date=dt.date(2025, 8, 31), tax_year=2025)
    data = api.get(f"{URL}/bills/{bill.uuid}/").json()
    assert data["nop"] == bill.tax_object.nop_formatted
    assert data["principal"] == 1_000_000
    assert data["is_overdue"] is True
    assert data["penalty"] > 0
    assert data["total_due"] == 1_000_000 + data["penalty"]
    assert data["due_date"] == "2025-08-31"
    assert (
        data["land_area"],
        data["land_class"],
        data["building_area"],
        data["building_class"],
    ) == (200, "A23", 120, "A15")


def test_another_citizens_bill_is_404(api):
    bill = linked_bill(UserFactory())
    assert api.get(f"{URL}/bills/{bill.uuid}/").status_code == 404
    response = api.post(f"{URL}/bills/{bill.uuid}/payments/")
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_anonymous_is_refused(api):
    assert APIClient().get(f"{URL}/bills/").status_code == 401


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [1, 10])
def test_bill_list_query_count(api, citizen, size, django_assert_num_queries):
    for _ in range(size):
        linked_bill(citizen)
    RetribusiBillFactory.create_batch(size, payer=citizen)
    api.get(f"{URL}/bills/")  # warms the cached list of switched-off modules (middleware)
    # 1 the session user is forced (no query); 1 count of my bills (links subquery);
    # 2 the page of bills joined with their tax objects; 3 the penalty rules, once per page.
    with django_assert_num_queries(3):
        api.get(f"{URL}/bills/")


@pytest.mark.parametrize("size", [1, 10])
def test_payment_list_query_count(api, citizen, size, django_assert_num_queries):
    for _ in range(size):
        api.post(f"{URL}/bills/{linked_bill(citizen).uuid}/payments/")
    # 1 count of my payments; 2 the page of payments joined with their bills.
    with django_assert_num_queries(2):
        response = api.get(f"{URL}/payments/")
    assert response.json()["count"] == size


def test_pay_creates_a_dynamic_qris_for_the_amount_due(api, citizen, settings):
    bill = linked_bill(citizen, principal=150_000)
    response = api.post(f"{URL}/bills/{bill.uuid}/payments/")
    assert response.status_code == 201
    data = response.json()
    assert data["state"] == "pending"
    assert data["amount"] == 150_000
    assert data["order_id"].startswith("PAY-")
    decoded = qris.decode(data["qr_string"])
    assert decoded.is_dynamic
    assert decoded.amount == "150000"
    assert decoded.merchant_name == settings.PAYMENTS_MERCHANT["name"]
    assert decoded.get("52") == "9311"
    assert decoded.templates["62"] == {"01": bill.number, "05": data["order_id"]}
    assert data["qr_svg"].startswith("<svg")
    assert data["qr_png"].startswith("data:image/png;base64,")
    payment = Payment.objects.get()
    expiry = payment.expires_at - payment.created_at
    assert dt.timedelta(minutes=14, seconds=59) < expiry <= dt.timedelta(minutes=15, seconds=1)
    item = ActivityItem.objects.get(owner=citizen, module="pembayaran")
    assert (item.tracking_number, item.state, item.service_code) == (
        payment.order_id,
        "pending",
        "pbb",
    )


def test_pay_again_returns_the_pending_payment(api, citizen):
    bill = linked_bill(citizen)
    first = api.post(f"{URL}/bills/{bill.uuid}/payments/").json()
    again = api.post(f"{URL}/bills/{bill.uuid}/payments/")
    assert again.status_code == 200
    assert again.json()["uuid"] == first["uuid"]
    assert Payment.objects.count() == 1


def test_expired_payment_gives_a_new_qr(api, citizen):
    bill = linked_bill(citizen)
    first = api.post(f"{URL}/bills/{bill.uuid}/payments/").json()
    Payment.objects.filter(uuid=first["uuid"]).update(
        expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    second = api.post(f"{URL}/bills/{bill.uuid}/payments/")
    assert second.status_code == 201
    assert second.json()["uuid"] != first["uuid"]


def test_paid_bill_cannot_be_paid_again(api, citizen):
    bill = linked_bill(citizen, is_paid=True)
    response = api.post(f"{URL}/bills/{bill.uuid}/payments/")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "bill_already_paid"
    assert not Payment.objects.exists()


def test_payment_poll_is_scoped_and_cheap(api, citizen, django_assert_num_queries):
    bill = linked_bill(citizen)
    uuid = api.post(f"{URL}/bills/{bill.uuid}/payments/").json()["uuid"]
    # 1 the payment joined with its bill, scoped to me.
    with django_assert_num_queries(1):
        assert api.get(f"{URL}/payments/{uuid}/").json()["state"] == "pending"
    other = APIClient()
    other.force_authenticate(UserFactory())
    assert other.get(f"{URL}/payments/{uuid}/").status_code == 404
    assert APIClient().get(f"{URL}/payments/{uuid}/").status_code == 401


def test_the_poll_renders_each_payment_as_its_serializer_does(api, citizen):
    """The poll renders with a serializer built once per process (api.represent): each answer
    is what a serializer built for it gives, nothing carried over from the payment before."""
    from payments.api.serializers import PaymentSerializer

    first, second = linked_bill(citizen), linked_bill(citizen, tax_year=2024)
    uuids = [api.post(f"{URL}/bills/{b.uuid}/payments/").json()["uuid"] for b in (first, second)]
    Payment.objects.filter(uuid=uuids[1]).update(state="expired")
    for uuid in [*uuids, uuids[0]]:
        payment = Payment.objects.select_related("bill").get(uuid=uuid)
        expected = json.loads(json.dumps(PaymentSerializer(payment).data, cls=DjangoJSONEncoder))
        assert api.get(f"{URL}/payments/{uuid}/").json() == expected


def test_link_a_property(api, citizen):
    tax_object = TaxObjectFactory(nop="647101000100100010")
    response = api.post(f"{URL}/properties/", {"nop": "64.71.010.001.001-0001.0"}, format="json")
    assert response.status_code == 201
    assert response.json()["nop"] == "64.71.010.001.001-0001.0"
    assert PropertyLink.objects.get().tax_object == tax_object
    assert api.get(f"{URL}/properties/").json()[0]["nop"] == "64.71.010.001.001-0001.0"


@pytest.mark.parametrize(
    ("nop", "status", "code"),
    [
        ("6471", 400, "nop_invalid"),
        ("65.71.010.001.001-0001.0", 400, "nop_not_balikpapan"),
        ("64.71.010.001.001-0009.0", 404, "nop_not_found"),
        ("", 400, "blank"),
    ],
)
def test_link_bad_nop(api, nop, status, code):
    response = api.post(f"{URL}/properties/", {"nop": nop}, format="json")
    assert response.status_code == status
    body = response.json()
    assert body["type"] == ("validation_error" if code == "blank" else "client_error")
    assert body["errors"][0]["code"] == code
    assert not PropertyLink.objects.exists()


def test_public_lookup_masks_the_name():
    bill = PbbBillFactory(
        principal=150_000,
        tax_object=TaxObjectFactory(nop="647101000100100010", taxpayer_name="SITI RAHMAWATI"),
    )
    response = APIClient().get(f"{URL}/lookup/", {"nop": "64.71.010.001.001-0001.0"})
    assert response.status_code == 200
    data = response.json()
    assert "SITI RAHMAWATI" not in str(data)
    assert data["nop"] == "64.71.010.001.001-0001.0"
    assert data["bills"] == [
        {
            "tax_year": bill.tax_year,
            "principal": 150_000,
            "penalty": 0,
            "total_due": 150_000,
            "due_date": "2099-08-31",
            "is_paid": False,
        }
    ]


def test_public_lookup_bad_and_unknown_nop():
    assert (
        APIClient().get(f"{URL}/lookup/", {"nop": "12"}).json()["errors"][0]["code"]
        == "nop_invalid"
    )
    assert APIClient().get(f"{URL}/lookup/", {"nop": "647101000100100010"}).status_code == 404
    assert APIClient().get(f"{URL}/lookup/").status_code == 400


def test_public_lookup_is_throttled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "lookup": "2/min",
        },
    }
    client = APIClient()
    codes = [
        client.get(f"{URL}/lookup/", {"nop": "647101000100100010"}).status_code for _ in range(3)
    ]
    assert codes == [404, 404, 429]


def test_retribusi_bill_is_visible_to_its_payer_only(api, citizen):
    levy = RetribusiBillFactory(payer=citizen)
    assert api.get(f"{URL}/bills/{levy.uuid}/").json()["kind"] == Bill.Kind.RETRIBUSI
    other = APIClient()
    other.force_authenticate(UserFactory())
    assert other.get(f"{URL}/bills/{levy.uuid}/").status_code == 404


def test_a_new_penalty_month_cancels_the_old_qr(api, citizen):
    bill = linked_bill(citizen, principal=150_000)
    first = api.post(f"{URL}/bills/{bill.uuid}/payments/").json()
    Payment.objects.filter(uuid=first["uuid"]).update(amount=140_000)  # as if due was lower before
    second = api.post(f"{URL}/bills/{bill.uuid}/payments/")
    assert second.status_code == 201
    assert second.json()["amount"] == 150_000
    assert Payment.objects.get(uuid=first["uuid"]).state == "cancelled"
