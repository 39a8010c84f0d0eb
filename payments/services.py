"""Writes of the payments module. Every interface (API, portal, admin, tasks, commands) calls these.

Payments change state only through ``services.workflow.transition_perform``; receipts and
notifications are queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payments import selectors
from payments.exceptions import (
    BillAlreadyPaid,
    NopNotFound,
    NopRejected,
    PaymentNotPending,
    ProviderUnavailableError,
)
from payments.models import (
    Bill,
    BillImport,
    Payment,
    PaymentEvent,
    PenaltyRule,
    PropertyLink,
    TaxObject,
    WebhookDelivery,
)
from payments.nop import NopError, nop_parse
from payments.providers import (
    GatewayStatus,
    NotificationMalformed,
    ProviderUnavailable,
    SignatureInvalid,
    get_provider,
)
from payments.workflow import PaymentState
from services.workflow import tracking_number_next, transition_perform, workflow_start

logger = logging.getLogger(__name__)

WITA = dt.timezone(dt.timedelta(hours=8))


def today() -> dt.date:
    return timezone.localdate(timezone=WITA)


# --- my properties ----------------------------------------------------------------------------


def property_link(*, actor, nop: str) -> PropertyLink:
    """Link the tax object with ``nop`` to ``actor``'s account (linking twice returns the link)."""
    try:
        parsed = nop_parse(nop, allow_undocumented_special_code=True)
    except NopError as exc:
        raise NopRejected(str(exc), code=exc.code) from None
    tax_object = selectors.tax_object_by_nop(nop=parsed.digits)
    if tax_object is None:
        raise NopNotFound()
    link, _created = PropertyLink.objects.get_or_create(user=actor, tax_object=tax_object)
    return link


def property_unlink(*, actor, link: PropertyLink) -> None:
    if link.user_id != actor.pk:
        raise PermissionError("not the owner of the link")
    link.delete()


# --- penalty rules ---------------------------------------------------------------------------


def penalty_rule_add(
    *,
    actor,
    effective_from: dt.date,
    rate_per_month,
    cap_months: int,
    part_month_counts: bool,
    legal_basis: str = "",
    rounding: str = "half_up",
) -> PenaltyRule:
    """A new rule in force from ``effective_from``; earlier rules stay for earlier dates."""
    rule = PenaltyRule(
        effective_from=effective_from,
        rate_per_month=rate_per_month,
        cap_months=cap_months,
        part_month_counts=part_month_counts,
        rounding=rounding,
        legal_basis=legal_basis,
    )
    rule.full_clean()
    rule.save(force_insert=True)
    logger.info("Penalty rule from %s added by user %s", effective_from, getattr(actor, "pk", None))
    return rule


# --- payments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountDue:
    principal: int
    penalty: int

    @property
    def total(self) -> int:
        return self.principal + self.penalty


def bill_amount_due(*, bill: Bill, on: dt.date | None = None) -> AmountDue:
    return AmountDue(bill.principal, selectors.bill_penalty(bill=bill, on=on or today()))


def payment_create(*, actor, bill: Bill) -> Payment:
    """A dynamic QRIS for the exact amount due now; while one is pending and unexpired it is
    returned again. The bill row stays locked during the gateway call, so two taps make one QR."""
    with transaction.atomic():
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        if bill.is_paid:
            raise BillAlreadyPaid()
        now = timezone.now()
        current = (
            Payment.objects.filter(
                bill=bill, payer=actor, state=PaymentState.PENDING, expires_at__gt=now
            )
            .order_by("-created_at")
            .first()
        )
        due = bill_amount_due(bill=bill)
        if current is not None:
            if current.amount == due.total:
                return current
            # The amount due changed (a new penalty month began): the old QR must not be paid.
            transition_perform(obj=current, name="cancel", actor=None)
        order_id = tracking_number_next(prefix="PAY")
        provider = get_provider()
        try:
            charge = provider.create_qris(
                order_id=order_id, amount=due.total, bill_number=bill.number
            )
        except ProviderUnavailable:
            logger.warning("QRIS creation failed at %s for order %s", provider.code, order_id)
            raise ProviderUnavailableError() from None
        payment = Payment(
            order_id=order_id,
            bill=bill,
            payer=actor,
            principal=due.principal,
            penalty=due.penalty,
            amount=due.total,
            provider=provider.code,
            provider_reference=charge.reference,
            qr_string=charge.qr_string,
            expires_at=charge.expires_at,
        )
        payment.full_clean()
        payment.save(force_insert=True)
        workflow_start(obj=payment, actor=actor)
    return payment


def payment_cancel(*, actor, payment: Payment) -> Payment:
    if payment.state != PaymentState.PENDING:
        raise PaymentNotPending()
    transition_perform(obj=payment, name="cancel", actor=actor)
    return payment


