"""Django's admin is for system administrators (is_staff users) setting up organisations and
accounts. Day-to-day work happens in the Involve pages, which apply the permission policy."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import ApiToken, Organisation, Partnership, User


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "nation", "partnership"]
    list_filter = ["kind", "nation", "partnership"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(User)
class InvolveUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Involve", {"fields": ("organisation", "role")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
