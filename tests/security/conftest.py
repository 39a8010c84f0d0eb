from collections import Counter

import pytest

from accounts.models import AgencyMembership
from tests.civil_registry.conftest import english, private_root  # noqa: F401  (autouse)
from tests.factories import AgencyFactory, StaffFactory, UserFactory


@pytest.fixture
def citizen_a(db):
    return UserFactory(full_name="Siti Rahmawati", nik="6471054107990042")


@pytest.fixture
def citizen_b(db):
    return UserFactory(full_name="Budi Calo", nik="6471051508900001")


@pytest.fixture
def agency_y(db):
    return AgencyFactory(code="opd-lain", name="Dinas Lain", short_name="DL")


@pytest.fixture
def staff_y(agency_y):
    return StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=agency_y)


# What tests/security/test_schemathesis.py generated, by phase (printed at the end of the run,
# for the numbers in docs/security.md).
SCHEMATHESIS_CASES: Counter = Counter()


def pytest_terminal_summary(terminalreporter):
    if SCHEMATHESIS_CASES:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(SCHEMATHESIS_CASES.items()))
        terminalreporter.write_line(f"schemathesis cases: {counts}")
