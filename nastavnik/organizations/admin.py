from django.contrib import admin

from nastavnik.organizations.models import AcademicYear, Organization, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin[Territory]):
    list_display = ("name", "level", "parent", "code")
    list_filter = ("level",)
    search_fields = ("name", "code")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("short_name", "kind", "territory", "code", "time_zone")
    list_filter = ("kind", "territory")
    search_fields = ("name", "short_name", "code")


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin[AcademicYear]):
    list_display = ("organization", "title", "starts_on", "ends_on")
    list_filter = ("start_year",)
