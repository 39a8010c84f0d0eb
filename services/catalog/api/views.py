"""``/api/v1/catalog/…``: the public catalog of services and life events.

Thin: each view calls one selector and renders with :mod:`services.catalog.presenters`. Texts
are in the request's language (Indonesian by default, English with ``Accept-Language: en``).
Public responses may be cached by clients and proxies for a minute (``Cache-Control``); the
server side caches the catalog itself and each page of the service list it has answered, so a
repeated search costs no query (see ``services.catalog.cache``).
"""

from __future__ import annotations

import hashlib

from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from services.catalog import cache, selectors
from services.catalog.api.filters import ServiceFilter
from services.catalog.api.serializers import (
    CatalogCategorySerializer,
    CatalogHomeSerializer,
    CatalogLifeEventDetailSerializer,
    CatalogLifeEventSerializer,
    CatalogServiceDetailSerializer,
    CatalogServiceSummarySerializer,
)
from services.catalog.models import Category, Service
from services.catalog.presenters import (
    render_category,
    render_life_event,
    render_service_detail,
    render_service_summary,
    service_record,
)
from services.catalog.search import MAX_QUERY_LENGTH, query_words
from services.catalog.texts import current_language

TAGS = ["catalog"]
PUBLIC_MAX_AGE = 60  # seconds browsers and proxies may keep a public catalog response

ACCEPT_LANGUAGE = OpenApiParameter(
    name="Accept-Language",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description=(
        "An ordinary Accept-Language header: `en` first gives English names, descriptions and "
        "texts; anything else (or nothing) gives Indonesian, the default."
    ),
)


SEARCH = OpenApiParameter(
    name="q",
    location=OpenApiParameter.QUERY,
    required=False,
    type={"type": "string", "maxLength": MAX_QUERY_LENGTH},
    description=(
        "Words in Indonesian or English; spelling variants and typos are tolerated (e.g. akte "
        f"lahir, birth certificate). Longer than {MAX_QUERY_LENGTH} characters is a 400."
    ),
)


def _public(response: Response) -> Response:
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _private(response: Response) -> Response:
    patch_cache_control(response, private=True, no_cache=True)
    return response


