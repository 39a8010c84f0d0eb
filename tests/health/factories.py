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


def mpp_with_hourly_sessions(*, hours: int = 5, agency=None) -> dict:
    """An MPP with a Disdukcapil and a BPJS counter (BPJS needs the KK update at Disdukcapil
    first) and hourly sessions of 5 places each from the next full hour: ``{"dukcapil",
    "bpjs", "slots": {(counter code, hour): session}}``."""
    facility = FacilityFactory(
        kind="mpp", name="MPP Balikpapan", **({"agency": agency} if agency else {})
    )
    dukcapil = ServicePointFactory(
        facility=facility,
        agency=AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Dukcapil"),
        kind="counter",
        code="disdukcapil",
        name="Loket Disdukcapil",
    )
    bpjs = ServicePointFactory(
        facility=facility,
        agency=AgencyFactory(code="bpjs-kesehatan", name="BPJS", short_name="BPJS"),
        kind="counter",
        code="bpjs",
        name="Loket BPJS",
    )
    bpjs.prerequisites.add(dukcapil)
    start = (timezone.now() + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    slots = {}
    for point in (dukcapil, bpjs):
        for hour in range(hours):
            starts_at = start + dt.timedelta(hours=hour)
            slots[(point.code, hour)] = SessionFactory(
                service_point=point,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=1),
                date=timezone.localdate(starts_at),
                quota=5,
            )
    return {"dukcapil": dukcapil, "bpjs": bpjs, "slots": slots, "start": start}
