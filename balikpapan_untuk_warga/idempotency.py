"""``Idempotency-Key`` for the unsafe requests of the API.

A client (in practice the mobile app on a flaky network) sends ``Idempotency-Key: <key>`` with a
``POST``/``PUT``/``PATCH``/``DELETE`` under ``/api/``. The first request with a key runs and its
response is kept for 24 hours per (user, key); a retry with the same key and the same request gets
that response again, with ``Idempotent-Replayed: true``, and the view does not run a second time.

Outcomes for a request that carries the header:

* the key is not 1–255 printable ASCII characters (0x20–0x7E, no leading or trailing space)
  → **400** ``invalid``; nothing runs;
* the key is new (or its record expired) → the view runs;
* the key was used for a *different* request (method, path, query string or body bytes differ)
  → **422** ``idempotency_key_reused``, whether the first request is finished or not: waiting
  does not fix a client that reuses keys;
* the key's first request is still running → **409** ``idempotency_key_in_use`` with
  ``Retry-After: 1``;
* the key's first request finished → its response is replayed.

Errors have the drf-standardized-errors shape of the rest of the API
(``{"type": "client_error", "errors": [{"code", "detail", "attr": null}]}``).

How it works
------------
Before the view runs, an ``in_progress`` :class:`~balikpapan_untuk_warga.models.IdempotencyRecord`
is inserted in its own short transaction (the request is in autocommit: ``ATOMIC_REQUESTS`` is
off, and this middleware is outside any ``atomic`` a view opens). The unique constraint on
(owner, key) is the lock: of two concurrent duplicates exactly one insert succeeds; the other gets
an ``IntegrityError`` (on PostgreSQL it waits on the unique index until the winner commits) and
reads the winner's row. So the view runs at most once per key, across threads, processes and
servers, with no advisory locks and no cache.

After the view returns, the record is completed with the response: status, body bytes and only
``Content-Type`` and ``Location``. ``Set-Cookie`` (and every other header) is never stored, so a
replay can neither re-issue nor leak a session or CSRF cookie; middleware outside this one adds
its usual headers to the replay as it would to any response.

What is not stored — the record is deleted, so that the client may retry with the same key:

* **5xx** and exceptions (including ``SystemExit`` from a worker timeout): the server failed and
  the client is meant to retry. A service keeps its writes in one ``transaction.atomic`` so that
  a failure leaves nothing behind; storing the 500 would turn a transient fault into a 24-hour
  one;
* **401, 403, 429**: the request was not admitted (credentials, CSRF token, permission, throttle).
  The view did not do its work, and the client is expected to fix the cause (log in again, fetch
  a CSRF token, wait) and retry *the same* operation, i.e. with the same key; replaying the
  refusal for 24 hours would force it to mint a new key and lose the protection;
* **streaming responses** (``StreamingHttpResponse``, ``FileResponse``): their body cannot be read
  without consuming it. The API answers unsafe requests with JSON, so this is theoretical.

Every other 4xx **is** stored and replayed: it is the view's answer to that request (a validation
error, a business-rule refusal such as a 409 "already submitted", a 404). A retry must observe the
same outcome rather than one that depends on what changed in between — the client that retries
never saw the first answer, and a 4xx may have had effects of its own (an attempt counted, an
audit entry). A client that wants to change the request must use a new key, which is also why
the same key with another body is a 422 rather than a new execution.

Who owns a key
--------------
Keys are per user (the ``owner`` foreign key; records go when the user is deleted). The user is
resolved the way the API's authentication classes do it, in the same order
(``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``): a valid ``X-Session-Token`` of allauth
headless' ``app`` client first (looked up with allauth's own ``authenticate_by_x_session_token``,
which reads the session without touching, saving or rotating it), else the browser session's
``request.user`` (set by ``AuthenticationMiddleware``). A view that overrides
``authentication_classes`` with another scheme must keep to these two, or the key would be filed
under another user than the view sees. The CSRF check stays DRF's job: a request missing its
token is refused with a 403, which is not stored (see above).

**Anonymous requests are not made idempotent**: the header is checked for syntax and otherwise
ignored. Unsafe anonymous calls under ``/api/v1/`` are rare (the API's default permission is
``IsAuthenticated``; sign-up and login live under ``/_allauth/``, whose flows have their own
rate limits and codes), and there is no owner to key them by that would be safe: an IP address is
shared behind carrier-grade NAT (one citizen's key would collide with, or replay a response to,
another), and an anonymous client of the app has no session at all. A client that needs
idempotency logs in first.

Fingerprint
-----------
SHA-256 over the method, the path and the raw query string (each length-prefixed) and the SHA-256
of the raw body bytes, so that no two different requests share an input. Byte-exact on purpose:
a retry is the same bytes re-sent; re-serialising JSON differently is a different request. The body is read with
``request.body`` (which keeps it available to the view); a body above
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a large upload) is hashed while being copied to a spooled
temporary file that then becomes the request's stream, so uploads stay idempotent too.

Expiry and crashes
------------------
A completed record expires 24 hours after completion. An ``in_progress`` record is a *lease* of
:func:`in_progress_lease` (``IDEMPOTENCY_LEASE_SECONDS``, 60 s by default: twice gunicorn's worker
timeout, after which no request is still running): if the process died after
inserting it (OOM, ``SIGKILL``) nobody would ever complete or delete it, and the key would answer
409 for a day. After the lease the record counts as abandoned and the next retry runs the view.
The price is the one window this design cannot close without putting the record and the view's
effects in one transaction: a process killed after the view committed but before the record was
completed. A request still running when its lease ends (impossible under the worker timeouts)
stores its response only if no retry has taken the key over. If storing the response fails (the
database went away), the client still gets it and the record stays in progress until its lease
ends.

Expired records are purged lazily — a user's expired records are deleted when they claim a new
key — and for everybody by ``manage.py purge_idempotency_records`` (run daily from cron; no Celery
needed).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from balikpapan_untuk_warga.models import IdempotencyRecord

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
SESSION_TOKEN_HEADER = "X-Session-Token"
API_PREFIX = "/api/"
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# 1–255 printable ASCII characters, the first and last not a space.
KEY_RE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?")
RETENTION = timedelta(hours=24)

STORED_HEADERS = ("Content-Type", "Location")
NOT_STORED_STATUSES = frozenset({401, 403, 429})
CLAIM_ATTEMPTS = 3
CHUNK_SIZE = 64 * 1024


def in_progress_lease() -> timedelta:
    """How long an in-progress record blocks its key: a retry after a worker was killed mid-request
    waits this long (409) before running the view again; see "Expiry and crashes" above."""
    return timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS)


class IdempotencyMiddleware:
    """Make unsafe ``/api/`` requests that carry ``Idempotency-Key`` run at most once per user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in METHODS or not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        key = request.headers.get(HEADER)
        if key is None or not _route_accepts(request):
            # no key, or nothing would run: an unknown URL is a 404 and a method the view does
            # not have a 405, whatever the key (never a 400/422 about a key that changes nothing)
            return self.get_response(request)
        if not KEY_RE.fullmatch(key):
            return error_response(
                400,
                "invalid",
                _("The Idempotency-Key header must be 1 to 255 printable ASCII characters."),
            )
        user = request_user(request)
        if user is None:
            return self.get_response(request)

        spool = None
        try:
            fingerprint, spool = request_fingerprint(request)
            outcome = claim(user, key, request, fingerprint)
            if isinstance(outcome, HttpResponseBase):
                return outcome
            return self._run(request, outcome)
        finally:
            if spool is not None:
                spool.close()

    def _run(self, request: HttpRequest, record) -> HttpResponseBase:
        try:
            response = self.get_response(request)
        except BaseException:
            release(record)
            raise
        try:
            finish(record, response)
        except Exception:
            # The client still gets its answer. The record stays in progress (retries get a 409)
            # until its lease ends: releasing it now would invite a second run right away.
            logger.exception("Could not store the response of idempotency record %s", record.pk)
        return response


