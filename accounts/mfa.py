"""Two-factor authentication for staff: who must use it, and whether a session has.

Staff (``is_staff`` or ``is_superuser``, which includes every agency member — see
``accounts.selectors.is_agency_staff``) reach personal data of the whole city, so a stolen
password alone must not be enough. A staff session is *MFA-satisfied* when both hold:

1. the user has an active authenticator app (an allauth.mfa TOTP ``Authenticator``), and
2. the session itself passed an MFA step: allauth records every authentication step of a session
   (``allauth.account.authentication.get_authentication_records``) and writes a ``"mfa"`` record
   when a TOTP or recovery code is accepted — at login (the ``mfa_authenticate`` stage allauth
   forces on every account with TOTP), at re-authentication, and (``record_activation`` below)
   when the authenticator app is activated with a valid code in this session.

Why both: (2) alone would keep a session that passed MFA working after the authenticator was
removed; (1) alone would accept a session signed in with the password only (e.g. through the
Django admin's own login form, which knows nothing of allauth's stages).

The session is the one the request authenticated with: the ``X-Session-Token`` session of
allauth's "app" client (DRF's ``request.auth``), or the browser's cookie session.

The gate sits in one place for the API (``IsAuthenticatedWithStaffMFA``, the default permission
of every DRF view, so every non-public operation is covered, staff or shared) and one for the
admin (``accounts.mfa_middleware``). Citizens are never gated: they may opt in, and from then on
allauth asks for the code at every login.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated

MFA_REQUIRED = "mfa_required"

# Where a staff member is sent to fix it (allauth's portal pages, rendered in the portal layout).
SETUP_URL_NAME = "mfa_activate_totp"
VERIFY_URL_NAME = "mfa_reauthenticate"


def requires_mfa(user) -> bool:
    """Whether ``user`` must use two-factor authentication: active staff and superusers. No
    query: agency roles only matter for users who are ``is_staff`` already."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser)
    )


def has_active_totp(user) -> bool:
    """Whether ``user`` has an activated authenticator app. One query, then remembered on the user
    object (like ``accounts.selectors.staff_roles``) for the rest of the request."""
    cached = getattr(user, "_mfa_totp_cache", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()
        user._mfa_totp_cache = cached
    return cached


def session_passed_mfa(session, user) -> bool:
    """Whether ``session`` (of ``user``) holds allauth's record of an accepted MFA code."""
    from allauth.account.authentication import get_authentication_records

    if session is None:
        return False
    records = get_authentication_records(SimpleNamespace(session=session), user)
    return any(record.get("method") == "mfa" for record in records)


def missing_step(user, session) -> str | None:
    """What a user who must use MFA still lacks: ``"setup"`` (no authenticator app yet),
    ``"verify"`` (this session has not passed the code), or None (nothing; also for users who need
    no MFA)."""
    if not requires_mfa(user):
        return None
    if not has_active_totp(user):
        return "setup"
    if not session_passed_mfa(session, user):
        return "verify"
    return None


def forget_cached(user) -> None:
    """Drop the remembered TOTP state (after an authenticator is added or removed)."""
    if user is not None and hasattr(user, "_mfa_totp_cache"):
        del user._mfa_totp_cache


# --- the API -------------------------------------------------------------------------------------


class MFARequired(APIException):
    """403 in the shared error shape, code ``mfa_required``."""

    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _(
        "Staff accounts must sign in with two-factor authentication. Activate an authenticator "
        "app, or sign in again with its code."
    )
    default_code = MFA_REQUIRED


def _request_session(request):
    """The session the DRF request authenticated with: the app client's token session, else the
    browser's cookie session."""
    from django.contrib.sessions.backends.base import SessionBase

    if isinstance(request.auth, SessionBase):
        return request.auth
    return getattr(request._request, "session", None)


class IsAuthenticatedWithStaffMFA(IsAuthenticated):
    """DRF's ``IsAuthenticated``; and a staff member's session must be MFA-satisfied (403
    ``mfa_required`` otherwise). The project's default permission class, so no view can forget
    it; public views (``AllowAny``) show nothing staff-only."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if missing_step(request.user, _request_session(request)):
            raise MFARequired()
        return True


# --- activation counts as the MFA step of the session -------------------------------------------


def record_activation(sender, instance, created, **kwargs) -> None:
    """``post_save`` of allauth's ``Authenticator``: activating the authenticator app takes a valid
    code from it, which proves what the login step proves, so it is recorded as the MFA step of
    the session doing it (a staff member setting up 2FA goes on working without signing in
    again).

    Not allauth's ``authenticator_added`` signal: that one is sent on commit, which inside an
    outer transaction (the tests', or ``ATOMIC_REQUESTS``) comes after the view, when the headless
    app client has put its ``X-Session-Token`` session away again. allauth's request
    context (set by its middleware for every request) gives the request, whose ``session`` is the
    token session while headless handles it. Outside a request (seeding, tests' factories), and
    for someone else's authenticator, nothing is recorded."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.core import context
    from allauth.mfa.models import Authenticator

    if not created or instance.type != Authenticator.Type.TOTP:
        return
    request = context.request
    user = getattr(request, "user", None)
    if request is None or user is None or user.pk != instance.user_id:
        return
    forget_cached(user)
    record_authentication(request, user, "mfa", id=instance.pk, type=instance.type, activated=True)


def forget_on_delete(sender, instance, **kwargs) -> None:
    from allauth.core import context

    forget_cached(getattr(context.request, "user", None))


def install() -> None:
    """Connect the signal receivers (from ``AccountsConfig.ready``)."""
    from allauth.mfa.models import Authenticator
    from django.db.models.signals import post_delete, post_save

    post_save.connect(record_activation, sender=Authenticator, dispatch_uid="accounts.mfa.added")
    post_delete.connect(forget_on_delete, sender=Authenticator, dispatch_uid="accounts.mfa.gone")
