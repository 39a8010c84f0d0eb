"""``manage.py check`` verifies every concrete :class:`WorkflowModel`: a workflow is declared, the
``state`` field offers exactly the workflow's states and starts in its initial state, and the
module identifies itself (``module_slug``, a ``uuid`` field for notification keys)."""

from django.apps import apps
from django.core import checks

from services.workflow.definitions import Workflow


@checks.register(checks.Tags.models)
def check_workflow_models(app_configs=None, **kwargs):
    from services.workflow.models import WorkflowModel

    errors = []
    for model in apps.get_models():
        if not issubclass(model, WorkflowModel) or model._meta.abstract:
            continue
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        label = model._meta.label
        workflow = getattr(model, "workflow", None)
        if not isinstance(workflow, Workflow):
            errors.append(
                checks.Error(f"{label} declares no Workflow.", obj=model, id="workflow.E001")
            )
            continue
        field = model._meta.get_field("state")
        choices = {str(value) for value, _label in field.flatchoices}
        if choices != set(workflow.states.values):
            errors.append(
                checks.Error(
                    f"{label}.state must have the choices of {workflow.states.__name__}.",
                    obj=model,
                    id="workflow.E002",
                )
            )
        if field.default != workflow.initial:
            errors.append(
                checks.Error(
                    f"{label}.state must default to the initial state {workflow.initial!r}.",
                    obj=model,
                    id="workflow.E003",
                )
            )
        if not getattr(model, "module_slug", ""):
            errors.append(
                checks.Error(f"{label} sets no module_slug.", obj=model, id="workflow.E004")
            )
        if "uuid" not in {f.name for f in model._meta.get_fields()}:
            errors.append(
                checks.Error(f"{label} has no uuid field.", obj=model, id="workflow.E005")
            )
    return errors
