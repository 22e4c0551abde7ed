from django.contrib import admin

from tracker.jurisdictions.models import Jurisdiction


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code", "aliases")
    prepopulated_fields = {"slug": ("name",)}
