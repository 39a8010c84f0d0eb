"""Small tools the modules' ``privacy.py`` files share: serialising rows for the export, and
forgetting objects (with what the platform keeps about them elsewhere) for the erasure and the
retention purge."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

logger = logging.getLogger(__name__)


def rows(queryset, fields: Iterable[str]) -> list[dict]:
    """``queryset.values(*fields)`` as a list: one query, whatever the number of rows."""
    return list(queryset.values(*fields))


def delete_stored_files(names: Iterable[tuple[object, str]]) -> None:
    """Delete ``(storage, name)`` files once the transaction commits (a rolled-back erasure must
    not lose files whose rows are back)."""
    pending = [(storage, name) for storage, name in names if name]

    def run() -> None:
        for storage, name in pending:
            try:
                storage.delete(name)
            except Exception:  # the row is gone; an orphan file holds no link to a person
                logger.exception("Could not delete a file from the storage")

    if pending:
        transaction.on_commit(run)


def documents_delete(queryset) -> int:
    """Delete documents (``services.uploads``) and, after commit, their files."""
    from services.uploads.models import Document

    docs = list(Document.objects.filter(pk__in=queryset.values("pk")).only("pk", "file"))
    delete_stored_files((d.file.storage, d.file.name) for d in docs)
    return Document.objects.filter(pk__in=[d.pk for d in docs]).delete()[0]


def objects_forget(model: type[models.Model], ids: list[int]) -> dict[str, int]:
    """What the platform keeps beside the objects ``ids`` of ``model``: activity items,
    deadlines, status history and receipts, deleted together with them.

    Status history is append-only (``StatusHistoryQuerySet.delete`` refuses); erasure and the
    retention purge of objects that no longer exist are the one exception, so the rows are
    removed with a raw delete here and nowhere else."""
    from services.activity.models import ActivityItem
    from services.receipts.models import Receipt
    from services.workflow.models import Deadline, StatusHistory

    if not ids:
        return {}
    ct = ContentType.objects.get_for_model(model)
    history = StatusHistory.objects.filter(content_type=ct, object_id__in=ids)
    return {
        "activity": ActivityItem.objects.filter(
            content_type=ct, object_id__in=[str(i) for i in ids]
        ).delete()[0],
        "deadlines": Deadline.objects.filter(content_type=ct, object_id__in=ids).delete()[0],
        "history": history._raw_delete(history.db),
        "receipts": Receipt.objects.filter(object_type=ct, object_id__in=ids).delete()[0],
    }


def history_rows(model: type[models.Model], ids: list[int]) -> dict[int, list[dict]]:
    """The public status history (internal staff notes left out) of objects ``ids``, per object:
    one query."""
    from services.workflow.models import StatusHistory

    out: dict[int, list[dict]] = {i: [] for i in ids}
    if not ids:
        return out
    ct = ContentType.objects.get_for_model(model)
    for row in (
        StatusHistory.objects.filter(content_type=ct, object_id__in=ids, is_internal=False)
        .order_by("at", "id")
        .values("object_id", "from_state", "to_state", "transition", "actor_role", "note", "at")
    ):
        out[row.pop("object_id")].append(row)
    return out


class RequestRecords:
    """The data-subject rights of a module whose citizens file requests (a :class:`WorkflowModel`
    with an ``owner``, supporting documents through a link model, and an output document).

    * export: the requests, their public history and their documents' metadata;
    * erasure: refused while a request is being handled (``open_states``); requests in
      ``retained_states`` (an issued document the agency must keep) stay, emptied of the
      person's data (``scrub``) and of their supporting documents; the rest go entirely;
    * purge: drafts untouched for ``PRIVACY_DRAFT_RETENTION_DAYS`` go with their uploads.
    """

    def __init__(
        self,
        *,
        model,
        link_model,
        output_field: str,
        fields: list[str],
        draft_states: tuple,
        open_states: tuple,
        retained_states: tuple,
        scrub: dict,
        blocked_message,
    ):
        self.model = model
        self.link_model = link_model
        self.link_fk = next(
            f.name for f in link_model._meta.fields if getattr(f, "related_model", None) is model
        )
        self.output_field = output_field
        self.fields = fields
        self.draft_states = draft_states
        self.open_states = open_states
        self.retained_states = retained_states
        self.scrub = scrub
        self.blocked_message = blocked_message

    def export(self, user) -> list[dict]:
        requests = rows(
            self.model.objects.filter(owner=user).order_by("created_at"), ["id", *self.fields]
        )
        ids = [r["id"] for r in requests]
        history = history_rows(self.model, ids)
        documents: dict[int, list[dict]] = {i: [] for i in ids}
        for link in self.link_model.objects.filter(**{f"{self.link_fk}__in": ids}).values(
            self.link_fk,
            "requirement",
            "document__uuid",
            "document__original_name",
            "document__content_type",
            "document__size",
            "document__created_at",
        ):
            documents[link.pop(self.link_fk)].append(link)
        for r in requests:
            pk = r.pop("id")
            r["history"] = history[pk]
            r["documents"] = documents[pk]
        return requests

    def blocks(self, user) -> str:
        if self.model.objects.filter(owner=user, state__in=self.open_states).exists():
            return str(self.blocked_message)
        return ""

    def _delete(self, queryset) -> dict[str, int]:
        from services.uploads.models import Document

        ids = list(queryset.values_list("pk", flat=True))
        if not ids:
            return {}
        doc_ids = set(
            self.link_model.objects.filter(**{f"{self.link_fk}__in": ids}).values_list(
                "document_id", flat=True
            )
        )
        doc_ids |= set(
            self.model.objects.filter(
                pk__in=ids, **{f"{self.output_field}__isnull": False}
            ).values_list(self.output_field, flat=True)
        )
        ct = ContentType.objects.get_for_model(self.model)
        counts = objects_forget(self.model, ids)
        self.model.objects.filter(pk__in=ids).delete()
        counts["requests"] = len(ids)
        counts["documents"] = documents_delete(
            Document.objects.filter(Q(pk__in=doc_ids) | Q(object_type=ct, object_id__in=ids))
        )
        return counts

    def erase(self, user) -> dict[str, int]:
        from services.uploads.models import Document

        owned = self.model.objects.filter(owner=user)
        counts = self._delete(owned.exclude(state__in=self.retained_states))
        kept = list(owned.values_list("pk", flat=True))
        if kept:
            links = self.link_model.objects.filter(**{f"{self.link_fk}__in": kept})
            doc_ids = list(links.values_list("document_id", flat=True))
            links.delete()
            counts["supporting_documents"] = documents_delete(
                Document.objects.filter(pk__in=doc_ids)
            )
            counts["retained"] = self.model.objects.filter(pk__in=kept).update(**self.scrub)
            # The issued document stays with the agency, no longer with the person.
            Document.objects.filter(
                pk__in=self.model.objects.filter(pk__in=kept).values(self.output_field)
            ).update(owner=None)
        return counts

    def purge(self, now) -> dict[str, int]:
        import datetime as dt

        from django.conf import settings

        cutoff = now - dt.timedelta(days=settings.PRIVACY_DRAFT_RETENTION_DAYS)
        return self._delete(
            self.model.objects.filter(state__in=self.draft_states, updated_at__lt=cutoff)
        )
