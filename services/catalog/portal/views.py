"""The catalog on the portal: the list with a search form (a plain GET, no JavaScript), one page
per service and one per life event. The same selectors as the API."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from services.catalog import selectors
from services.catalog.models import Service
from services.catalog.portal.forms import CatalogSearchForm
from services.catalog.presenters import (
    render_life_event,
    render_service_detail,
    render_service_summary,
)
from services.catalog.texts import channel_label, current_language, localized


def service_list(request: HttpRequest) -> HttpResponse:
    """Without a query: the life events, then every service by category. With one: the matches,
    best first. Read from the cached snapshot (no query once it is warm)."""
    language, disabled = current_language(), selectors.modules_switched_off()
    form = CatalogSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    snapshot = selectors.catalog_snapshot()
    context: dict = {"form": form, "query": query}
    if query:
        by_id = {record["id"]: record for record in snapshot["services"]}
        context["results"] = [
            render_service_summary(by_id[pk], language, disabled)
            for pk in selectors.catalog_search(query=query)
            if pk in by_id
        ]
    else:
        groups: dict[str, list] = {}
        by_name = sorted(snapshot["services"], key=lambda r: localized(r, "name", language).lower())
        for record in by_name:
            groups.setdefault(record["category"]["slug"], []).append(
                render_service_summary(record, language, disabled)
            )
        context["categories"] = [
            {
                "slug": c["slug"],
                "name": localized(c, "name", language),
                "services": groups[c["slug"]],
            }
            for c in snapshot["categories"]
            if c["slug"] in groups
        ]
        context["life_events"] = [
            render_life_event(event, language, with_steps=False)
            # The list shows no progress: the public journeys, without the citizen's query.
            for event in selectors.life_event_list_for(actor=None)
        ]
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "catalog/service_list.html", context, status=status)


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = selectors.service_get_for(actor=request.user, slug=slug)
    except Service.DoesNotExist as exc:
        raise Http404(_("There is no such service in the catalog.")) from exc
    language = current_language()
    data = render_service_detail(service, language, selectors.modules_switched_off())
    data["channel_labels"] = {
        channel: channel_label(channel, language) for channel in data["channels"]
    }
    return render(request, "catalog/service_detail.html", {"service": data})


def life_event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.life_event_get_for(actor=request.user, slug=slug)
    if event is None:
        raise Http404(_("There is no such life event."))
    return render(
        request,
        "catalog/life_event_detail.html",
        {
            "event": render_life_event(
                event,
                current_language(),
                with_steps=True,
                disabled=selectors.modules_switched_off(),
            )
        },
    )
