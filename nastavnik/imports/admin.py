from django.contrib import admin

from nastavnik.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ("original_name", "organization", "status", "total_rows", "created_at")
    list_filter = ("status", "kind", "organization")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
