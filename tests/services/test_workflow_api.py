"""What modules put in their API: the reusable history and deadline serializers, and the error
shape of a refused transition."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from drf_standardized_errors.handler import exception_handler
from rest_framework.test import APIRequestFactory

from accounts.models import AgencyMembership
from services.workflow import deadline_for, deadline_start, history_for, transition_perform
from services.workflow.api.serializers import (
    WorkflowDeadlineSerializer,
    WorkflowStatusHistorySerializer,
)
from services.workflow.exceptions import InvalidTransition, TransitionNotAllowed
from tests.factories import AgencyFactory, StaffFactory, UserFactory
from tests.services.workflow_testapp import ExampleState as S
from tests.services.workflow_testapp import example_model  # noqa: F401 — a fixture

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def setting(example_model):  # noqa: F811
    agency = AgencyFactory()
    owner = UserFactory()
    officer = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=agency)
    request = example_model.objects.create(
        owner=owner, agency=agency, tracking_number="EXA-2026-000001"
    )
    return request, owner, officer


def test_the_history_serializer_shows_roles_and_labels_not_staff_names(setting):
    request, owner, officer = setting
    transition_perform(obj=request, name="submit", actor=owner)
    transition_perform(obj=request, name="approve", actor=officer, note="Selesai.")
    with translation.override("en"):
        data = WorkflowStatusHistorySerializer(
            history_for(obj=request, viewer=owner), many=True
        ).data
    rows = [dict(row) for row in data]
    for row in rows:
        assert dt.datetime.fromisoformat(row.pop("at"))
    assert rows == [
        {
            "transition": "submit",
            "from_state": "draft",
            "from_state_label": "Draft",
            "to_state": "submitted",
            "to_state_label": "Submitted",
            "actor_role": "owner",
            "actor_role_label": "Citizen",
            "note": "",
            "is_internal": False,
        },
        {
            "transition": "approve",
            "from_state": "submitted",
            "from_state_label": "Submitted",
            "to_state": "approved",
            "to_state_label": "Approved",
            "actor_role": "agency_staff",
            "actor_role_label": "Agency staff",
            "note": "Selesai.",
            "is_internal": False,
        },
    ]
    assert officer.full_name not in str(rows)


def test_the_deadline_serializer_explains_each_change(setting):
    request, _owner, _officer = setting
    start = dt.datetime(2026, 4, 10, 10, tzinfo=WITA)
    deadline_start(obj=request, agency=request.agency, days=1, now=start)
    with translation.override("en"):
        data = WorkflowDeadlineSerializer(deadline_for(obj=request)).data
    assert data["is_paused"] is False
    assert dt.datetime.fromisoformat(data["due_at"]) == dt.datetime(2026, 4, 13, 10, tzinfo=WITA)
    assert [(c["reason_code"], c["reason"]) for c in data["changes"]] == [
        ("started", "Due Monday 13 April, 10:00.")
    ]


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (InvalidTransition(), 409, "invalid_transition"),
        (TransitionNotAllowed(), 403, "transition_not_allowed"),
    ],
)
def test_refusals_have_the_shared_error_shape(error, status, code):
    request = APIRequestFactory().post("/api/v1/example/")
    with translation.override("en"):
        response = exception_handler(error, {"request": request, "view": None})
    assert response.status_code == status
    assert response.data["type"] == "client_error"
    assert [(e["code"], e["attr"]) for e in response.data["errors"]] == [(code, None)]
    assert response.data["errors"][0]["detail"]


def test_a_stranger_sees_no_history(setting):
    request, owner, _officer = setting
    transition_perform(obj=request, name="submit", actor=owner)
    assert (
        WorkflowStatusHistorySerializer(
            history_for(obj=request, viewer=UserFactory()), many=True
        ).data
        == []
    )
    assert request.state == S.SUBMITTED
