from django.contrib import admin

from nastavnik.quickmentoring.models import FlashBooking, FlashSlot, SpeedSession


@admin.register(SpeedSession)
class SpeedSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "starts_at", "tables", "rounds")
    list_filter = ("organization",)


@admin.register(FlashSlot)
class FlashSlotAdmin(admin.ModelAdmin):
    list_display = ("topic", "organization", "expert", "starts_at", "status")
    list_filter = ("organization", "status")
    raw_id_fields = ("expert",)


@admin.register(FlashBooking)
class FlashBookingAdmin(admin.ModelAdmin):
    list_display = ("slot", "person", "status", "rating")
    raw_id_fields = ("slot", "person")
