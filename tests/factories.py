"""factory-boy factories shared by the whole suite."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import AgencyMembership, Delegation, Household, HouseholdMember, User
from services.models import Agency, Kecamatan, Kelurahan

PASSWORD = "Sandi-Uji-2026!"
KK = "6471052003150004"  # test-vectors §6: area 64.71.05, recorded 2015-03-20, serial 0004


def _seal_nik(obj, create: bool, nik: str | None) -> None:
    """``Factory(nik="…")`` seals the NIK the way the model does, then saves once."""
    if nik:
        obj.set_nik(nik)
    if create:
        obj.save()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Faker("name", locale="id_ID")
    email = factory.Sequence(lambda n: f"warga{n}@example.test")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    phone_verified = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    nik = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _seal_nik(obj, create, extracted)
    )


class KecamatanFactory(DjangoModelFactory):
    class Meta:
        model = Kecamatan
        django_get_or_create = ("code",)

    code = "64.71.05"
    name = "Balikpapan Selatan"


class KelurahanFactory(DjangoModelFactory):
    class Meta:
        model = Kelurahan
        django_get_or_create = ("code",)

    kecamatan = factory.SubFactory(KecamatanFactory)
    code = "64.71.05.1002"
    name = "Sepinggan"
    postal_code = "76115"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"opd-{n}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DU{n}")
    kind = Agency.Kind.DINAS


class StaffFactory(UserFactory):
    """Staff with an authenticator app activated (``TOTP_SECRET``), as staff must have
    (``accounts.mfa``); ``StaffFactory(totp=False)`` for one without."""

    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            agency = kwargs.get("agency") or AgencyFactory()
            AgencyMembership.objects.create(user=self, agency=agency, role=extracted)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            activate_totp(self)


# The authenticator app of test staff (base32, as allauth stores it); ``totp_code()`` is its code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def activate_totp(user, secret: str = TOTP_SECRET):
    """Give ``user`` an activated authenticator app with ``secret`` (idempotent)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    authenticator, _ = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
    return authenticator


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The authenticator app's current code. Waits out the last second of a 30 s step, so that the
    code is still current when the server checks it."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if 30 - time.time() % 30 < 1.5:
        time.sleep(1.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    recorded_by = factory.SubFactory(UserFactory)
    address = "Jl. Jenderal Sudirman No. 1"
    kelurahan = factory.SubFactory(KelurahanFactory)

    @factory.post_generation
    def kk_number(self, create, extracted, **kwargs):
        self.set_kk_number(extracted or KK)
        if create:
            self.save()


class HouseholdMemberFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdMember
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Faker("name", locale="id_ID")
    relationship = HouseholdMember.Relationship.CHILD
    sex = HouseholdMember.Sex.MALE
    birth_date = dt.date(2015, 1, 1)
    nik = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _seal_nik(obj, create, extracted)
    )


class DelegationFactory(DjangoModelFactory):
    class Meta:
        model = Delegation

    grantor = factory.SubFactory(UserFactory)
    grantee = factory.SubFactory(UserFactory)
    service_codes = factory.LazyFunction(lambda: ["*"])
    valid_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    consent_text = "Saya memberi kuasa …"
    consented_at = factory.SelfAttribute("valid_from")


def record_mfa_step(session, user) -> None:
    """Record in ``session`` the MFA step allauth records when a code of staff ``user`` is accepted
    (``user`` gets an authenticator app if it has none): what a real sign-in of staff leaves
    behind (``accounts.mfa``). tests/accounts/test_mfa.py tests the real flows."""
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str

    authenticator = activate_totp(user)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"}
    ]
    session["account_authentication_methods_user"] = user_id_to_str(user)


def mark_mfa_passed(client, user) -> None:
    """``client``'s cookie session (after ``force_login``) passed staff ``user``'s MFA step."""
    from accounts.mfa import requires_mfa

    if requires_mfa(user):
        session = client.session
        record_mfa_step(session, user)
        session.save()


def mfa_token_session(user):
    """For ``APIClient.force_authenticate(user, token=…)``: an in-memory session that passed
    staff ``user``'s MFA step, standing for the app client's ``X-Session-Token`` session (which
    DRF's ``request.auth`` is), without a cookie or a database row."""
    from importlib import import_module

    from django.conf import settings

    from accounts.mfa import requires_mfa

    if not requires_mfa(user):
        return None
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    record_mfa_step(session, user)
    return session