def _route_accepts(request: HttpRequest) -> bool:
    """Whether the URL names a view that has a handler for the request's method."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if view is None:  # a plain function view decides for itself
        return True
    method = request.method.lower()
    return method in view.http_method_names and hasattr(view, method)


def request_user(request: HttpRequest):
    """The user the API will authenticate: the ``X-Session-Token``'s, else the session's."""
    token = request.headers.get(SESSION_TOKEN_HEADER)
    if token:
        from allauth.headless.internal.sessionkit import authenticate_by_x_session_token

        result = authenticate_by_x_session_token(token)
        if result:
            return result[0]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def request_fingerprint(request: HttpRequest):
    """``(sha256 hex, spool or None)`` of the request; its body stays readable by the view.

    The method, path and query string go in length-prefixed, then the SHA-256 of the body (fixed
    length), so that no two different requests can produce the same input.
    """
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        data = (part or "").encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(data))
        digest.update(data)
    spool = None
    try:
        body_digest = hashlib.sha256(request.body)
    except RequestDataTooBig:
        body_digest, spool = _spool_body(request)
    digest.update(body_digest.digest())
    return digest.hexdigest(), spool


def _spool_body(request: HttpRequest):
    """Hash a body too big for ``request.body`` while copying it into a spooled temporary file.

    ``request.body`` refused before reading anything (it checks ``Content-Length`` first, or the
    size of a seekable ASGI stream, which it leaves at the end). The copy then replaces the
    request's stream — ``HttpRequest._stream`` and ``_read_started``, the attributes Django's own
    ``body`` swaps for the same purpose — so the view's parsers read the body as if untouched.
    """
    stream = request._stream
    if getattr(stream, "seekable", None) and stream.seekable():
        stream.seek(0)
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 — closed by the middleware
        max_size=settings.DATA_UPLOAD_MAX_MEMORY_SIZE or CHUNK_SIZE
    )
    body_digest = hashlib.sha256()
    while chunk := request.read(CHUNK_SIZE):
        body_digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    request._stream = spool
    request._read_started = False
    return body_digest, spool


def claim(user, key: str, request: HttpRequest, fingerprint: str):
    """Insert the ``in_progress`` record, or answer from the one that holds the key.

    Returns the new record (the caller runs the view) or the response to send instead: a replay,
    a 422 or a 409.
    """
    for _attempt in range(CLAIM_ATTEMPTS):
        now = timezone.now()
        # Lazy purge: this user's expired records, including an abandoned one holding this key.
        IdempotencyRecord.objects.filter(owner=user, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    owner=user,
                    key=key,
                    method=request.method,
                    path=request.path,
                    fingerprint=fingerprint,
                    state=IdempotencyRecord.State.IN_PROGRESS,
                    created_at=now,
                    expires_at=now + in_progress_lease(),
                )
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(
            owner=user, key=key, expires_at__gt=timezone.now()
        ).first()
        if existing is None:
            # The holder failed (5xx) or expired between our insert and this read: try again.
            continue
        if existing.fingerprint != fingerprint:
            return error_response(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was already used with a different request."),
            )
        if existing.state == IdempotencyRecord.State.COMPLETED:
            return replay(existing)
        return key_in_use()
    return key_in_use()


def finish(record, response: HttpResponseBase) -> None:
    """Store the response in the record, or delete the record if the response is not kept."""
    status = response.status_code
    if response.streaming or status >= 500 or status in NOT_STORED_STATUSES:
        release(record)
        return
    IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS
    ).update(
        state=IdempotencyRecord.State.COMPLETED,
        response_status=status,
        response_headers={name: response[name] for name in STORED_HEADERS if name in response},
        response_body=response.content,
        expires_at=timezone.now() + RETENTION,
    )


def release(record) -> None:
    """Delete an ``in_progress`` record so that the key can be retried."""
    try:
        IdempotencyRecord.objects.filter(
            pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS
        ).delete()
    except DatabaseError:
        # The lease ends it in a few minutes anyway.
        logger.exception("Could not release idempotency record %s", record.pk)


def replay(record) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body), status=record.response_status)
    if "Content-Type" not in record.response_headers:
        del response["Content-Type"]
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def key_in_use() -> JsonResponse:
    return error_response(
        409,
        "idempotency_key_in_use",
        _("A request with this Idempotency-Key is still being processed. Retry shortly."),
        headers={"Retry-After": "1"},
    )


def error_response(status: int, code: str, detail: str, headers=None) -> JsonResponse:
    """An error in the API's shared (drf-standardized-errors) shape."""
    return JsonResponse(
        {"type": "client_error", "errors": [{"code": code, "detail": detail, "attr": None}]},
        status=status,
        headers=headers,
    )
