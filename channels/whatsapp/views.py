"""The WhatsApp Cloud API webhook (``WHATSAPP_WEBHOOK_PATH``).

GET: Meta's verification handshake — 200 with the raw ``hub.challenge`` when the mode is
``subscribe`` and the token matches, else 403 (400 without a challenge).
POST: the signature (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body with the app secret) is
checked before anything is parsed; bad or missing → 401 and nothing is stored. Then the messages
are stored and processed by Celery, so the answer is fast. Plain Django view: Meta's protocol,
not part of this API's schema; errors still use the shared error shape.
"""

from __future__ import annotations

import json
import logging

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from channels.whatsapp import services

logger = logging.getLogger(__name__)


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "client_error", "errors": [{"code": code, "detail": detail, "attr": None}]},
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request):
    if request.method == "GET":
        challenge = request.GET.get("hub.challenge")
        if not challenge:
            return _error(400, "challenge_missing", _("hub.challenge is missing."))
        if not services.verify_token_valid(
            mode=request.GET.get("hub.mode"), token=request.GET.get("hub.verify_token")
        ):
            return _error(403, "verify_token_invalid", _("The verify token does not match."))
        return HttpResponse(challenge, content_type="text/plain")
    body = request.body
    if not services.signature_valid(body=body, header=request.headers.get("X-Hub-Signature-256")):
        logger.warning("WhatsApp webhook refused: bad or missing signature.")
        return _error(401, "signature_invalid", _("The signature is missing or not valid."))
    try:
        payload = json.loads(body)
        counts = services.deliveries_store(payload=payload)
    except (ValueError, services.PayloadInvalid):
        return _error(400, "payload_invalid", _("The payload is not a WhatsApp webhook payload."))
    return JsonResponse(counts)
