"""What ``accounts`` holds about a person, for the data-subject rights (see :mod:`privacy.registry`):
the profile, households, delegations, actions on someone's behalf, consents, the log of staff
views, and the sign-in records of allauth (e-mail addresses, sessions, tokens, authenticators)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from accounts.models import Delegation, Household, HouseholdMember, ProxyAction, User
from privacy import registry
from privacy.helpers import rows


def _model(label: str):
    """A model another part of the project may or may not have yet (consents, access log, MFA)."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def export(user: User) -> dict:
    profile = {
        "uuid": user.uuid,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "phone_verified": user.phone_verified,
        # The citizen's own NIK is theirs to have in full (UU PDP art. 7).
        "nik": user.nik,
        "nik_verified_at": user.nik_verified_at,
        "birth_date": user.birth_date,
        "home_kelurahan": user.home_kelurahan.name if user.home_kelurahan_id else None,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    households = []
    for household in (
        Household.objects.filter(Q(members__user=user) | Q(recorded_by=user))
        .distinct()
        .select_related("kelurahan")
        .prefetch_related("members")
    ):
        households.append(
            {
                "uuid": household.uuid,
                "kk_number": household.kk_number,
                "address": household.address,
                "kelurahan": household.kelurahan.name if household.kelurahan_id else None,
                "confirmed_at": household.confirmed_at,
                "members": [
                    {
                        "full_name": m.full_name,
                        "relationship": m.relationship,
                        "sex": m.sex,
                        "birth_date": m.birth_date,
                        "nik": m.nik,
                        "is_me": m.user_id == user.pk,
                    }
                    for m in household.members.all()
                ],
            }
        )
    delegation_fields = [
        "uuid",
        "grantor__full_name",
        "grantee__full_name",
        "service_codes",
        "valid_from",
        "valid_until",
        "consent_text",
        "consented_at",
        "revoked_at",
    ]
    data = {
        "profile": profile,
        "email_addresses": rows(
            _model("account.EmailAddress").objects.filter(user=user),
            ["email", "verified", "primary"],
        ),
        "households": households,
        "delegations_given": rows(Delegation.objects.filter(grantor=user), delegation_fields),
        "delegations_received": rows(Delegation.objects.filter(grantee=user), delegation_fields),
        "actions_on_my_behalf": rows(
            ProxyAction.objects.filter(subject_user=user),
            ["uuid", "actor__full_name", "basis", "service_code", "description", "at"],
        ),
        "actions_i_took_for_others": rows(
            ProxyAction.objects.filter(actor=user),
            ["uuid", "subject_name", "basis", "service_code", "description", "at"],
        ),
        "sessions": rows(
            _model("usersessions.UserSession").objects.filter(user=user),
            ["ip", "user_agent", "created_at", "last_seen_at"],
        ),
    }
    consent = _model("accounts.ConsentRecord")
    if consent is not None:
        data["consents"] = rows(
            consent.objects.filter(user=user),
            ["purpose", "object_ref", "granted", "detail", "text_version", "source", "at"],
        )
    access_log = _model("accounts.AccessLogEntry")
    if access_log is not None:
        data["staff_views_of_my_data"] = rows(
            access_log.objects.filter(subject=user),
            ["staff_name", "agency__name", "object_type", "object_ref", "reason", "channel", "at"],
        )
    return data


def erase(user: User) -> dict[str, int]:
    """Households the person recorded alone go; in a household shared with other accounts only
    their own member row goes. Delegations both ways and actions done for them go; actions they
    took for others stay with the others (the actor is the emptied account). Sign-in records go."""
    counts: dict[str, int] = {}
    households = Household.objects.filter(Q(members__user=user) | Q(recorded_by=user)).distinct()
    shared = set(
        HouseholdMember.objects.filter(household__in=households, user__isnull=False)
        .exclude(user=user)
        .values_list("household_id", flat=True)
    )
    own = [h.pk for h in households.only("pk") if h.pk not in shared]
    counts["households"] = Household.objects.filter(pk__in=own).delete()[0]
    counts["household_members"] = HouseholdMember.objects.filter(user=user).delete()[0]
    counts["delegations"] = Delegation.objects.filter(Q(grantor=user) | Q(grantee=user)).delete()[0]
    counts["actions_on_behalf"] = ProxyAction.objects.filter(subject_user=user).delete()[0]
    _end_sessions(user)
    for label, field in (
        ("account.EmailAddress", "user"),
        ("usersessions.UserSession", "user"),
        ("allauth_idp_oidc.Token", "user"),
        ("mfa.Authenticator", "user"),
        ("balikpapan_untuk_warga.IdempotencyRecord", "owner"),  # stored answers hold personal data
    ):
        model = _model(label)
        if model is not None:
            counts[label] = model.objects.filter(**{field: user}).delete()[0]
    # The admin's change history names the person in its texts.
    log_entry = _model("admin.LogEntry")
    counts["admin_log"] = log_entry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr="—", change_message="")
    # Consent records stay with the emptied account: they hold no personal data, and they are the
    # proof that past processing had a lawful basis (UU PDP art. 22(5)).
    return counts


def _end_sessions(user: User) -> None:
    """Every signed-in session of the person (browser and app alike) ends now: allauth's
    ``UserSession`` rows know their session keys, so no scan of the session store is needed."""
    model = _model("usersessions.UserSession")
    if model is None:
        return
    for session in model.objects.filter(user=user):
        session.end()  # deletes the session from the store, then the row


registry.register("account", export=export, erase=erase, order=900)