class UnknownPayment(Exception):
    """A verified notification names an order we never created."""


def _flag(payment: Payment, reason: str) -> None:
    payment.needs_review = True
    payment.review_reason = reason[:255]
    payment.save(update_fields=["needs_review", "review_reason"])
    logger.warning("Payment %s flagged for review: %s", payment.order_id, reason)


def receipt_title(payment: Payment) -> str:
    """What the bukti bayar says was paid: the kind, the bill and the amount in rupiah."""
    amount = f"{payment.amount:,}".replace(",", ".")
    return f"{payment.get_activity_title()} {payment.bill.number} Rp{amount}"[:200]


def _after_paid(payment: Payment) -> None:
    from services.models import Agency
    from services.notifications import notify
    from services.receipts.models import Receipt
    from services.receipts.services import receipt_issue

    title = str(payment.get_activity_title())
    agency = Agency.objects.get(code=selectors.AGENCY_CODE)
    receipt_issue(
        obj=payment,
        owner=payment.payer,
        kind=Receipt.Kind.PAYMENT,
        issuer=agency,
        tracking_number=payment.order_id,
        title=receipt_title(payment),
        issued_at=payment.paid_at,
    )
    notify(
        recipient=payment.payer,
        event="payment_received",
        key=f"payments:{payment.uuid}:paid",
        context={"title": title, "tracking_number": payment.order_id, "amount": payment.amount},
        obj=payment,
        topic="payment",
    )


def payment_mark_paid(*, payment: Payment, paid_amount: int | None, reference: str = "") -> bool:
    """Settle ``payment`` (locked by the caller) once: the bill is marked paid, the receipt and
    the notification follow on commit. A wrong amount or an already paid bill flags the payment
    for staff instead. Returns whether anything changed."""
    if payment.state == PaymentState.PAID:
        return False
    if paid_amount is not None and paid_amount != payment.amount:
        _flag(payment, f"amount mismatch: paid {paid_amount}, expected {payment.amount}")
        return True
    bill = Bill.objects.select_for_update().get(pk=payment.bill_id)
    if bill.is_paid:
        _flag(payment, "the bill was already paid by another payment")
        return True
    now = timezone.now()
    transition_perform(obj=payment, name="settle", actor=None)
    payment.paid_at = now
    if reference:
        payment.provider_reference = reference[:100]
    payment.save(update_fields=["paid_at", "provider_reference"])
    bill.is_paid, bill.paid_at = True, now
    bill.save(update_fields=["is_paid", "paid_at"])
    payment_id = payment.pk
    transaction.on_commit(
        lambda: _after_paid(Payment.objects.select_related("payer", "bill").get(pk=payment_id))
    )
    return True


_TRANSITIONS = {
    GatewayStatus.EXPIRED: "expire",
    GatewayStatus.CANCELLED: "cancel",
    GatewayStatus.FAILED: "fail",
}


def _apply(payment: Payment, status: GatewayStatus, amount: int | None, reference: str) -> bool:
    if status == GatewayStatus.PAID:
        return payment_mark_paid(payment=payment, paid_amount=amount, reference=reference)
    name = _TRANSITIONS.get(status)
    # Monotonic: only a pending payment moves to expired/cancelled/failed; "pending" never moves.
    if name is None or payment.state != PaymentState.PENDING:
        return False
    transition_perform(obj=payment, name=name, actor=None)
    return True


def _storable(text: str) -> str:
    """``text`` without NUL characters, which PostgreSQL's text columns refuse (a DataError, then
    a 500): a delivery that carries one is still stored, with U+FFFD in its place."""
    return text.replace("\x00", "\ufffd")


def _cut(body: bytes) -> tuple[str, bool]:
    text = _storable(body.decode("utf-8", errors="replace"))
    limit = WebhookDelivery.BODY_LIMIT
    return text[:limit], len(text) > limit


