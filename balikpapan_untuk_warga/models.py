"""The platform's own tables. Only one for now: the idempotency records of the API.

See :mod:`balikpapan_untuk_warga.idempotency` for how they are used.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one user: the request it was first used with, and its response.

    The row is inserted (``in_progress``) before the view runs and is the lock that keeps a
    concurrent duplicate out; it becomes ``completed`` with the response once the view returns.
    ``expires_at`` is a short lease while in progress and 24 hours once completed.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.TextField(_("path"))
    fingerprint = models.CharField(
        _("request fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the method, path, query string and body of the first request."),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_headers = models.JSONField(_("response headers"), default=dict, blank=True)
    response_body = models.BinaryField(_("response body"), default=b"", blank=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
