"""The activity feed: one denormalised row per citizen-visible object and person, across modules.

Modules never write here themselves: they call :func:`services.activity.activity_record`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.activity.texts import in_language


class ActivityItem(models.Model):
    """What one person sees of one object: e.g. their KTP-el request, their PBB bill."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_items",
        verbose_name=_("owner"),
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_items_acted_on",
        verbose_name=_("acted on the owner's behalf by"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind of object")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    obj = GenericForeignKey("content_type", "object_id")
    module = models.CharField(_("module"), max_length=40)
    service_code = models.CharField(_("service"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    title = models.JSONField(_("title"), help_text=_("The title in each language."))
    state = models.CharField(_("state"), max_length=40)
    state_label = models.JSONField(_("state label"), help_text=_("The label in each language."))
    is_open = models.BooleanField(_("open"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    app_link = models.CharField(_("link in the app"), max_length=500, blank=True)
    portal_link = models.CharField(_("link on the portal"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_changed_at = models.DateTimeField(_("last changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("activity item")
        verbose_name_plural = _("activity items")
        ordering = ["-last_changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "owner"], name="activity_item_once_per_owner"
            ),
        ]
        indexes = [
            # The feed: a person's items newest first (and ?since= on the same index).
            models.Index(
                fields=["owner", "-last_changed_at", "-id"], name="activity_owner_feed_idx"
            ),
            models.Index(
                fields=["acted_by", "-last_changed_at", "-id"], name="activity_acted_by_feed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} — {self.title_text}"

    @property
    def title_text(self) -> str:
        return in_language(self.title)

    @property
    def state_label_text(self) -> str:
        return in_language(self.state_label)
