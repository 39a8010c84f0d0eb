"""The privacy app's own records about a person (its requests), contributed like any module's."""

from django.core.files.storage import default_storage

from privacy import registry
from privacy.helpers import delete_stored_files, rows
from privacy.models import CorrectionRequest, ExportRequest


def export(user) -> dict:
    return {
        "exports": rows(
            ExportRequest.objects.filter(user=user),
            ["uuid", "state", "created_at", "ready_at", "expires_at", "downloaded_at"],
        ),
        "corrections": rows(
            CorrectionRequest.objects.filter(user=user),
            [
                "uuid",
                "field",
                "requested_value",
                "reason",
                "state",
                "created_at",
                "due_at",
                "decided_at",
                "decision_note",
            ],
        ),
    }


def erase(user) -> dict[str, int]:
    exports = ExportRequest.objects.filter(user=user)
    delete_stored_files((default_storage, name) for name in exports.values_list("file", flat=True))
    return {
        "exports": exports.delete()[0],
        "corrections": CorrectionRequest.objects.filter(user=user).delete()[0],
    }


registry.register("privacy", export=export, erase=erase, order=800)
