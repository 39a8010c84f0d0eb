"""A concrete stateful model for the workflow tests, without a test-only app in INSTALLED_APPS.

``ExampleRequest`` is a small module model (owner, handling agency, tracking number) with the
transition table below. It is defined by :func:`example_model` when a test module starts —
registered under the ``workflow`` app label, so content types, generic relations and
``ContentType.model_class()`` work as for a real module — and its table is created with the
schema editor outside any test transaction (SQLite cannot change its schema inside one). When the
module ends, the table is dropped and the model unregistered, so no other test (and no
``makemigrations --check``) ever sees it.

Use it in a test module with::

    from tests.services.workflow_testapp import example_model  # noqa: F401 (a fixture)
"""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from accounts.models import AgencyMembership
from services.workflow import AGENCY_STAFF, OWNER, SYSTEM, Transition, Workflow

Role = AgencyMembership.Role


class ExampleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_REVISION = "needs_revision", _("Needs revision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    ARCHIVED = "archived", _("Archived")


S = ExampleState
EXAMPLE_WORKFLOW = Workflow(
    states=ExampleState,
    initial=S.DRAFT,
    closed_states=(S.APPROVED, S.REJECTED, S.CANCELLED, S.ARCHIVED),
    transitions=(
        Transition("submit", (S.DRAFT,), S.SUBMITTED, frozenset({OWNER}), label=_("Submit")),
        Transition(
            "ask_revision",
            (S.SUBMITTED,),
            S.NEEDS_REVISION,
            frozenset({AGENCY_STAFF}),
            pauses_clock=True,
            label=_("Ask for a revision"),
        ),
        Transition(
            "resubmit",
            (S.NEEDS_REVISION,),
            S.SUBMITTED,
            frozenset({OWNER}),
            resumes_clock=True,
            label=_("Send the revision"),
        ),
        Transition(
            "approve", (S.SUBMITTED,), S.APPROVED, frozenset({AGENCY_STAFF}), label=_("Approve")
        ),
        Transition(
            "reject",
            (S.SUBMITTED,),
            S.REJECTED,
            frozenset({AGENCY_STAFF}),
            staff_roles=frozenset({Role.AGENCY_ADMIN}),
            label=_("Reject"),
        ),
        Transition(
            "cancel", (S.DRAFT, S.SUBMITTED), S.CANCELLED, frozenset({OWNER}), label=_("Cancel")
        ),
        Transition(
            "archive", (S.APPROVED, S.REJECTED), S.ARCHIVED, frozenset({SYSTEM}), label=_("Archive")
        ),
    ),
)

MODEL_NAME = "examplerequest"


def _define():
    from services.workflow.models import WorkflowModel

    class ExampleRequest(WorkflowModel):
        workflow = EXAMPLE_WORKFLOW
        module_slug = "example"
        service_code = "example_request"

        uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
        owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
        agency = models.ForeignKey("services.Agency", on_delete=models.PROTECT, related_name="+")
        tracking_number = models.CharField(max_length=40, unique=True)
        state = models.CharField(
            max_length=40, choices=ExampleState.choices, default=ExampleState.DRAFT
        )

        class Meta:
            app_label = "workflow"
            db_table = "workflow_test_examplerequest"

        def get_owner(self):
            return self.owner

        def get_handling_agency(self):
            return self.agency

        def get_tracking_number(self) -> str:
            return self.tracking_number

        def get_activity_title(self):
            return _("Example request")

        def get_links(self) -> tuple[str, str]:
            return f"buw://example/{self.uuid}", f"/layanan/example/{self.uuid}/"

    ExampleRequest.__module__ = __name__
    return ExampleRequest


@pytest.fixture(scope="module")
def example_model(django_db_setup, django_db_blocker):
    model = _define()
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(model)
        ContentType.objects.clear_cache()
        ContentType.objects.get_for_model(model)  # committed: every test finds the same row
    try:
        yield model
    finally:
        with django_db_blocker.unblock():
            with connection.schema_editor() as editor:
                editor.delete_model(model)
            ContentType.objects.clear_cache()
        del apps.all_models["workflow"][MODEL_NAME]
        apps.clear_cache()
