"""One id per request, on every log line it causes — in the web process and in the tasks it queued.

The id comes from a proxy's or client's ``X-Request-ID`` when that looks like an id (so that a
load balancer's id ties its access log to ours), else a new UUID; the response echoes it. It lives
in a context variable, which :class:`balikpapan_untuk_warga.logging.RequestIdFilter` copies onto
every log record. A task published while it is set carries it in a message header and the worker
sets it again around the task, so a notification sent minutes later still names the request.
"""

from __future__ import annotations

import contextvars
import re
import uuid

from celery import signals
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
TASK_HEADER = "buw_request_id"
#: Letters, digits and ``-_.:``, 8–64 characters: what proxies generate (UUIDs, hex, Heroku/AWS
#: styles). Anything else — too long, spaces, a quoted value — could smuggle text into the logs.
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def get_request_id() -> str | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str:
    """The incoming id if it is sane, else a new one."""
    if value and _SANE.match(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    """Sets the request id for the whole request (placed first, so every other middleware's
    log lines carry it too) and answers it in ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        # Not reset on the way out: Django logs "Not Found: /…" / "Internal Server Error: /…"
        # (django.request) after the middleware returned. request_finished clears it.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="buw-request-id-clear")
def _clear_request_id(**kwargs):
    _current.set(None)


# --- Celery: carry the id from the publisher to the task ---------------------------------------


@signals.before_task_publish.connect(weak=False)
def _add_request_id_header(headers=None, **kwargs):
    request_id = _current.get()
    if request_id and headers is not None and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


def _task_request_id(task) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    value = getattr(request, TASK_HEADER, None)
    if not value:
        value = (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    return value if isinstance(value, str) and _SANE.match(value) else None


_task_tokens: dict[str, contextvars.Token] = {}


@signals.task_prerun.connect(weak=False)
def _set_task_request_id(task_id=None, task=None, **kwargs):
    # An eager task runs inside the request and keeps the id already set.
    request_id = _task_request_id(task)
    if request_id and task_id:
        _task_tokens[task_id] = _current.set(request_id)


@signals.task_postrun.connect(weak=False)
def _reset_task_request_id(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (should not happen with the solo/prefork pool)
            _current.set(None)