def webhook_receive(
    *, provider_code: str, headers, body: bytes, method: str = "POST", path: str = ""
) -> WebhookDelivery:
    """Verify a gateway notification over its raw body, store it, and queue it to be applied.

    Every delivery is stored with its verification result, refused ones too. Raises
    :class:`SignatureInvalid` (401), :class:`NotificationMalformed` (400) or
    :class:`UnknownPayment` (404) after storing; an accepted one is applied by the
    ``payments.process_notification`` task once this transaction commits."""
    provider = get_provider(provider_code)
    text, truncated = _cut(body)
    kept = {
        name: _storable(str(headers.get(name)))
        for name in provider.signature_headers
        if name in headers
    }
    stored = {"provider": provider_code, "body": text, "body_truncated": truncated, "headers": kept}
    try:
        notification = provider.parse_notification(
            headers=headers, body=body, method=method, path=path
        )
    except SignatureInvalid:
        WebhookDelivery.objects.create(result=WebhookDelivery.Result.SIGNATURE_INVALID, **stored)
        raise
    except NotificationMalformed:
        WebhookDelivery.objects.create(result=WebhookDelivery.Result.MALFORMED, **stored)
        raise
    order_id = _storable(notification.order_id)
    stored |= {
        "order_id": order_id[:100],
        "gateway_status": _storable(notification.raw_status)[:40],
        "status": notification.status.value,
        "amount": notification.amount,
        "reference": _storable(notification.reference)[:100],
    }
    payment = Payment.objects.filter(order_id=order_id, provider=provider_code).first()
    if payment is None:
        WebhookDelivery.objects.create(result=WebhookDelivery.Result.UNKNOWN_PAYMENT, **stored)
        raise UnknownPayment(notification.order_id)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            result=WebhookDelivery.Result.ACCEPTED, payment=payment, **stored
        )
        transaction.on_commit(lambda: _queue(delivery.pk))
    return delivery


def _queue(delivery_id: int) -> None:
    from payments.tasks import process_notification

    try:
        process_notification.delay(delivery_id)
    except Exception:  # broker down, or an eager run failed: the sweeper applies it later
        logger.exception("Could not apply payment notification %s now", delivery_id)


def notification_process(*, delivery_id: int) -> bool:
    """Apply one stored, verified notification exactly once per (payment, status).

    The payment row is locked, the (payment, status) event is unique, and status moves are
    monotonic, so a duplicate, concurrent or replayed delivery changes nothing. Returns whether
    the payment changed."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.processed_at is not None or delivery.result != WebhookDelivery.Result.ACCEPTED:
            return False
        payment = Payment.objects.select_for_update().get(pk=delivery.payment_id)
        try:
            with transaction.atomic():
                PaymentEvent.objects.create(
                    payment=payment,
                    delivery=delivery,
                    provider=delivery.provider,
                    status=delivery.gateway_status,
                    amount="" if delivery.amount is None else str(delivery.amount),
                    body=_json_or_empty(delivery),
                )
        except IntegrityError:
            changed, outcome = False, "duplicate"
        else:
            changed = _apply(
                payment, GatewayStatus(delivery.status), delivery.amount, delivery.reference
            )
            outcome = "changed" if changed else "no change"
        delivery.processed_at = timezone.now()
        delivery.outcome = f"{outcome}: payment {payment.state}" + (
            ", flagged for review" if payment.needs_review else ""
        )
        delivery.save(update_fields=["processed_at", "outcome"])
    return changed


def _json_or_empty(delivery: WebhookDelivery) -> dict:
    if delivery.body_truncated:
        return {}
    try:
        data = json.loads(delivery.body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def notifications_process_stored(*, older_than_seconds: int = 60) -> int:
    """Apply accepted notifications that were stored but not applied (the queue was down)."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    ids = WebhookDelivery.objects.filter(
        result=WebhookDelivery.Result.ACCEPTED, processed_at__isnull=True, received_at__lte=cutoff
    ).values_list("pk", flat=True)[:500]
    return sum(1 for delivery_id in list(ids) if notification_process(delivery_id=delivery_id))


def payments_expire_stale(*, now: dt.datetime | None = None) -> int:
    """Expire pending payments whose QR has run out (a new QR may then be made)."""
    now = now or timezone.now()
    count = 0
    for payment_id in Payment.objects.filter(
        state=PaymentState.PENDING, expires_at__lte=now
    ).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment_id)
            if payment.state == PaymentState.PENDING:
                transition_perform(obj=payment, name="expire", actor=None)
                count += 1
    return count


