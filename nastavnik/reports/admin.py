from django.contrib import admin

from nastavnik.reports.models import ReportSubmission


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(admin.ModelAdmin[ReportSubmission]):
    list_display = ("organization", "start_year", "version", "status", "submitted_at")
    list_filter = ("status", "start_year")
    raw_id_fields = ("organization", "submitted_by", "decided_by")
    # A submitted snapshot is kept unchanged: decisions go through the report page.
    readonly_fields = ("figures", "submitted_at", "submitted_by", "version")
