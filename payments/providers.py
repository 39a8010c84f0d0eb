"""The gateway adapters behind one small interface.

A :class:`PaymentProvider` does three things: create a dynamic QRIS for a payment, verify and
parse a notification (from the raw body and headers, before anything is trusted), and query the
status of a payment. Each answers in our own vocabulary (:class:`GatewayStatus`), so the services
never see a gateway's words. ``PAYMENTS_PROVIDER`` picks the adapter:

* ``sandbox`` (default): a built-in simulated acquirer. It builds the QRIS locally from the
  merchant settings and signs its callbacks with HMAC-SHA256 over ``timestamp + "." + body``
  (``X-Sandbox-Timestamp``, ``X-Sandbox-Signature``), so the demo exercises the same webhook path
  as a real gateway.
* ``midtrans``: Midtrans Core API QRIS (domain-facts §8.1): ``POST /v2/charge``,
  ``GET /v2/<order_id>/status``, notifications signed with
  ``SHA-512(order_id + status_code + gross_amount + server_key)``.

A SNAP BI adapter fits the same three methods: ``qr-mpm-generate`` → :meth:`create_qris`,
``qr-mpm-notify`` (X-SIGNATURE, X-TIMESTAMP headers over the raw body) → :meth:`parse_notification`,
``qr-mpm-query`` → :meth:`query_status` (see docs in ``docs/payments.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from payments import qris


class GatewayStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"


class SignatureInvalid(Exception):
    """The notification's signature is missing or wrong (or its timestamp is too old)."""


class NotificationMalformed(Exception):
    """The notification verified but does not have the fields we need."""


class ProviderUnavailable(Exception):
    """The gateway could not be reached or refused the request; try again later."""


@dataclass(frozen=True)
class QrisCharge:
    qr_string: str
    reference: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Notification:
    order_id: str
    status: GatewayStatus
    raw_status: str
    amount: int | None
    reference: str
    body: dict


class PaymentProvider:
    code = ""

    def create_qris(self, *, order_id: str, amount: int, bill_number: str) -> QrisCharge:
        raise NotImplementedError

    def parse_notification(self, *, headers, body: bytes) -> Notification:
        raise NotImplementedError

    def query_status(self, *, order_id: str) -> GatewayStatus:
        raise NotImplementedError

    def check_config(self) -> list[str]:
        return []


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=settings.PAYMENTS_QR_EXPIRY_MINUTES)


def _merchant_qris(*, amount: int, bill_number: str, reference: str) -> str:
    merchant = settings.PAYMENTS_MERCHANT
    return qris.build_dynamic(
        merchant_account=[
            (
                "26",
                qris.tlv("00", merchant["guid"])
                + qris.tlv("01", merchant["pan"])
                + qris.tlv("02", merchant["merchant_id"])
                + qris.tlv("03", merchant["criteria"]),
            ),
            ("51", qris.tlv("00", "ID.CO.QRIS.WWW") + qris.tlv("02", merchant["nmid"])),
        ],
        mcc=merchant["mcc"],
        merchant_name=merchant["name"],
        merchant_city=merchant["city"],
        postal_code=merchant["postal_code"],
        amount=amount,
        bill_number=bill_number[:25],
        reference=reference[:25],
    )


def _amount(value) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else None