def payment_reconcile(*, payment_id: int) -> bool:
    """Ask the gateway about one pending payment and apply its answer."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state not in (PaymentState.PENDING, PaymentState.EXPIRED):
            return False
        try:
            answer = get_provider(payment.provider).query_status(order_id=payment.order_id)
        except ProviderUnavailable:
            logger.warning("Status query failed for payment %s", payment.order_id)
            return False
        return _apply(payment, answer.status, answer.amount, answer.reference)


# --- import -----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "kind",
    "number",
    "nop",
    "tax_year",
    "payer_name",
    "payer_email",
    "description",
    "object_address",
    "kelurahan_name",
    "land_area",
    "land_class",
    "building_area",
    "building_class",
    "njop",
    "principal",
    "due_date",
)
_BILL_FIELDS = (
    "kind",
    "tax_year",
    "payer_name",
    "description",
    "object_address",
    "kelurahan_name",
    "land_area",
    "land_class",
    "building_area",
    "building_class",
    "njop",
    "principal",
    "due_date",
)


def _int(value: str, name: str, *, required: bool = False) -> int | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValueError(_("%(name)s is required.") % {"name": name})
        return None
    if not value.isdigit():
        raise ValueError(_("%(name)s must be a whole number.") % {"name": name})
    return int(value)


def _row_values(row: dict) -> tuple[dict, str | None]:
    kind = (row.get("kind") or "").strip()
    if kind not in Bill.Kind.values:
        raise ValueError(_("kind must be pbb or retribusi."))
    number = (row.get("number") or "").strip()
    if not number:
        raise ValueError(_("number is required."))
    try:
        due_date = dt.date.fromisoformat((row.get("due_date") or "").strip())
    except ValueError:
        raise ValueError(_("due_date must be a date (YYYY-MM-DD).")) from None
    values = {
        "kind": kind,
        "tax_year": _int(row.get("tax_year"), "tax_year", required=kind == Bill.Kind.PBB),
        "payer_name": (row.get("payer_name") or "").strip(),
        "description": (row.get("description") or "").strip(),
        "object_address": (row.get("object_address") or "").strip(),
        "kelurahan_name": (row.get("kelurahan_name") or "").strip(),
        "land_area": _int(row.get("land_area"), "land_area"),
        "land_class": (row.get("land_class") or "").strip(),
        "building_area": _int(row.get("building_area"), "building_area"),
        "building_class": (row.get("building_class") or "").strip(),
        "njop": _int(row.get("njop"), "njop"),
        "principal": _int(row.get("principal"), "principal", required=True),
        "due_date": due_date,
    }
    if not values["payer_name"]:
        raise ValueError(_("payer_name is required."))
    if values["principal"] <= 0:
        raise ValueError(_("principal must be more than zero."))
    return {"number": number, **values}, (row.get("payer_email") or "").strip() or None


def _import_row(row: dict) -> str:
    from accounts.models import User

    values, payer_email = _row_values(row)
    tax_object = None
    if values["kind"] == Bill.Kind.PBB:
        try:
            nop = nop_parse(row.get("nop") or "", allow_undocumented_special_code=True)
        except NopError as exc:
            raise ValueError(str(exc)) from None
        tax_object, _created = TaxObject.objects.get_or_create(
            nop=nop.digits,
            defaults={
                "kecamatan_code": nop.kecamatan_code,
                "kelurahan_code": nop.kelurahan_code,
                "address": values["object_address"],
                "kelurahan_name": values["kelurahan_name"],
                "taxpayer_name": values["payer_name"],
                "needs_review": nop.needs_review,
            },
        )
    payer = None
    if payer_email:
        payer = User.objects.filter(email__iexact=payer_email).first()
    bill = Bill.objects.select_for_update().filter(number=values["number"]).first()
    if bill is None:
        bill = Bill(tax_object=tax_object, payer=payer, **values)
        bill.full_clean()
        bill.save(force_insert=True)
        return "created"
    changed = [name for name in _BILL_FIELDS if getattr(bill, name) != values[name]]
    if bill.tax_object_id != (tax_object.pk if tax_object else None):
        changed.append("tax_object")
        bill.tax_object = tax_object
    if payer is not None and bill.payer_id != payer.pk:
        changed.append("payer")
        bill.payer = payer
    if not changed:
        return "unchanged"
    if bill.is_paid:
        raise ValueError(_("The bill is already paid and cannot be changed."))
    for name in _BILL_FIELDS:
        setattr(bill, name, values[name])
    bill.full_clean()
    bill.save(update_fields=changed)
    return "updated"


def _import_rows(reader: csv.DictReader, counts: dict, errors: list[dict]) -> None:
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error:
            errors.append({"line": reader.line_num, "error": _("The line is not valid CSV.")})
            return
        line = reader.line_num
        try:
            with transaction.atomic():
                counts[_import_row(row)] += 1
        except (ValueError, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            errors.append({"line": line, "error": message})


def bills_import(*, actor, file, file_name: str) -> BillImport:
    """Import bills from a CSV (``CSV_COLUMNS``); each row in its own transaction, so a bad row
    is reported with its line number and the good rows are kept. Re-importing changes nothing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    errors: list[dict] = []
    text = file.read()
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        fieldnames = reader.fieldnames or []
    except (UnicodeDecodeError, csv.Error):
        errors.append({"line": 1, "error": _("The file is not a UTF-8 CSV file.")})
        reader, fieldnames = None, []
    missing = [c for c in ("kind", "number", "principal", "due_date") if c not in fieldnames]
    if reader is not None and missing:
        errors.append(
            {
                "line": 1,
                "error": _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)},
            }
        )
    elif reader is not None:
        _import_rows(reader, counts, errors)
    record = BillImport(
        file_name=file_name[:255],
        imported_by=actor if actor is not None and actor.is_authenticated else None,
        errors=errors,
        **counts,
    )
    record.save(force_insert=True)
    return record
