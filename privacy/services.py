"""Writes of the data-subject rights (UU No. 27/2022): export, correction, erasure, retention.

Every interface (API, portal, admin, tasks) calls these. What each module holds about a person is
not known here: it comes from the contributors of :mod:`privacy.registry`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
import uuid as uuid_lib
import zipfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import identifiers
from accounts.models import User
from privacy import registry
from privacy.exceptions import (
    CorrectionDecided,
    CorrectionNotAllowed,
    CorrectionPending,
    ErasureRefused,
    ExportGone,
    ExportNotReady,
    ExportPending,
    ExportQuotaExceeded,
)
from privacy.models import (
    ANSWER_WITHIN,
    CorrectionEvent,
    CorrectionRequest,
    ErasureRecord,
    ExportRequest,
)

logger = logging.getLogger(__name__)

EXPORT_DIR = "privacy-exports"
EXPORT_FORMAT_VERSION = 1
# A download is copied out of the storage before the stored file is deleted: up to this much in
# memory, the rest in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def export_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.PRIVACY_EXPORT_TTL_HOURS)


# --- export ------------------------------------------------------------------------------------


@transaction.atomic
def export_request_create(*, user: User) -> ExportRequest:
    """Ask for an export of everything held about ``user``; a task builds it.

    One export is prepared at a time (409 ``export_pending``) and at most
    ``PRIVACY_EXPORTS_PER_DAY`` are asked for in 24 hours (429 with ``Retry-After``)."""
    User.objects.select_for_update().filter(pk=user.pk).exists()  # one request at a time
    if ExportRequest.objects.filter(user=user, state=ExportRequest.State.PENDING).exists():
        raise ExportPending(_("Your previous export is still being prepared. Please wait for it."))
    now = timezone.now()
    recent = list(
        ExportRequest.objects.filter(user=user, created_at__gt=now - dt.timedelta(days=1))
        .order_by("created_at")
        .values_list("created_at", flat=True)[: settings.PRIVACY_EXPORTS_PER_DAY]
    )
    if len(recent) >= settings.PRIVACY_EXPORTS_PER_DAY:
        wait = int((recent[0] + dt.timedelta(days=1) - now).total_seconds()) + 1
        raise ExportQuotaExceeded(
            _("You have asked for %(count)d exports in the last 24 hours. Please try later.")
            % {"count": settings.PRIVACY_EXPORTS_PER_DAY},
            wait=max(wait, 1),
        )
    try:
        with transaction.atomic():
            export = ExportRequest.objects.create(user=user, created_at=now)
    except IntegrityError as exc:  # a concurrent request won the "one pending" constraint
        raise ExportPending(_("Your previous export is still being prepared.")) from exc

    def queue() -> None:
        from privacy.tasks import build_export

        build_export.delay(export.pk)

    transaction.on_commit(queue)
    return export


def export_collect(*, user: User) -> dict:
    """``data.json``: every contributor's part, keyed by its section."""
    data: dict = {
        "format_version": EXPORT_FORMAT_VERSION,
        "generated_at": timezone.now(),
        "controller": "Pemerintah Kota Balikpapan — Balikpapan Untuk Warga",
        "sections": {},
    }
    for contributor in registry.contributors():
        if contributor.export is not None:
            data["sections"][contributor.section] = contributor.export(user)
    return data


