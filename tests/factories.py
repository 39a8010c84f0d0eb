"""factory-boy factories shared by the whole suite."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import AgencyMembership, User
from services.models import Agency, Kecamatan, Kelurahan

PASSWORD = "Sandi-Uji-2026!"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Faker("name", locale="id_ID")
    email = factory.Sequence(lambda n: f"warga{n}@example.test")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    phone_verified = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def nik(self, create, extracted, **kwargs):
        if extracted:
            self.set_nik(extracted)
        if create:
            self.save()


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
