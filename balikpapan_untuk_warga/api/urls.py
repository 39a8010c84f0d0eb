"""``/api/v1/``: the platform's endpoints, then each registered service module at ``<slug>/``."""

from django.urls import include, path

from balikpapan_untuk_warga.api.views import ApiRootView
from services import registry

app_name = "api"

urlpatterns = [
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
urlpatterns += [
    path(f"{module.slug}/", include(module.api_urlconf))
    for module in registry.modules()
    if module.api_urlconf
]
