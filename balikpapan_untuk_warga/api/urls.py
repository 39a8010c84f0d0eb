"""``/api/v1/``: the platform's endpoints, then each registered service module at ``<slug>/``."""

from django.urls import include, path

from balikpapan_untuk_warga.api.views import ApiRootView
from services import registry

app_name = "api"

# The modules first: each has a prefix of its own, rejected at once for other paths, while the
# platform's routes sit in includes without a prefix, every pattern of which a module's request
# was tried against (a tenth of a cached "now serving" poll went on that). The order changes no
# answer: a module may not take a slug the platform's routes begin with (registry.RESERVED_SLUGS,
# checked by tests/services/test_modules.py).
urlpatterns = [
    path(f"{module.slug}/", include(module.api_urlconf))
    for module in registry.modules()
    if module.api_urlconf
]
urlpatterns += [
    path("", ApiRootView.as_view(), name="root"),
    path("", include("accounts.api.urls")),
    path("", include("services.catalog.api.urls")),
    path("", include("services.activity.api.urls")),
    path("", include("services.notifications.api.urls")),
    path("", include("services.workflow.api.urls")),
    path("", include("services.uploads.api.urls")),
    path("", include("services.receipts.api.urls")),
    path("", include("privacy.api.urls")),
]
