from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from services import modules, registry
from services.admin_tools import apply_each
from services.models import Agency, Kecamatan, Kelurahan, ModuleState


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]


class KelurahanInline(admin.TabularInline):
    model = Kelurahan
    extra = 0
    fields = ["code", "name", "postal_code"]


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [KelurahanInline]


@admin.register(Kelurahan)
class KelurahanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kecamatan", "postal_code"]
    list_filter = ["kecamatan"]
    search_fields = ["name", "code", "postal_code"]
    list_select_related = ["kecamatan"]


@admin.register(ModuleState)
class ModuleStateAdmin(admin.ModelAdmin):
    """Staff switch modules on and off; a module is switched on only after passing the kit."""

    list_display = ["slug", "module_name", "agency", "is_enabled", "conformance", "config_health"]
    list_filter = ["is_enabled", "conformance_passed"]
    readonly_fields = [
        "slug",
        "is_enabled",
        "conformance_version",
        "conformance_passed",
        "conformance_checked_at",
        "conformance_report",
        "config_health",
    ]
    actions = ["enable", "disable"]

    def get_queryset(self, request):
        modules.module_states_sync()
        return super().get_queryset(request).filter(slug__in=[m.slug for m in registry.modules()])

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("name"))
    def module_name(self, state):
        module = registry.get(state.slug)
        return module.name if module else "—"

    @admin.display(description=_("agency"))
    def agency(self, state):
        module = registry.get(state.slug)
        return module.agency_code if module else "—"

    @admin.display(description=_("conformance kit"))
    def conformance(self, state):
        module = registry.get(state.slug)
        if state.conformance_passed and module and state.conformance_version == module.version:
            return _("passed (version %(version)s)") % {"version": state.conformance_version}
        if state.conformance_checked_at:
            return _("not passed")
        return _("not run yet")

    @admin.display(description=_("configuration"))
    def config_health(self, state):
        module = registry.get(state.slug)
        problems = modules.module_config_problems(module) if module else []
        return "; ".join(problems) if problems else _("OK")

    @admin.action(description=_("Switch on (needs a passed conformance kit)"))
    def enable(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda state: modules.module_enable(actor=request.user, slug=state.slug),
            success=_("%(count)d module(s) switched on."),
        )

    @admin.action(description=_("Switch off"))
    def disable(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda state: modules.module_disable(actor=request.user, slug=state.slug),
            success=_("%(count)d module(s) switched off."),
        )
