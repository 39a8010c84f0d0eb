"""Consent to optional processing (UU PDP No. 27/2022): the texts, their versions, and the
append-only record of every grant and withdrawal.

The texts are kept here literally in Indonesian and English, not in the gettext catalog: what a
citizen agreed to is evidence and must not change when a translator edits the catalog. A change of
wording needs a new ``version``; ``PUBLISHED_DIGESTS`` pins the digest of every version ever
shown, and a test fails when a text changes under an old version.

Who acts on a consent: a purpose may have a *handler*, registered by the app that does the
processing (``register_handler`` in its ``AppConfig.ready``), so that a withdrawal through
``/api/v1/me/consents/`` or the portal also stops the processing (notifications stop, public
complaint photos are deleted) without accounts knowing those apps.

=============================  ====  ===================================================
code                           HTTP  meaning
=============================  ====  ===================================================
``consent_version_outdated``   409   the version shown is not the current one (reload the text)
``consent_purpose``            400   no such purpose (the API's input serializer says so first)
``consent_object_required``    400   the purpose is per object and no ``object_ref`` was given
``consent_object_not_allowed`` 400   an ``object_ref`` for a purpose that is not per object
``consent_not_found``          404   the object is not the citizen's (or does not exist)
``consent_grant_elsewhere``    400   this consent is granted where the choice is made (e.g. by
                                     choosing notification topics), not here
=============================  ====  ===================================================
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import ConsentRecord, User
from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError

Purpose = ConsentRecord.Purpose
Source = ConsentRecord.Source


class ConsentVersionOutdated(ConflictError):
    default_code = "consent_version_outdated"
    default_detail = _("The consent text has changed; read the current version and try again.")


class ConsentInvalid(ApplicationError):
    default_code = "consent_invalid"


class ConsentObjectNotFound(ApplicationError):
    status_code = 404
    default_code = "consent_not_found"
    default_detail = _("No such object of yours.")


@dataclass(frozen=True)
class ConsentText:
    version: str
    text_id: str
    text_en: str
    per_object: bool = False  # the consent is given for one object (``object_ref``)

    @property
    def digest(self) -> str:
        return text_digest(self.text_id, self.text_en)

    def text(self, language: str | None = None) -> str:
        return (
            self.text_en if (language or get_language() or "id").startswith("en") else self.text_id
        )


def text_digest(text_id: str, text_en: str) -> str:
    return hashlib.sha256(f"{text_id}\n\n{text_en}".encode()).hexdigest()


def _notification_text(channel_id: str, channel_en: str, data_id: str, data_en: str) -> ConsentText:
    return ConsentText(
        version="2026-11-1",
        text_id=(
            f"Saya setuju Pemerintah Kota Balikpapan mengirimkan pemberitahuan tentang topik yang "
            f"saya pilih melalui {channel_id}. Untuk itu {data_id} saya diproses oleh penyedia "
            f"layanan pengiriman. Persetujuan ini dapat saya tarik kapan saja dengan mematikan "
            f"semua topik pada saluran ini."
        ),
        text_en=(
            f"I agree that the City Government of Balikpapan sends me notifications about the "
            f"topics I choose by {channel_en}. For this, my {data_en} is processed by the "
            f"delivery provider. I can withdraw this consent at any time by turning off every "
            f"topic on this channel."
        ),
    )


TEXTS: dict[str, ConsentText] = {
    Purpose.NOTIFICATIONS_EMAIL: _notification_text(
        "email", "email", "alamat email", "email address"
    ),
    Purpose.NOTIFICATIONS_SMS: _notification_text("SMS", "SMS", "nomor telepon", "phone number"),
    Purpose.NOTIFICATIONS_WHATSAPP: _notification_text(
        "WhatsApp", "WhatsApp", "nomor telepon", "phone number"
    ),
    Purpose.NOTIFICATIONS_PUSH: _notification_text(
        "notifikasi push di perangkat saya",
        "push notifications on my devices",
        "token perangkat",
        "device token",
    ),
    Purpose.COMPLAINT_PUBLIC_PHOTO: ConsentText(
        version="2026-11-1",
        per_object=True,
        text_id=(
            "Saya mengizinkan salinan foto pengaduan saya ditampilkan untuk umum setelah wajah dan "
            "pelat nomor kendaraan disamarkan secara otomatis. Foto asli hanya dilihat petugas. "
            "Saya dapat menarik izin ini kapan saja; salinan publik akan dihapus paling lambat "
            "3 × 24 jam."
        ),
        text_en=(
            "I allow copies of my complaint photos to be shown publicly after faces and licence "
            "plates are blurred automatically. The original photos are seen by staff only. I can "
            "withdraw this permission at any time; the public copies are then deleted within "
            "3 × 24 hours."
        ),
    ),
}

# (purpose, version) → digest of every text ever published. Add a line with each new version;
# never edit one (tests/accounts/test_consent.py checks the current texts against it).
PUBLISHED_DIGESTS: dict[tuple[str, str], str] = {
    ("notifications_email", "2026-11-1"): (
        "2a67b142ec1239b20cb994d72836fda7e1631a3b0ade9a9d7cf42d895269f3fe"
    ),
    ("notifications_sms", "2026-11-1"): (
        "dc4dee0d5c6c0100ea6434bf6602da74877080b45b192d41b46800eaf52c8744"
    ),
    ("notifications_whatsapp", "2026-11-1"): (
        "02b00c6c41fe796e02b72556d627a2cd76d0081e47d09bf66c660142856715ce"
    ),
    ("notifications_push", "2026-11-1"): (
        "090d5820b3098ced0c15f82090ec6473f33a27e928bf8a10e6c6bc74a999e9bd"
    ),
    ("complaint_public_photo", "2026-11-1"): (
        "48bb809bbc42a7750e8d8155c1af20a450c4ae534d7059d3bb55a154469e4245"
    ),
}


# --- handlers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentHandler:
    """What the processing app does on a change made through the consent endpoints.

    ``resolve(user, object_ref)`` returns the object or raises ``ConsentObjectNotFound`` (only for
    per-object purposes); ``apply(user, granted, obj)`` stops or starts the processing inside the
    transaction that writes the record (and may raise an ``ApplicationError`` to refuse)."""

    apply: Callable
    resolve: Callable | None = None


_HANDLERS: dict[str, ConsentHandler] = {}


def register_handler(purpose: str, *, apply: Callable, resolve: Callable | None = None) -> None:
    if purpose not in TEXTS:
        raise ValueError(f"Unknown consent purpose {purpose!r}")
    _HANDLERS[purpose] = ConsentHandler(apply=apply, resolve=resolve)


# --- reads ------------------------------------------------------------------------------------


def consent_history_for(*, user: User):
    return ConsentRecord.objects.filter(user=user).order_by("-at", "-id")


def consent_current_from(records) -> list[ConsentRecord]:
    """The latest record per (purpose, object) out of ``records`` ordered newest first."""
    seen: dict[tuple[str, str], ConsentRecord] = {}
    for record in records:
        seen.setdefault((record.purpose, record.object_ref), record)
    return list(seen.values())


def consent_latest(*, user: User, purpose: str, object_ref: str = "") -> ConsentRecord | None:
    return (
        ConsentRecord.objects.filter(user=user, purpose=purpose, object_ref=object_ref)
        .order_by("-at", "-id")
        .first()
    )


# --- writes -----------------------------------------------------------------------------------


def consent_check(purpose: str, version: str | None, object_ref: str) -> ConsentText:
    text = TEXTS.get(purpose)
    if text is None:
        raise ConsentInvalid(_("Unknown purpose."), code="consent_purpose")
    if version is not None and version != text.version:
        raise ConsentVersionOutdated()
    if text.per_object and not object_ref:
        raise ConsentInvalid(
            _("Say which object this consent is for."), code="consent_object_required"
        )
    if not text.per_object and object_ref:
        raise ConsentInvalid(
            _("This consent is not given per object."), code="consent_object_not_allowed"
        )
    return text


def consent_record(
    *,
    user: User,
    purpose: str,
    granted: bool,
    source: str,
    version: str | None = None,
    object_ref: str = "",
    detail: str = "",
    only_if_changed: bool = False,
) -> ConsentRecord | None:
    """Append one record. ``version`` is the version the citizen was shown (``None``: the
    current one, for interfaces that always show the current text). ``only_if_changed`` skips
    the write when the latest record already says the same (a preferences form saved again)."""
    text = consent_check(purpose, version, object_ref)
    if only_if_changed:
        latest = consent_latest(user=user, purpose=purpose, object_ref=object_ref)
        if latest is None and not granted:
            return None  # never granted: nothing to withdraw
        if latest is not None and (latest.granted, latest.detail) == (granted, detail):
            return None
    return ConsentRecord.objects.create(
        user=user,
        purpose=purpose,
        object_ref=object_ref,
        granted=granted,
        detail=detail[:100],
        text_version=text.version,
        text_digest=text.digest,
        source=source,
        at=timezone.now(),
    )


@transaction.atomic
def consent_change(
    *,
    actor: User,
    purpose: str,
    granted: bool,
    source: str,
    version: str | None = None,
    object_ref: str = "",
) -> ConsentRecord:
    """A citizen grants or withdraws a consent through the consent endpoints or the portal: the
    processing app's handler acts (a withdrawal stops the processing at once), then the record is
    appended. Refused with nothing written on an unknown purpose, an outdated version, a missing
    or foreign object, or a handler's refusal."""
    consent_check(purpose, version, object_ref)
    handler = _HANDLERS.get(purpose)
    if handler is not None:
        obj = handler.resolve(actor, object_ref) if handler.resolve else None
        handler.apply(actor, granted, obj)
    return consent_record(
        user=actor,
        purpose=purpose,
        granted=granted,
        source=source,
        version=version,
        object_ref=object_ref,
    )
