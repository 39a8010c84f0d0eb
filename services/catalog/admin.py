"""The catalog in the staff admin.

* **Services**: an agency admin sees and edits only their own agency's services and can choose
  only their agency; superusers see all. Saving goes through ``services.catalog.services``, which
  checks the same rule again. Requirements are edited inline, under the service's permissions.
* **Categories and life events**: superusers only (no role grants their permissions).

Every change replaces the cached public catalog.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from services import registry
from services.admin_tools import apply_each
from services.catalog import services
from services.catalog.cache import catalog_changed
from services.catalog.exceptions import CatalogNotAllowed
from services.catalog.models import (
    Category,
    LifeEvent,
    LifeEventStep,
    Service,
    ServiceRequirement,
)
from services.catalog.selectors import (
    agencies_managed_by,
    may_manage_agency,
    service_admin_list_for,
)
from services.catalog.texts import fee_text


class ChangesCatalog:
    """Replace the cached catalog after the admin saves (``save_related`` runs after every save,
    list_editable included) or deletes."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        catalog_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalog_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalog_changed()


class ChannelFilter(admin.SimpleListFilter):
    title = _("channel")
    parameter_name = "channel"

    def lookups(self, request, model_admin):
        return [
            ("online", _("Online in the app")),
            ("mpp", _("At an MPP counter")),
            ("office", _("At the agency's office")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "online":
            return queryset.exclude(module_slug="")
        if self.value() == "mpp":
            return queryset.filter(at_mpp=True)
        if self.value() == "office":
            return queryset.filter(at_office=True)
        return queryset


def _module_choices() -> list[tuple[str, str]]:
    return [("", _("— not online —"))] + [
        (module.slug, f"{module.slug} — {module.name}") for module in registry.modules()
    ]


class ServiceAdminForm(forms.ModelForm):
    module_slug = forms.CharField(
        label=_("online module"),
        required=False,
        widget=forms.Select(choices=_module_choices),
        help_text=_(
            "The service module that handles the service online in the app; leave empty when it "
            "cannot be requested online."
        ),
    )

    class Meta:
        model = Service
        fields = [
            "code",
            "slug",
            "agency",
            "category",
            "is_active",
            "name_id",
            "name_en",
            "description_id",
            "description_en",
            "keywords",
            "fee",
            "fee_note_id",
            "fee_note_en",
            "sla_amount",
            "sla_unit",
            "module_slug",
            "at_mpp",
            "at_office",
            "how_to_id",
            "how_to_en",
            "legal_basis",
            "contact",
            "popularity",
        ]


class RequirementInline(admin.TabularInline):
    """Requirements are part of the service: whoever may change the service may edit them."""

    model = ServiceRequirement
    extra = 0
    fields = ["position", "text_id", "text_en", "is_optional"]
    ordering = ["position", "id"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.view_service") or self.has_change_permission(
            request, obj
        )

    def has_add_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("catalog.add_service")
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("catalog.add_service")
        return request.user.has_perm("catalog.change_service")

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(Service)
class ServiceAdmin(ChangesCatalog, admin.ModelAdmin):
    form = ServiceAdminForm
    list_display = [
        "name_id",
        "code",
        "agency",
        "category",
        "channels_display",
        "fee_display",
        "is_active",
    ]
    list_filter = [
        "category",
        ("agency", admin.RelatedOnlyFieldListFilter),
        ChannelFilter,
        "is_active",
    ]
    search_fields = ["code", "name_id", "name_en", "keywords"]
    search_help_text = _("Code, name (Indonesian or English) or keywords.")
    list_select_related = ["agency", "category"]
    ordering = ["agency__short_name", "name_id"]
    actions = ["activate", "deactivate"]
    inlines = [RequirementInline]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["code", "slug", "agency", "category", "is_active"]}),
        (
            _("Name and description"),
            {"fields": ["name_id", "name_en", "description_id", "description_en", "keywords"]},
        ),
        (
            _("Fee and service-level time"),
            {"fields": ["fee", "fee_note_id", "fee_note_en", "sla_amount", "sla_unit"]},
        ),
        (
            _("Where and how"),
            {"fields": ["module_slug", "at_mpp", "at_office", "how_to_id", "how_to_en"]},
        ),
        (_("More"), {"fields": ["legal_basis", "contact", "popularity"]}),
        (_("Record"), {"fields": ["uuid", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("channels"))
    def channels_display(self, obj: Service) -> str:
        labels = {"online": _("online"), "mpp": _("MPP"), "office": _("office")}
        return ", ".join(str(labels[channel]) for channel in obj.channels)

    @admin.display(description=_("fee"), ordering="fee")
    def fee_display(self, obj: Service) -> str:
        return fee_text(obj)

    def get_queryset(self, request):
        return service_admin_list_for(actor=request.user)

    def get_object(self, request, object_id, from_field=None):
        """Another agency's service does not exist for this admin: a 404, not a redirect."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("There is no such service among those you maintain."))
        return obj

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields.append("code")  # modules and the activity feed refer to it
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_managed_by(actor=request.user).order_by("short_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None:
            return may_manage_agency(actor=request.user, agency_id=obj.agency_id)
        return allowed

    def save_model(self, request, obj, form, change):
        # The form already limited the agency and ran the model's validation; the service checks
        # the agency rule again, and a refusal there is a 403.
        try:
            services.service_save(
                actor=request.user, service=obj, fields=form.changed_data if change else None
            )
        except CatalogNotAllowed as exc:
            raise PermissionDenied(str(exc.detail)) from exc

    @admin.action(description=_("Show in the public catalog"), permissions=["change"])
    def activate(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda s: services.service_set_active(actor=request.user, service=s, is_active=True),
            success=_("%(count)d service(s) shown in the catalog."),
        )

    @admin.action(description=_("Withdraw from the public catalog"), permissions=["change"])
    def deactivate(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda s: services.service_set_active(actor=request.user, service=s, is_active=False),
            success=_("%(count)d service(s) withdrawn from the catalog."),
        )


@admin.register(Category)
class CategoryAdmin(ChangesCatalog, admin.ModelAdmin):
    list_display = ["name_id", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_id", "name_en", "slug"]


class LifeEventStepInline(admin.TabularInline):
    model = LifeEventStep
    extra = 0
    fields = ["position", "service", "note_id", "note_en", "is_optional"]
    autocomplete_fields = ["service"]
    ordering = ["position"]


@admin.register(LifeEvent)
class LifeEventAdmin(ChangesCatalog, admin.ModelAdmin):
    list_display = ["name_id", "slug", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_id", "name_en", "slug"]
    inlines = [LifeEventStepInline]
