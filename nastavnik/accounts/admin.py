from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organization", "territory"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Patronymic"), {"fields": ("middle_name",)}),
    )
    list_display = ("username", "last_name", "first_name", "middle_name", "is_active")
    search_fields = ("username", "last_name", "first_name", "email")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "role", "organization", "territory")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "organization__short_name")
    autocomplete_fields = ["user", "organization", "territory"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix", "last_used_at")
