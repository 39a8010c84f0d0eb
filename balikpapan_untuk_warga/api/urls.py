"""``/api/v1/``: the platform's endpoints, then each registered service module at ``<slug>/``."""

from django.urls import include, path

from balikpapan_untuk_warga.api.views import ApiRootView
from services import registry

app_name = "api"

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("", include("accounts.api.urls")),
]
urlpatterns += [
    path(f"{module.slug}/", include(module.api_urlconf))
    for module in registry.modules()
    if module.api_urlconf
]
