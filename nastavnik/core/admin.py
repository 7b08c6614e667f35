import csv
import datetime as dt
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.core.models import AuditEntry
from nastavnik.core.spreadsheets import safe_cell

EXPORT_COLUMNS = (
    "created_at",
    "action",
    "actor",
    "organization",
    "object_type",
    "object_id",
    "person_id",
    "message",
    "data",
)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """The audit log: administrators read and export it; nobody changes or deletes it here."""

    list_display = ("created_at", "action", "actor", "organization", "object_type", "object_id")
    list_filter = ("action", "organization")
    search_fields = ("action", "message", "object_id", "actor__username", "actor__last_name")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "organization")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = ["export_csv"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deleting is not an action of this log: only the export is offered.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Export the selected entries (CSV, UTC times)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> HttpResponse:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 with a byte order mark
        writer = csv.writer(response, delimiter=";")
        writer.writerow(EXPORT_COLUMNS)
        for entry in queryset.select_related("actor", "organization").order_by("created_at", "id"):
            writer.writerow(
                [
                    entry.created_at.astimezone(dt.UTC).strftime("%d.%m.%Y %H:%M:%S"),
                    entry.action,
                    entry.actor.username if entry.actor else "",
                    entry.organization.code if entry.organization else "",
                    entry.object_type,
                    entry.object_id,
                    entry.person_id or "",
                    safe_cell(entry.message),
                    safe_cell(str(entry.data)),
                ]
            )
        return response