def export_build(*, export_id: int) -> ExportRequest | None:
    """Build the ZIP of a pending export: ``data.json`` and ``files/<section>/…``."""
    export = (
        ExportRequest.objects.select_related("user")
        .filter(pk=export_id, state=ExportRequest.State.PENDING)
        .first()
    )
    if export is None:
        return None
    user = export.user
    name = f"{EXPORT_DIR}/{uuid_lib.uuid4().hex}.zip"
    try:
        with tempfile.TemporaryFile() as tmp:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                data = export_collect(user=user)
                archive.writestr(
                    "data.json",
                    json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                )
                archive.writestr("README.txt", _readme())
                for contributor in registry.contributors():
                    if contributor.files is None:
                        continue
                    for arcname, field_file in contributor.files(user):
                        target_name = f"files/{contributor.section}/{arcname}"
                        try:
                            source = field_file.storage.open(field_file.name, "rb")
                        except OSError:  # a row whose file is gone: the rest still goes out
                            logger.warning(
                                "Export %s: a %s file is missing", export.pk, contributor.section
                            )
                            continue
                        with source, archive.open(target_name, "w", force_zip64=True) as target:
                            for chunk in iter(lambda s=source: s.read(64 * 1024), b""):
                                target.write(chunk)
            size = tmp.tell()
            tmp.seek(0)
            stored = default_storage.save(name, File(tmp, name=name))
    except Exception:
        # No personal data in the log: the id of the export is enough to find it.
        logger.exception("Building personal data export %s failed", export.pk)
        ExportRequest.objects.filter(pk=export.pk).update(state=ExportRequest.State.FAILED)
        return None
    now = timezone.now()
    updated = ExportRequest.objects.filter(pk=export.pk, state=ExportRequest.State.PENDING).update(
        state=ExportRequest.State.READY,
        file=stored,
        size=size,
        ready_at=now,
        expires_at=now + export_ttl(),
    )
    if not updated:  # the account was erased meanwhile, or the export expired: drop the file
        default_storage.delete(stored)
        return None
    export.refresh_from_db()
    from services.notifications import notify

    notify(
        recipient=user,
        event="privacy_request",
        key=f"privacy:export:{export.uuid}:ready",
        topic="transactional",
        context={
            "title": gettext_lazy("your data is ready"),
            "message": gettext_lazy(
                "The copy of your personal data you asked for is ready. You can download it once, "
                "until %(expires)s."
            )
            % {"expires": date_format(timezone.localtime(export.expires_at), "DATETIME_FORMAT")},
            "portal_link": reverse("portal:privacy"),
        },
    )
    return export


def _readme() -> str:
    return _(
        "This archive holds the personal data Balikpapan Untuk Warga keeps about you "
        "(UU No. 27/2022, art. 7). data.json lists it by module; the files folder holds the "
        "documents you uploaded. Keep it safe: it contains your NIK."
    )


def export_take(*, export: ExportRequest):
    """Hand out the export's file once: answer an open file, mark it downloaded and delete the
    stored file after commit. Afterwards, and after ``expires_at``, 410 ``export_gone``."""
    with transaction.atomic():
        export = ExportRequest.objects.select_for_update().get(pk=export.pk)
        now = timezone.now()
        if export.state == ExportRequest.State.READY and export.expires_at <= now:
            _expire(export)  # committed before the 410 below
        spool = None
        if export.state == ExportRequest.State.READY:
            # Closed by the FileResponse that streams it.
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
            with default_storage.open(export.file, "rb") as source:
                for chunk in iter(lambda: source.read(64 * 1024), b""):
                    spool.write(chunk)
            spool.seek(0)
            name = export.file
            export.state = ExportRequest.State.DOWNLOADED
            export.downloaded_at = now
            export.file = ""
            export.save(update_fields=["state", "downloaded_at", "file"])
            transaction.on_commit(lambda: default_storage.delete(name))
    if spool is not None:
        return spool
    if export.state == ExportRequest.State.PENDING:
        raise ExportNotReady(_("Your export is still being prepared."))
    raise ExportGone(
        _("This export is no longer available: it is served once and only for %(hours)d hours.")
        % {"hours": settings.PRIVACY_EXPORT_TTL_HOURS}
    )


def _expire(export: ExportRequest) -> None:
    name = export.file
    export.state = ExportRequest.State.EXPIRED
    export.file = ""
    export.save(update_fields=["state", "file"])
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def exports_purge(*, now: dt.datetime) -> dict[str, int]:
    """Expired exports lose their file; exports stuck in preparation for a day have failed."""
    expired = 0
    for export in ExportRequest.objects.filter(
        state=ExportRequest.State.READY, expires_at__lte=now
    ).only("pk", "file", "state"):
        with transaction.atomic():
            _expire(export)
        expired += 1
    failed = ExportRequest.objects.filter(
        state=ExportRequest.State.PENDING, created_at__lt=now - dt.timedelta(days=1)
    ).update(state=ExportRequest.State.FAILED)
    return {"exports_expired": expired, "exports_failed": failed}


# --- correction --------------------------------------------------------------------------------


def _correction_agency():
    from services.models import Agency

    return Agency.objects.filter(code=settings.PRIVACY_CORRECTION_AGENCY_CODE).first()


