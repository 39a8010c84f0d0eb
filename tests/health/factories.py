"""Factories of the health module's models."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from health.models import Facility, ServicePoint, Session
from tests.factories import AgencyFactory


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    code = factory.Sequence(lambda n: f"pkm-{n}")
    kind = Facility.Kind.PUSKESMAS
    name = factory.Sequence(lambda n: f"Puskesmas Uji {n}")
    agency = factory.SubFactory(AgencyFactory, code="dkk", name="Dinas Kesehatan", short_name="DKK")
    kecamatan = "Balikpapan Selatan"
    address = "Jl. Uji No. 1"
    latitude = -1.2650
    longitude = 116.8300


class ServicePointFactory(DjangoModelFactory):
    class Meta:
        model = ServicePoint

    facility = factory.SubFactory(FacilityFactory)
    agency = factory.SelfAttribute("facility.agency")
    kind = ServicePoint.Kind.POLYCLINIC
    code = factory.Sequence(lambda n: f"poli-{n}")
    name = "Poli Umum"


class SessionFactory(DjangoModelFactory):
    """An open session starting in two hours (inside the booking window)."""

    class Meta:
        model = Session

    service_point = factory.SubFactory(ServicePointFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=4))
    date = factory.LazyAttribute(lambda o: timezone.localdate(o.starts_at))
    quota = 30
