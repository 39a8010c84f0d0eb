"""Reads, scoped to who asks: a citizen sees the bills of their linked NOPs and their own levies
and payments; BPPDRD staff see all; other staff see nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import AgencyMembership
from payments.models import Bill, Payment, PenaltyRule, PropertyLink, TaxObject
from payments.penalties import penalty_amount

AGENCY_CODE = "bppdrd"
REVENUE_STAFF_CACHE_SECONDS = 300


def is_revenue_staff(user) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    # Asked by the admin's sidebar on every admin page, so it is cached (per request on the user
    # object, and across requests in the cache until a membership of the user changes).
    cached = getattr(user, "_payments_is_revenue_staff", None)
    if cached is None:
        key = revenue_staff_cache_key(user.pk)
        cached = cache.get(key)
        if cached is None:
            cached = AgencyMembership.objects.filter(user=user, agency__code=AGENCY_CODE).exists()
            cache.set(key, cached, REVENUE_STAFF_CACHE_SECONDS)
        user._payments_is_revenue_staff = cached
    return cached


def revenue_staff_cache_key(user_id) -> str:
    return f"payments:revenue-staff:{user_id}"


def bill_list_for(*, user) -> QuerySet[Bill]:
    queryset = Bill.objects.select_related("tax_object").order_by("is_paid", "due_date", "id")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset if is_revenue_staff(user) else queryset.none()
    # A UNION of the two ways a bill is the citizen's, not an OR: PostgreSQL cannot use an index
    # for ``tax_object IN (subquery) OR payer = …`` and scanned all bills (450 ms at 500,000
    # bills; 0.5 ms as a union, docs/performance-explain.md).
    linked = PropertyLink.objects.filter(user=user).values("tax_object")
    own = (
        Bill.objects.filter(kind=Bill.Kind.PBB, tax_object__in=linked)
        .order_by()
        .values("pk")
        .union(Bill.objects.filter(payer=user).order_by().values("pk"))
    )
    return queryset.filter(pk__in=own)


def bill_get_for(*, user, uuid) -> Bill | None:
    return bill_list_for(user=user).filter(uuid=uuid).first()


def bill_citizen_ids(*, bill: Bill) -> list[int]:
    """The citizens whose personal data a bill shows: its payer and, for PBB, those who linked
    its NOP to their account (for the access log)."""
    ids = [bill.payer_id] if bill.payer_id else []
    if bill.tax_object_id:
        ids += PropertyLink.objects.filter(tax_object_id=bill.tax_object_id).values_list(
            "user_id", flat=True
        )
    return ids


def payment_list_for(*, user) -> QuerySet[Payment]:
    queryset = Payment.objects.select_related("bill")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset if is_revenue_staff(user) else queryset.none()
    return queryset.filter(payer=user)


def payment_get_for(*, user, uuid) -> Payment | None:
    # get(), not first(): the uuid is unique, and first() ordered and limited a one-row answer
    # (a sixth of the query's cost on the payment poll, in the ORM's compiler)
    try:
        return payment_list_for(user=user).get(uuid=uuid)
    except Payment.DoesNotExist:
        return None


def property_list_for(*, user) -> QuerySet[PropertyLink]:
    return PropertyLink.objects.filter(user=user).select_related("tax_object").order_by("id")


def penalty_rules() -> list[PenaltyRule]:
    """All rules, newest first (a handful of rows: one query, reused for a whole list)."""
    return list(PenaltyRule.objects.order_by("-effective_from"))


def penalty_rule_in_force(*, on: dt.date, rules: list[PenaltyRule] | None = None):
    for rule in rules if rules is not None else penalty_rules():
        if rule.effective_from <= on:
            return rule
    return None


def bill_penalty(*, bill: Bill, on: dt.date, rules: list[PenaltyRule] | None = None) -> int:
    """The penalty of an unpaid PBB bill as of ``on`` under the rule in force on ``on``."""
    if bill.is_paid or bill.kind != Bill.Kind.PBB:
        return 0
    rule = penalty_rule_in_force(on=on, rules=rules)
    if rule is None:
        return 0
    return penalty_amount(
        principal=bill.principal,
        due_date=bill.due_date,
        on=on,
        rate_per_month=rule.rate_per_month,
        cap_months=rule.cap_months,
        part_month_counts=rule.part_month_counts,
        rounding=rule.rounding,
    )


def tax_object_by_nop(*, nop: str) -> TaxObject | None:
    return TaxObject.objects.filter(nop=nop).first()


@dataclass(frozen=True)
class NopLookup:
    """A public look-up by NOP: the tax object, and its bills (unpaid first, oldest due first),
    each with its penalty as of the day asked about (0 once paid)."""

    tax_object: TaxObject
    bills: list[tuple[Bill, int]]


def nop_lookup(*, nop: str, on: dt.date) -> NopLookup | None:
    """The look-up behind the API and WhatsApp's BILL: the bills and their tax
    object in one query (a second one only for an object with no bill yet), and the penalty
    rules once for all the bills."""
    bills = list(
        Bill.objects.filter(tax_object__nop=nop)
        .select_related("tax_object")
        .order_by("is_paid", "due_date", "id")
    )
    tax_object = bills[0].tax_object if bills else tax_object_by_nop(nop=nop)
    if tax_object is None:
        return None
    rules = penalty_rules() if any(not bill.is_paid for bill in bills) else []
    return NopLookup(
        tax_object=tax_object,
        bills=[(bill, bill_penalty(bill=bill, on=on, rules=rules)) for bill in bills],
    )
