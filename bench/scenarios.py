"""The scenarios: what each one asks, of which budget (issue 10, "Budgets to reach").

Read scenarios are steady load (``CLIENTS`` clients for a fixed time, after a warm-up) and run
again for each worker count of the sweep; write scenarios run once, on the chosen worker count,
and are checked in the database afterwards (``bench/fixtures.py verify``).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import time
import uuid
from dataclasses import dataclass
from urllib.parse import quote_plus

from bench import load
from bench.env import SANDBOX_KEY, WHATSAPP_SECRET
from bench.load import Req

CLIENTS = 32  # concurrent clients of every steady scenario (the budgets)
GATEWAY_ADDRESS = "203.0.113.10"  # the payment gateway's and Meta's one sending address each
META_ADDRESS = "203.0.113.20"

SINGLE = {"ratio_min": 0.5, "p95_max": 50, "p99_max": 100, "errors_max": 0, "queries_max": 10}
LIST = {"ratio_min": 0.3, "p99_max": 100, "errors_max": 0, "queries_max": 10}


@dataclass
class Scenario:
    name: str
    title: str
    budget: dict
    kind: str = "read"  # read: steady and swept; write: once, with its own driver


READS = [
    Scenario("floor", "Floor: minimal JSON view, same middleware", {}),
    Scenario("catalog_search", "Catalog search (`?q=`)", LIST),
    Scenario("activity_feed", "Citizen's activity feed", LIST),
    Scenario("bill_by_nop", "Bill look-up by NOP (public)", SINGLE),
    Scenario("payment_status", "Payment status poll", SINGLE),
    Scenario("now_serving", '"Now serving" poll', SINGLE),
    Scenario(
        "complaint_dashboard", "Public complaint dashboard", {"p95_max": 200, "errors_max": 0}
    ),
    Scenario("open311_requests", "Open311 `requests.json` (gzip accepted)", LIST),
]
WRITES = [
    Scenario(
        "booking_burst",
        "Booking burst: 500 at once on one session, quota 100",
        {"p99_max": 1000, "server_errors_max": 0, "tickets_exact": True},
        "write",
    ),
    Scenario(
        "complaint_photo",
        "Complaint with a 2 MB photo (upload + file), flood night: 10 citizens a second",
        {"p95_max": 300, "errors_max": 0},
        "write",
    ),
    Scenario(
        "complaint_photo_saturation",
        "Complaint with a 2 MB photo, saturation: 32 clients back to back (no budget)",
        {"errors_max": 0},
        "write",
    ),
    Scenario(
        "payment_webhooks",
        "Payment webhooks: signed, 10 % duplicates, paced",
        {"p99_max": 1000, "errors_max": 0, "exactly_once": True, "in_time": True},
        "write",
    ),
    Scenario(
        "whatsapp_webhooks",
        "WhatsApp webhooks: signed, 10 % duplicates, paced",
        {"p99_max": 1000, "errors_max": 0, "exactly_once": True, "in_time": True},
        "write",
    ),
]
BY_NAME = {s.name: s for s in READS + WRITES}


ADDRESSES = 512  # client addresses the steady scenarios' requests come from


def token_headers(token: str) -> dict[str, str]:
    return {"X-Session-Token": token}


def address(i: int) -> str:
    return f"10.66.{(i // 250) % 250}.{i % 250 + 1}"


def from_many(requests: list[Req], count: int = ADDRESSES) -> list[Req]:
    """``count`` requests cycling through ``requests``, each from its own client address (as the
    proxy in front reports it in X-Forwarded-For)."""
    return [
        Req(r.method, r.path, {**r.headers, "X-Forwarded-For": address(i)}, r.body)
        for i, r in ((i, requests[i % len(requests)]) for i in range(max(count, len(requests))))
    ]


def read_requests(name: str, state: dict) -> list[Req]:
    """The requests one steady scenario cycles through, from many addresses."""
    return from_many(_read_requests(name, state))


def _read_requests(name: str, state: dict) -> list[Req]:
    if name == "floor":
        return [Req("GET", "/api/v1/_floor")]
    if name == "catalog_search":
        return [
            Req("GET", f"/api/v1/catalog/services/?q={quote_plus(term)}")
            for term in state["search_terms"]
        ]
    if name == "activity_feed":
        return [
            Req("GET", "/api/v1/activity/", token_headers(token))
            for token in state["activity_tokens"]
        ]
    if name == "bill_by_nop":
        return [Req("GET", f"/api/v1/pembayaran/lookup/?nop={nop}") for nop in state["nops"]]
    if name == "payment_status":
        headers = token_headers(state["reader_token"])
        return [
            Req("GET", f"/api/v1/pembayaran/payments/{pid}/", headers)
            for pid in state["reader_payments"]
        ]
    if name == "now_serving":
        return [
            Req("GET", f"/api/v1/kesehatan/sessions/{state['now_serving_session']}/now-serving/")
        ]
    if name == "complaint_dashboard":
        return [Req("GET", "/api/v1/pengaduan/public/dashboard/")]
    if name == "open311_requests":
        # as partners' HTTP libraries ask (requests, curl --compressed, browsers)
        return [Req("GET", "/open311/v2/requests.json", {"Accept-Encoding": "gzip"})]
    raise KeyError(name)


# --- writes --------------------------------------------------------------------------------------


def booking_requests(state: dict, count: int) -> list[Req]:
    body = json.dumps({"session": state["booking_session"], "payer": "bpjs"}).encode()
    return [
        Req(
            "POST",
            "/api/v1/kesehatan/tickets/",
            {
                "Content-Type": "application/json",
                "X-Forwarded-For": address(i),
                **token_headers(token),
            },
            body,
        )
        for i, token in enumerate(state["burst_tokens"][:count])
    ]


def noise_jpeg(target: int = 2 * 1024 * 1024) -> bytes:
    """A JPEG of ``target`` bytes (within 10 %) of random pixels, which JPEG cannot shrink."""
    from PIL import Image

    width = 1700
    for _ in range(8):
        height = width * 3 // 4
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
        size = out.tell()
        if target <= size <= target * 1.1:
            return out.getvalue()
        width = int(width * (target * 1.05 / size) ** 0.5)
    return out.getvalue()


def _multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes):
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def complaint_flow(state: dict, photo: bytes, queries: list[int]):
    """Upload the photo, then file the complaint with it; each client is a different citizen."""
    body, content_type = _multipart({"purpose": "complaint_photo"}, "file", "banjir.jpg", photo)
    tokens = state["burst_tokens"]

    def flow(client: load.Client, n: int) -> list[int]:
        citizen = n % min(len(tokens), 64)
        headers = {**token_headers(tokens[-1 - citizen]), "X-Forwarded-For": address(citizen)}
        status, answer, h1 = client.send(
            Req("POST", "/api/v1/documents/", {**headers, "Content-Type": content_type}, body)
        )
        if status != 201:
            return [status]
        photo_id = json.loads(answer)["uuid"]
        complaint = {
            "text": f"Banjir setinggi lutut di depan rumah, air tidak surut (benchmark {n}).",
            "latitude": "-1.265000",
            "longitude": "116.831000",
            "photos": [photo_id],
            "public_photos_allowed": True,
        }
        status2, _, h2 = client.send(
            Req(
                "POST",
                "/api/v1/pengaduan/complaints/",
                {**headers, "Content-Type": "application/json"},
                json.dumps(complaint).encode(),
            )
        )
        if "x-queries" in h1 and "x-queries" in h2:
            queries.append(int(h1["x-queries"]) + int(h2["x-queries"]))
        return [status, status2]

    return flow


def payment_webhook_requests(state: dict, total: int) -> tuple[list[Req], int]:
    """One signed ``paid`` notification per pending payment, then repeats of some of them
    (the same bytes, as a gateway retries), shuffled in deterministically; ``total`` in all."""
    distinct = [_sandbox_paid(p["order_id"], p["amount"]) for p in state["hook_payments"][:total]]
    return _with_duplicates(distinct, total), len(distinct)


def _sandbox_paid(order_id: str, amount: int) -> Req:
    body = json.dumps(
        {"order_id": order_id, "status": "paid", "amount": str(amount)}, sort_keys=True
    ).encode()
    timestamp = str(int(time.time()))
    signature = hmac.new(
        SANDBOX_KEY.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Forwarded-For": GATEWAY_ADDRESS,
        "X-Sandbox-Timestamp": timestamp,
        "X-Sandbox-Signature": signature,
    }
    return Req("POST", "/api/v1/pembayaran/webhooks/sandbox/", headers, body)


def whatsapp_webhook_requests(state: dict, total: int, distinct_count: int) -> list[Req]:
    prefix = state["whatsapp_prefix"]
    distinct = []
    for i in range(distinct_count):
        wa_id = f"62813{state['stamp'] % 10000:04d}{i:04d}"
        message = {
            "from": wa_id,
            "id": f"{prefix}{i}",
            "timestamp": str(int(time.time())),
            "type": "text",
            "text": {"body": "MENU"},
        }
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "bench",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": "bench"},
                                "contacts": [{"wa_id": wa_id, "profile": {"name": f"Warga {i}"}}],
                                "messages": [message],
                            },
                        }
                    ],
                }
            ],
        }
        body = json.dumps(payload).encode()
        signature = hmac.new(WHATSAPP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        distinct.append(
            Req(
                "POST",
                "/webhooks/whatsapp",
                {
                    "Content-Type": "application/json",
                    "X-Forwarded-For": META_ADDRESS,
                    "X-Hub-Signature-256": f"sha256={signature}",
                },
                body,
            )
        )
    return _with_duplicates(distinct, total)


def _with_duplicates(distinct: list[Req], total: int) -> list[Req]:
    """``distinct`` in order, with each extra delivery (a repeat of an earlier one) placed a
    little after its original, as a gateway's retry would come."""
    out = list(distinct)
    extra = total - len(distinct)
    step = max(1, len(distinct) // max(1, extra))
    for k in range(extra):
        original = (k * step) % len(distinct)
        out.insert(min(len(out), original + 1 + 2 * k), distinct[original])
    return out
