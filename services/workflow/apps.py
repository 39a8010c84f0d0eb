from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "services.workflow"
    label = "workflow"
    verbose_name = _("Workflow, calendar and tracking numbers")

    def ready(self) -> None:
        from services.workflow import checks  # noqa: F401 — registers the system checks
