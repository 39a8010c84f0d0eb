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

A SNAP BI adapter fits the same methods: ``qr-mpm-generate`` → :meth:`create_qris`,
``qr-mpm-notify`` (X-SIGNATURE over METHOD:path:token:sha256(body):X-TIMESTAMP) →
:meth:`parse_notification`, ``qr-mpm-query`` → :meth:`query_status`, its ``responseCode`` reply →
:meth:`acknowledgement` (see ``docs/payments.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
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


@dataclass(frozen=True)
class StatusAnswer:
    """What the gateway says about a payment when asked (reconciliation)."""

    status: GatewayStatus
    raw_status: str
    amount: int | None = None
    reference: str = ""


class PaymentProvider:
    """The interface. ``parse_notification`` receives the request as the gateway sent it (the
    raw body, the headers, the method and the path, which signature schemes such as SNAP BI sign
    too) and raises :class:`SignatureInvalid` before anything is trusted. ``signature_headers``
    names the headers kept with each received notification for audit; ``acknowledgement`` is the
    body answered to an accepted one."""

    code = ""
    signature_headers: tuple[str, ...] = ()

    def create_qris(self, *, order_id: str, amount: int, bill_number: str) -> QrisCharge:
        raise NotImplementedError

    def parse_notification(
        self, *, headers, body: bytes, method: str = "POST", path: str = ""
    ) -> Notification:
        raise NotImplementedError

    def query_status(self, *, order_id: str) -> StatusAnswer:
        raise NotImplementedError

    def acknowledgement(self) -> dict:
        return {"received": True}

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
    """The whole, non-negative rupiah amount of a gateway notification; ``None`` when the field
    is absent. Anything else (text, NaN, infinity, fractions, negatives) is malformed: a "paid"
    notification is never applied without an amount that can be checked."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise NotificationMalformed(f"amount {value!r} is not a number") from exc
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise NotificationMalformed(f"amount {value!r} is not a whole rupiah amount")
    return int(number)


class SandboxProvider(PaymentProvider):
    """The simulated acquirer: deterministic QRIS, HMAC-signed callbacks, no network."""

    code = "sandbox"
    signature_headers = ("X-Sandbox-Timestamp", "X-Sandbox-Signature")
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

    def parse_notification(
        self, *, headers, body: bytes, method: str = "POST", path: str = ""
    ) -> Notification:
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

    def query_status(self, *, order_id: str) -> StatusAnswer:
        """The simulated acquirer only learns of a payment through its own callback."""
        return StatusAnswer(GatewayStatus.PENDING, "pending")


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
    """Midtrans Core API QRIS over HTTPS (``httpx``; tests mock it with ``respx``)."""

    code = "midtrans"
    signature_headers = ()  # Midtrans signs inside the body (``signature_key``)

    def __init__(self, client=None):
        self._client = client

    @property
    def client(self):
        """Made on first use: verifying a notification needs no HTTP client."""
        if self._client is None:
            import httpx

            self._client = httpx.Client(timeout=10)
        return self._client

    @property
    def base_url(self) -> str:
        return settings.PAYMENTS_MIDTRANS_BASE_URL.rstrip("/")

    def _call(self, method: str, path: str, **kwargs) -> tuple[int, dict]:
        import httpx

        try:
            response = self.client.request(
                method,
                f"{self.base_url}{path}",
                auth=(settings.PAYMENTS_MIDTRANS_SERVER_KEY, ""),
                headers={"Accept": "application/json"},
                **kwargs,
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderUnavailable(type(exc).__name__) from exc
        if not isinstance(data, dict):
            raise ProviderUnavailable("not a JSON object")
        return response.status_code, data

    def create_qris(self, *, order_id: str, amount: int, bill_number: str) -> QrisCharge:
        body = {
            "payment_type": "qris",
            "transaction_details": {"order_id": order_id, "gross_amount": amount},
            "qris": {"acquirer": settings.PAYMENTS_MIDTRANS_ACQUIRER},
            "custom_expiry": {
                "expiry_duration": settings.PAYMENTS_QR_EXPIRY_MINUTES,
                "unit": "minute",
            },
        }
        http_status, data = self._call("POST", "/v2/charge", json=body)
        # Midtrans answers some refusals with HTTP 200 and the real code in ``status_code``.
        if http_status >= 300 or str(data.get("status_code")) not in ("200", "201"):
            raise ProviderUnavailable(f"charge refused: {data.get('status_code')}")
        try:
            qris.decode(str(data["qr_string"]))
        except (KeyError, qris.QrisError) as exc:
            raise ProviderUnavailable(f"unusable qr_string: {exc}") from exc
        return QrisCharge(
            qr_string=data["qr_string"],
            reference=str(data.get("transaction_id", "")),
            expires_at=_expiry(),
        )

    def parse_notification(
        self, *, headers, body: bytes, method: str = "POST", path: str = ""
    ) -> Notification:
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

    def query_status(self, *, order_id: str) -> StatusAnswer:
        from urllib.parse import quote

        http_status, data = self._call("GET", f"/v2/{quote(order_id, safe='')}/status")
        raw = str(data.get("transaction_status", ""))
        if http_status >= 300 or raw not in MIDTRANS_STATUSES:
            raise ProviderUnavailable(f"status {data.get('status_code')}")
        return StatusAnswer(
            status=MIDTRANS_STATUSES[raw],
            raw_status=raw,
            amount=_amount(data.get("gross_amount")),
            reference=str(data.get("transaction_id", "")),
        )

    def check_config(self) -> list[str]:
        if not settings.PAYMENTS_MIDTRANS_SERVER_KEY:
            return ["PAYMENTS_MIDTRANS_SERVER_KEY is not set."]
        return []


PROVIDERS = {"sandbox": SandboxProvider, "midtrans": MidtransProvider}


def get_provider(code: str | None = None) -> PaymentProvider:
    code = code or settings.PAYMENTS_PROVIDER
    cls = PROVIDERS.get(code) or import_string(code)
    return cls()