class ServiceListView(generics.ListAPIView):
    """The public services: search, filter, page through."""

    permission_classes = [AllowAny]
    serializer_class = CatalogServiceSummarySerializer
    filterset_class = ServiceFilter
    # ``ordering`` is a filter of ServiceFilter (it knows the language and the relevance order of
    # a search), so DRF's own OrderingFilter is left out.
    filter_backends = [DjangoFilterBackend]
    queryset = Service.objects.none()  # for the schema; get_queryset() is the selector

    def get_queryset(self):
        return selectors.service_list_for(actor=self.request.user)

    @extend_schema(
        operation_id="catalog_services_list",
        description=(
            "Public services, the most used first. `q` searches names, keywords and descriptions "
            "in Indonesian and English and tolerates spelling variants and typos (“akte lahir” "
            "finds *Akta Kelahiran*); results then come best first unless `ordering` is given. "
            "Unknown filter values are a 400."
        ),
        parameters=[ACCEPT_LANGUAGE, SEARCH],
        tags=TAGS,
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        paginator = self.paginator
        limit, offset = paginator.get_limit(request), paginator.get_offset(request)  # 400 on junk
        language, disabled = current_language(), selectors.modules_switched_off()
        key = _listing_key(request.query_params, language, disabled, limit, offset)
        if key is None:
            page = self._page(request, language, disabled)
        else:
            page = cache.cached(key, lambda: self._page(request, language, disabled))
        paginator.request, paginator.limit, paginator.offset = request, limit, offset
        paginator.count = page["count"]
        return _public(paginator.get_paginated_response(page["results"]))

    def _page(self, request: Request, language: str, disabled: frozenset[str]) -> dict:
        """The page from the database: COUNT, then the rows (a 400 for a bad filter value)."""
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(queryset)
        results = [
            render_service_summary(service_record(service), language, disabled) for service in rows
        ]
        return {"count": self.paginator.count, "results": results}


def _listing_key(
    params, language: str, disabled: frozenset[str], limit: int, offset: int
) -> str | None:
    """The cache name of one page of the list, or ``None`` when it must not come from the cache.

    Only what decides the answer goes in: the filters django-filter reads (the last value of
    each, as it does; other parameters are ignored by the API too), ``q`` as the words the search
    uses (``Akte  Lahir`` and ``akta lahir`` share an entry), the language, the switched-off
    modules and the page. An answer is stored only after its filters validated, so a key can
    only name valid values; a ``q`` the filter would refuse (too long, NUL) skips the cache and
    gets its 400. The catalog version (``cache.cached``) makes every entry stale on any change.
    """
    parts = [language, ",".join(sorted(disabled)), str(limit), str(offset)]
    for name in ServiceFilter.base_filters:
        value = params.get(name)
        if name == "q" and value is not None and value.strip():
            if len(value) > MAX_QUERY_LENGTH or "\x00" in value:
                return None
            value = "words:" + " ".join(query_words(value))
        parts.append(f"{name}={value!r}")  # None (absent) is not the text "None"
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"services-page:{digest}"


class ServiceDetailView(APIView):
    """One public service with its requirements, fee, service-level time and channels."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="catalog_services_retrieve",
        parameters=[ACCEPT_LANGUAGE],
        responses=CatalogServiceDetailSerializer,
        tags=TAGS,
    )
    def get(self, request: Request, slug: str) -> Response:
        try:
            service = selectors.service_get_for(actor=request.user, slug=slug)
        except Service.DoesNotExist as exc:
            raise NotFound(_("There is no such service in the catalog.")) from exc
        data = render_service_detail(service, current_language(), selectors.modules_switched_off())
        return _public(Response(data))


class CategoryListView(generics.ListAPIView):
    """Every category with the number of public services in it."""

    permission_classes = [AllowAny]
    serializer_class = CatalogCategorySerializer
    filter_backends: list = []
    queryset = Category.objects.none()  # for the schema; get_queryset() is the selector

    def get_queryset(self):
        return selectors.category_list_for(actor=self.request.user)

    @extend_schema(operation_id="catalog_categories_list", parameters=[ACCEPT_LANGUAGE], tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        language = current_language()
        data = [
            render_category(
                {"slug": c.slug, "name_id": c.name_id, "name_en": c.name_en, "icon": c.icon},
                language,
                c.service_count,
            )
            for c in page
        ]
        return _public(self.get_paginated_response(data))


class HomeView(APIView):
    """Everything the app's home screen shows, in one cached call."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="catalog_home",
        description=(
            "Categories with their counts, the most used services, the life events and the "
            "agencies — cached on the server until the catalog changes."
        ),
        parameters=[ACCEPT_LANGUAGE],
        responses=CatalogHomeSerializer,
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return _public(Response(selectors.catalog_home(language=current_language())))


class LifeEventListView(generics.ListAPIView):
    """Journeys across agencies for moments in life (moving to Balikpapan, a birth, …)."""

    permission_classes = [AllowAny]
    serializer_class = CatalogLifeEventSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="catalog_life_events_list",
        description="For a signed-in citizen, `done_count` counts the steps they have completed.",
        parameters=[ACCEPT_LANGUAGE],
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        events = selectors.life_event_list_for(actor=request.user)
        page = self.paginate_queryset(events)
        language = current_language()
        data = [render_life_event(event, language, with_steps=False) for event in page]
        response = self.get_paginated_response(data)
        return _private(response) if request.user.is_authenticated else _public(response)


class LifeEventDetailView(APIView):
    """One journey, step by step, each step with its service and whether the citizen did it."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="catalog_life_events_retrieve",
        parameters=[ACCEPT_LANGUAGE],
        responses=CatalogLifeEventDetailSerializer,
        tags=TAGS,
    )
    def get(self, request: Request, slug: str) -> Response:
        event = selectors.life_event_get_for(actor=request.user, slug=slug)
        if event is None:
            raise NotFound(_("There is no such life event."))
        data = render_life_event(
            event,
            current_language(),
            with_steps=True,
            disabled=selectors.modules_switched_off(),
        )
        response = Response(data)
        return _private(response) if request.user.is_authenticated else _public(response)
