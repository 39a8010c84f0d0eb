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
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            agency = kwargs.get("agency") or AgencyFactory()
            AgencyMembership.objects.create(user=self, agency=agency, role=extracted)


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
