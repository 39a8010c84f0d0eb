"""The demo data, the boundary loader and the configuration check."""

import json

import pytest
from django.core.management import CommandError, call_command

from complaints import seeding
from complaints.apps import check_config
from complaints.models import Boundary, Complaint
from complaints.workflow import State
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_complaints_in_several_states(seeded, monkeypatch):
    monkeypatch.setattr(seeding, "GENERATED_COUNT", 20)
    UserFactory(email="warga@demo.balikpapan.test")
    assert seeding.seed_demo_complaints(password="x") == 30  # 7 + 20 generated + 3 without account
    states = set(Complaint.objects.values_list("state", flat=True))
    assert {
        State.RECEIVED,
        State.ASSIGNED,
        State.IN_PROGRESS,
        State.RESOLVED,
        State.CLOSED,
        State.REJECTED,
    } <= states
    assert seeding.seed_demo_complaints(password="x") == 0  # idempotent
    assert Complaint.objects.count() == 30
    assert Complaint.objects.filter(reporter__isnull=True).count() == 3
    assert Complaint.objects.filter(outside_body__isnull=False).count() == 2
    months = {c.strftime("%Y-%m") for c in Complaint.objects.values_list("created_at", flat=True)}
    assert len(months) >= 3  # spread over half a year


def test_the_boundary_needs_source_and_licence(seeded, tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text(
        json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})
    )
    with pytest.raises(CommandError):
        call_command("load_complaint_boundary", str(path))
    call_command("load_complaint_boundary", str(path), source="BIG 2025", licence="CC-BY 4.0")
    active = Boundary.objects.get(is_active=True)
    assert (active.source, active.licence, active.is_approximation) == (
        "BIG 2025",
        "CC-BY 4.0",
        False,
    )
    assert Boundary.objects.count() == 2


def test_check_config(seeded):
    assert check_config() == []
    Boundary.objects.update(is_active=False)
    assert check_config() == [
        "No city boundary is loaded: run `manage.py load_complaint_boundary <file.geojson>`."
    ]