def _normalise_correction(*, user: User, field: str, value: str) -> tuple[str, str]:
    """``(requested_value, requested_nik_sealed)`` for ``field``; refuses a value that is invalid
    or already recorded."""
    from rest_framework.exceptions import ValidationError

    from services.models import Kelurahan

    value = (value or "").strip()
    Field = CorrectionRequest.Field
    if field == Field.FULL_NAME:
        value = " ".join(value.split())
        if not value or len(value) > 150:
            raise ValidationError(
                {"value": [_("Enter the name as on your KTP-el (1–150 characters).")]}
            )
        if value == user.full_name:
            raise ValidationError(
                {"value": [_("This is already your recorded name.")]}, code="correction_unchanged"
            )
        return value, ""
    if field == Field.NIK:
        try:
            identifiers.validate_nik(value)
        except Exception as exc:
            raise ValidationError(
                {"value": [_("Enter a valid 16-digit NIK.")]}, code="invalid"
            ) from exc
        if identifiers.digest(value) == user.nik_digest:
            raise ValidationError(
                {"value": [_("This is already your recorded NIK.")]}, code="correction_unchanged"
            )
        return "", identifiers.seal(value)
    if field == Field.HOME_KELURAHAN:
        kelurahan = Kelurahan.objects.filter(code=value).first()
        if kelurahan is None:
            raise ValidationError(
                {"value": [_("Choose a kelurahan from the list.")]}, code="invalid"
            )
        if kelurahan.pk == user.home_kelurahan_id:
            raise ValidationError(
                {"value": [_("This is already your recorded kelurahan.")]},
                code="correction_unchanged",
            )
        return kelurahan.code, ""
    raise ValidationError(
        {"field": [_("This data cannot be corrected here.")]}, code="invalid_choice"
    )


@transaction.atomic
def correction_create(*, user: User, field: str, value: str, reason: str) -> CorrectionRequest:
    """A citizen asks to correct identity data; staff of the verifying agency (Disdukcapil)
    answer within 3 × 24 hours (UU PDP art. 6 and 30)."""
    from rest_framework.exceptions import ValidationError

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Say briefly why the data is wrong.")]}, code="required"
        )
    requested_value, sealed = _normalise_correction(user=user, field=field, value=value)
    User.objects.select_for_update().filter(pk=user.pk).exists()
    if CorrectionRequest.objects.filter(
        user=user, field=field, state=CorrectionRequest.State.PENDING
    ).exists():
        raise CorrectionPending(_("A correction of this data is already waiting for verification."))
    agency = _correction_agency()
    if agency is None:
        raise CorrectionPending(
            _("Corrections cannot be received right now. Please visit an MPP counter."),
            code="correction_unavailable",
        )
    now = timezone.now()
    correction = CorrectionRequest.objects.create(
        user=user,
        agency=agency,
        field=field,
        requested_value=requested_value,
        requested_nik_sealed=sealed,
        reason=reason[:2000],
        created_at=now,
        due_at=now + ANSWER_WITHIN,
    )
    CorrectionEvent.objects.create(
        request=correction, action=CorrectionEvent.Action.REQUESTED, actor=user, at=now
    )
    _notify_correction(
        correction,
        gettext_lazy("correction received"),
        gettext_lazy(
            "We received your request to correct your %(field)s. Disdukcapil staff will answer "
            "by %(due)s."
        ),
    )
    return correction


def _notify_correction(correction: CorrectionRequest, title, message) -> None:
    from services.notifications import notify

    notify(
        recipient=correction.user,
        event="privacy_request",
        key=f"privacy:correction:{correction.uuid}:{correction.state}",
        topic="transactional",
        context={
            "title": title,
            "message": message
            % {
                "field": correction.get_field_display(),
                "due": date_format(timezone.localtime(correction.due_at), "DATETIME_FORMAT"),
                "note": correction.decision_note,
            },
            "portal_link": reverse("portal:privacy"),
        },
    )


def may_decide_correction(*, actor: User, correction: CorrectionRequest) -> bool:
    """Superusers, and staff of the verifying agency who may manage NIKs (counter officers and
    agency admins of Disdukcapil)."""
    from accounts.selectors import is_staff_of

    if not (actor.is_active and actor.is_staff):
        return False
    if actor.is_superuser:
        return True
    return is_staff_of(actor, correction.agency_id) and actor.has_perm("accounts.verify_nik")


