"""A read-only admin of documents for the staff of the handling agency.

The list holds only what :func:`~services.uploads.selectors.document_list_for` lets the staff
member see, and the download link goes through the same check, answers 404 otherwise, and
records the access. Any active staff member with an agency role may open the page; what they
see is decided by the selector, not by model permissions.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.selectors import is_agency_staff as user_is_agency_staff
from services.admin_tools import ReadOnlyAdminMixin
from services.uploads import selectors
from services.uploads.http import document_download_response
from services.uploads.models import Document


def is_agency_staff(request) -> bool:
    """``accounts.selectors.is_agency_staff`` for the request's user (the admin's signature)."""
    return user_is_agency_staff(request.user)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "original_name",
        "content_type",
        "size_display",
        "purpose",
        "owner",
        "agency",
        "created_at",
        "download_link",
    ]
    list_filter = ["content_type", "created_at"]
    show_full_result_count = False  # one COUNT less per page
    search_fields = ["original_name", "purpose"]
    fields = [
        "uuid",
        "owner",
        "agency",
        "purpose",
        "original_name",
        "content_type",
        "size_display",
        "sha256",
        "pages",
        "width",
        "height",
        "created_at",
        "attached_at",
        "attached_to",
        "download_link",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.document_list_for(user=request.user)

    def has_module_permission(self, request) -> bool:
        return is_agency_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request)

    def get_urls(self):
        return [
            path(
                "<uuid:uuid>/download/",
                self.admin_site.admin_view(self.download_view),
                name="uploads_document_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, uuid):
        if not is_agency_staff(request):
            raise Http404
        document = selectors.document_get_for(user=request.user, uuid=uuid)
        if document is None:
            raise Http404
        return document_download_response(actor=request.user, document=document, channel="admin")

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, document: Document) -> str:
        return filesizeformat(document.size)

    @admin.display(description=_("belongs to"))
    def attached_to(self, document: Document) -> str:
        if not document.is_attached:
            return "—"
        return f"{document.object_type.name} #{document.object_id}"

    @admin.display(description=_("file"))
    def download_link(self, document: Document) -> str:
        url = reverse("admin:uploads_document_download", args=[document.uuid])
        return format_html('<a href="{}">{}</a>', url, _("Download"))
