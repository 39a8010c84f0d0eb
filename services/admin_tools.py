"""Helpers for admin actions that call a service function object by object."""

from collections.abc import Callable, Iterable

from django.contrib import messages

from balikpapan_untuk_warga.api.errors import ApplicationError


def apply_each(modeladmin, request, objects: Iterable, action: Callable, *, success: str) -> int:
    """Call ``action(obj)`` for every object; a refusal is reported for that object alone.

    ``success`` is a message with ``%(count)d``, shown once for all that succeeded.
    """
    done = 0
    for obj in objects:
        try:
            action(obj)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success % {"count": done}, messages.SUCCESS)
    return done


class ReadOnlyAdminMixin:
    """For records nobody edits by hand (history, audit rows, deliveries): view and actions only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