@transaction.atomic
def correction_decide(
    *, actor: User, correction: CorrectionRequest, approve: bool, note: str = ""
) -> CorrectionRequest:
    """Approve (the change is applied through ``accounts.services.user_update_profile``) or
    reject (a reason is required) a correction; the citizen is notified either way."""
    from rest_framework.exceptions import ValidationError

    from accounts.services import user_update_profile
    from services.models import Kelurahan

    if not may_decide_correction(actor=actor, correction=correction):
        raise CorrectionNotAllowed(_("Only staff of the verifying agency may decide this."))
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if correction.state != CorrectionRequest.State.PENDING:
        raise CorrectionDecided(_("This request has been decided already."))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": [_("Give the reason for the rejection.")]}, code="required")
    now = timezone.now()
    if approve:
        Field = CorrectionRequest.Field
        if correction.field == Field.FULL_NAME:
            change = {"full_name": correction.requested_value}
        elif correction.field == Field.NIK:
            change = {"nik": identifiers.unseal(correction.requested_nik_sealed)}
        else:
            change = {"home_kelurahan": Kelurahan.objects.get(code=correction.requested_value)}
        user_update_profile(actor=actor, user=correction.user, **change)
        correction.state = CorrectionRequest.State.APPROVED
        action = CorrectionEvent.Action.APPROVED
    else:
        correction.state = CorrectionRequest.State.REJECTED
        action = CorrectionEvent.Action.REJECTED
    correction.decided_at = now
    correction.decided_by = actor
    correction.decision_note = note[:2000]
    # The requested NIK is not kept once decided: the account has it, or it was refused.
    correction.requested_nik_sealed = ""
    correction.save(
        update_fields=["state", "decided_at", "decided_by", "decision_note", "requested_nik_sealed"]
    )
    CorrectionEvent.objects.create(
        request=correction, action=action, actor=actor, note=note, at=now
    )
    if approve:
        _notify_correction(
            correction,
            gettext_lazy("correction applied"),
            gettext_lazy("Your %(field)s has been corrected as you asked."),
        )
    else:
        _notify_correction(
            correction,
            gettext_lazy("correction rejected"),
            gettext_lazy("Your request to correct your %(field)s was rejected: %(note)s"),
        )
    return correction


# --- erasure -----------------------------------------------------------------------------------


def erasure_blockers(*, user: User) -> list[str]:
    """Why ``user``'s account cannot be erased now (empty: it can)."""
    reasons = []
    if user.is_staff or user.is_superuser:
        reasons.append(_("Staff accounts are closed by their agency's administrator."))
    for contributor in registry.contributors():
        if contributor.blocks is not None:
            reason = contributor.blocks(user)
            if reason:
                reasons.append(str(reason))
    return reasons


@transaction.atomic
def account_erase(*, user: User) -> ErasureRecord:
    """Erase ``user``: every module erases or de-links what it holds, then the account is emptied
    into an anonymous, inactive row that records the law requires to keep (payments, issued
    documents) still point at. One transaction: all of it or nothing."""
    user = User.objects.select_for_update().get(pk=user.pk)
    reasons = erasure_blockers(user=user)
    if reasons:
        code = "staff_account" if user.is_staff or user.is_superuser else "open_requests"
        raise ErasureRefused(" ".join(reasons), code=code)
    counts: dict[str, dict[str, int]] = {}
    for contributor in registry.contributors():
        if contributor.erase is not None:
            counts[contributor.section] = contributor.erase(user) or {}
    _empty_account(user)
    return ErasureRecord.objects.create(account_id=user.pk, counts=counts)


def _empty_account(user: User) -> None:
    user.full_name = ""
    user.email = None
    user.phone = None
    user.phone_verified = False
    user.set_nik(None)
    user.nik_verified_at = None
    user.nik_verified_by = None
    user.home_kelurahan = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.uuid = uuid_lib.uuid4()  # the old one is in links, tokens and notification keys
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


# --- retention ---------------------------------------------------------------------------------


def retention_purge(*, now: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """The daily sweep: each module's purge (abandoned drafts, old conversations), then expired
    exports. Each module's part is its own transaction, so one failing does not stop the rest."""
    now = now or timezone.now()
    result: dict[str, dict[str, int]] = {}
    for contributor in registry.contributors():
        if contributor.purge is None:
            continue
        try:
            with transaction.atomic():
                result[contributor.section] = contributor.purge(now) or {}
        except Exception:
            logger.exception("Retention purge of %s failed", contributor.section)
    result["privacy"] = exports_purge(now=now)
    return result
