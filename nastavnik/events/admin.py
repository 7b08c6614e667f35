from django.contrib import admin

from nastavnik.events.models import ContestResult, Event, Feedback, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("title", "form", "organization", "starts_at", "status")
    list_filter = ("form", "status")


admin.site.register(Registration)
admin.site.register(Feedback)
admin.site.register(ContestResult)
