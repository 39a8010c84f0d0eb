from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from balikpapan_untuk_warga import health
from channels.whatsapp.views import webhook as whatsapp_webhook
from services import registry

handler404 = "balikpapan_untuk_warga.api.errors.page_not_found"
handler500 = "balikpapan_untuk_warga.outages.server_error"  # an outage is a 503

admin.site.site_header = _("Balikpapan Untuk Warga — staff")
admin.site.site_title = _("Balikpapan Untuk Warga")
admin.site.index_title = _("Public service administration")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("balikpapan_untuk_warga.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("", include("allauth.idp.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/", include("channels.open311.urls")),
    path(settings.WHATSAPP_WEBHOOK_PATH, whatsapp_webhook, name="whatsapp-webhook"),
    path("", include("balikpapan_untuk_warga.portal_urls")),
]
# Each service module's pages, in the module's own URL namespace (reverse("<app>:<name>")).
urlpatterns += [
    path(f"layanan/{module.slug}/", include(module.portal_urlconf))
    for module in registry.modules()
    if module.portal_urlconf
]

# The benchmark's floor (bench/floor.py): routed only while bench/run.py measures.
if settings.BENCH_FLOOR:
    from bench.floor import floor

    urlpatterns.insert(0, path("api/v1/_floor", floor, name="bench-floor"))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
