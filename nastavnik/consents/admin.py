from django.contrib import admin

from nastavnik.consents.models import Consent, ConsentText


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin[ConsentText]):
    list_display = ("title", "purpose", "version", "valid_from", "term_months")
    list_filter = ("purpose",)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    list_display = ("person", "purpose", "given_by", "given_on", "valid_until", "withdrawn_on")
    list_filter = ("purpose", "given_by", "organization")
    raw_id_fields = ("person", "recorded_by")
    # Withdrawal anonymizes: it goes through the consent page (services), not the admin.
    readonly_fields = ("withdrawn_on",)
