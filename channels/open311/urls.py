"""``/open311/``: discovery, and the GeoReport v2 endpoints under ``v2/`` (each ``.json`` or
``.xml``)."""

from django.urls import path, register_converter

from channels.open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    regex = r"[^/]+?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")
register_converter(CodeConverter, "open311id")

app_name = "open311"

urlpatterns = [
    path("discovery.<open311fmt:fmt>", views.discovery, name="discovery-root"),
    path("v2/discovery.<open311fmt:fmt>", views.discovery, name="discovery"),
    path("v2/services.<open311fmt:fmt>", views.service_list, name="services"),
    path(
        "v2/services/<open311id:code>.<open311fmt:fmt>",
        views.service_definition,
        name="service",
    ),
    path("v2/requests.<open311fmt:fmt>", views.requests, name="requests"),
    path(
        "v2/requests/<open311id:service_request_id>.<open311fmt:fmt>",
        views.request_detail,
        name="request",
    ),
    path("v2/tokens/<open311id:token>.<open311fmt:fmt>", views.token_detail, name="token"),
]