class SandboxProvider(PaymentProvider):
    """The simulated acquirer: deterministic QRIS, HMAC-signed callbacks, no network."""

    code = "sandbox"
    STATUSES = {s.value: s for s in GatewayStatus}

    def create_qris(self, *, order_id: str, amount: int, bill_number: str) -> QrisCharge:
        return QrisCharge(
            qr_string=_merchant_qris(amount=amount, bill_number=bill_number, reference=order_id),
            reference=f"SBX-{order_id}",
            expires_at=_expiry(),
        )

    @staticmethod
    def sign(body: bytes, timestamp: str) -> str:
        key = settings.PAYMENTS_SANDBOX_KEY.encode()
        return hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()

    def notification_for(self, *, order_id: str, status: str, amount: int) -> tuple[bytes, dict]:
        """A signed callback as the simulated acquirer sends it (the demo's "pay" button)."""
        body = json.dumps(
            {"order_id": order_id, "status": status, "amount": str(amount)}, sort_keys=True
        ).encode()
        timestamp = str(int(timezone.now().timestamp()))
        headers = {
            "X-Sandbox-Timestamp": timestamp,
            "X-Sandbox-Signature": self.sign(body, timestamp),
        }
        return body, headers

    def parse_notification(self, *, headers, body: bytes) -> Notification:
        timestamp = headers.get("X-Sandbox-Timestamp", "")
        signature = headers.get("X-Sandbox-Signature", "")
        if not timestamp.isdigit() or not signature:
            raise SignatureInvalid("missing signature")
        if not hmac.compare_digest(self.sign(body, timestamp), signature):
            raise SignatureInvalid("bad signature")
        age = abs(timezone.now().timestamp() - int(timestamp))
        if age > settings.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS:
            raise SignatureInvalid("timestamp outside the tolerance")
        try:
            data = json.loads(body)
            status = self.STATUSES[data["status"]]
            return Notification(
                order_id=str(data["order_id"]),
                status=status,
                raw_status=data["status"],
                amount=_amount(data.get("amount")),
                reference=f"SBX-{data['order_id']}",
                body=data,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise NotificationMalformed(str(exc)) from exc

    def query_status(self, *, order_id: str) -> GatewayStatus:
        return GatewayStatus.PENDING


MIDTRANS_STATUSES = {
    "pending": GatewayStatus.PENDING,
    "settlement": GatewayStatus.PAID,
    "capture": GatewayStatus.PAID,
    "expire": GatewayStatus.EXPIRED,
    "cancel": GatewayStatus.CANCELLED,
    "deny": GatewayStatus.FAILED,
    "failure": GatewayStatus.FAILED,
}


def midtrans_signature(
    *, order_id: str, status_code: str, gross_amount: str, server_key: str
) -> str:
    """Plain SHA-512 (not HMAC) of the strings as sent; ``gross_amount`` is never reformatted."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


class MidtransProvider(PaymentProvider):
    code = "midtrans"

    def __init__(self, session=None):
        import requests

        self.session = session or requests.Session()

    @property
    def base_url(self) -> str:
        return settings.PAYMENTS_MIDTRANS_BASE_URL.rstrip("/")

    def _auth(self):
        return (settings.PAYMENTS_MIDTRANS_SERVER_KEY, "")

    def create_qris(self, *, order_id: str, amount: int, bill_number: str) -> QrisCharge:
        import requests

        minutes = settings.PAYMENTS_QR_EXPIRY_MINUTES
        body = {
            "payment_type": "qris",
            "transaction_details": {"order_id": order_id, "gross_amount": amount},
            "qris": {"acquirer": settings.PAYMENTS_MIDTRANS_ACQUIRER},
            "custom_expiry": {"expiry_duration": minutes, "unit": "minute"},
        }
        try:
            response = self.session.post(
                f"{self.base_url}/v2/charge", json=body, auth=self._auth(), timeout=10
            )
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(type(exc).__name__) from exc
        if response.status_code >= 300 or str(data.get("status_code")) not in ("200", "201"):
            raise ProviderUnavailable(f"charge refused: {data.get('status_code')}")
        qris.decode(data["qr_string"])
        return QrisCharge(
            qr_string=data["qr_string"],
            reference=data.get("transaction_id", ""),
            expires_at=_expiry(),
        )

    def parse_notification(self, *, headers, body: bytes) -> Notification:
        try:
            data = json.loads(body)
            order_id, status_code = str(data["order_id"]), str(data["status_code"])
            gross_amount, signature = str(data["gross_amount"]), str(data["signature_key"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SignatureInvalid("missing signature fields") from exc
        expected = midtrans_signature(
            order_id=order_id,
            status_code=status_code,
            gross_amount=gross_amount,
            server_key=settings.PAYMENTS_MIDTRANS_SERVER_KEY,
        )
        if not settings.PAYMENTS_MIDTRANS_SERVER_KEY or not hmac.compare_digest(
            expected, signature
        ):
            raise SignatureInvalid("bad signature")
        raw = str(data.get("transaction_status", ""))
        if raw not in MIDTRANS_STATUSES:
            raise NotificationMalformed(f"unknown status {raw!r}")
        return Notification(
            order_id=order_id,
            status=MIDTRANS_STATUSES[raw],
            raw_status=raw,
            amount=_amount(gross_amount),
            reference=str(data.get("transaction_id", "")),
            body=data,
        )

    def query_status(self, *, order_id: str) -> GatewayStatus:
        import requests

        try:
            response = self.session.get(
                f"{self.base_url}/v2/{order_id}/status", auth=self._auth(), timeout=10
            )
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(type(exc).__name__) from exc
        raw = str(data.get("transaction_status", ""))
        if raw not in MIDTRANS_STATUSES:
            raise ProviderUnavailable(f"status {data.get('status_code')}")
        return MIDTRANS_STATUSES[raw]

    def check_config(self) -> list[str]:
        if not settings.PAYMENTS_MIDTRANS_SERVER_KEY:
            return ["PAYMENTS_MIDTRANS_SERVER_KEY is not set."]
        return []


PROVIDERS = {"sandbox": SandboxProvider, "midtrans": MidtransProvider}


def get_provider(code: str | None = None) -> PaymentProvider:
    code = code or settings.PAYMENTS_PROVIDER
    cls = PROVIDERS.get(code) or import_string(code)
    return cls()
