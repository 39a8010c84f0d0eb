from django.contrib import admin

from services.models import Agency, Kecamatan, Kelurahan


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
